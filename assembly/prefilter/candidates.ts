// Which patterns the literal prefilter allows in one scan.
//
// Contract (inherited from literals.ts and aho.ts): may(p) is false only when
// pattern p cannot match the text -- some literal set every match of p must
// contain has no member in the text. It may be true for a pattern that does
// not match. The Aho-Corasick pass runs lazily, at most once per scan, the
// first time a caller asks: the DFA tree (meta/tree.ts) asks only when its
// one-pass union has given up, so ordinary scans never pay for it.
import { AhoCorasick } from './aho';

export class Candidates {
  ac: AhoCorasick | null;
  /** per pattern: 1 when it has no literal prefilter (always a candidate) */
  always: StaticArray<u8>;
  /** per pattern: bit k set for each required literal set k */
  full: StaticArray<u8>;
  stamp: StaticArray<u32>;
  mask: StaticArray<u8>;
  id: u32 = 0;
  ran: bool = false;
  /** work of the last prefilter pass (bytes) */
  work: u32 = 0;

  lits: Array<string>;
  litIds: Array<u32>;

  /** lits[i]: a folded literal of pattern litIds[i] >> 2, in its required set litIds[i] & 3. */
  constructor(lits: Array<string>, litIds: Array<u32>, always: StaticArray<u8>, full: StaticArray<u8>) {
    this.ac = null;
    this.lits = lits;
    this.litIds = litIds;
    this.always = always;
    this.full = full;
    const n = always.length;
    this.stamp = new StaticArray<u32>(n);
    this.mask = new StaticArray<u8>(n);
  }

  /** Starts a scan: nothing computed yet. */
  begin(id: u32): void {
    this.id = id;
    this.ran = false;
    this.work = 0;
  }

  /** May pattern p match [inp, inp+len)? (Runs the prefilter on first use in a scan.) */
  may(p: i32, inp: usize, len: u32): bool {
    if (unchecked(this.always[p]) != 0) return true;
    if (!this.ran) {
      this.ran = true;
      let ac = this.ac;
      if (ac == null && this.lits.length > 0) {
        // built on first use: ordinary scans never get here
        ac = new AhoCorasick();
        ac.build(this.lits, this.litIds);
        this.ac = ac;
      }
      if (ac != null) this.work = ac.scan(inp, len, this.id, this.stamp, this.mask);
    }
    return unchecked(this.stamp[p]) == this.id && unchecked(this.mask[p]) == unchecked(this.full[p]);
  }
}
