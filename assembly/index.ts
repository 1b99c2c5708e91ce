// raxe engine ABI. One WebAssembly instance holds one pattern set.
//
//   1. For each pattern: write its UTF-8 bytes at input_ptr(len), then
//      add_pattern(len, flags). Flags are Python's re values (IGNORECASE=2,
//      MULTILINE=8, DOTALL=16, VERBOSE=64). A non-zero return is an error
//      class (1 syntax, 2 unsupported, 3 too large); error_detail() and
//      error_pos() (code point index into the pattern) say more. Before the
//      first pattern, set_policy(1) makes the set refuse patterns that can
//      match the empty string (rule packs), set_budgets() shrinks the DFA
//      caches (tests).
//   2. finish() once. No pattern may be added after it.
//      (Or, instead of 1-2: load_set() / load_set_at() a blob that
//      serialize_set() wrote.)
//   3. For each text: write its UTF-8 bytes at input_ptr(len), call
//      scan_ids(len): it returns n, and results_ptr() holds the n matching
//      pattern ids, ascending. scan(len) instead returns n (id, start, end)
//      u32 triples, offsets in UTF-16 code units (a Pike VM run per matching
//      pattern, for spans). work_done() is the work counter of that scan.
//   4. The text stays in the input buffer: decode_hints() reads it again.
// The engine uses AssemblyScript's minimal runtime: gc() frees garbage and
// must be called between other calls (the TS wrapper does it after compile,
// load and any call that grew memory). Scans allocate only while DFA caches
// grow; their memory is managed by hand.
import { PatternSet } from './meta/set';
import { setBudgets } from './meta/tree';
import { decodeHints, regionCount } from './text/hints';
import { collapseAscii } from './text/collapse';
import { serialize, deserialize } from './meta/serial';
import { featurize as featurizeText, outIdx, outVal, FEATURES_VERSION } from './features/hashing';
import { lexLoad } from './features/lexicon';

const set = new PatternSet();
let inputBuf: usize = 0;
let inputCap: u32 = 0;

/** A buffer of at least `len` bytes for the next pattern or text. */
export function input_ptr(len: u32): usize {
  if (len > inputCap || inputBuf == 0) {
    let cap = inputCap < 1024 ? <u32>1024 : inputCap;
    while (cap < len) cap *= 2;
    inputBuf = heap.alloc(<usize>cap);
    inputCap = cap;
  }
  return inputBuf;
}

export function add_pattern(len: u32, flags: u32): i32 {
  const cps = new Array<u32>();
  let i: u32 = 0;
  while (i < len) {
    const b0 = <u32>load<u8>(inputBuf + i);
    let c: u32;
    let n: u32;
    if (b0 < 0x80) { c = b0; n = 1; }
    else if (b0 < 0xe0) { c = b0 & 0x1f; n = 2; }
    else if (b0 < 0xf0) { c = b0 & 0x0f; n = 3; }
    else { c = b0 & 0x07; n = 4; }
    for (let k: u32 = 1; k < n && i + k < len; k++) c = (c << 6) | (<u32>load<u8>(inputBuf + i + k) & 0x3f);
    cps.push(c);
    i += n;
  }
  return set.add(cps, flags);
}

export function error_detail(): i32 {
  return set.errDetail;
}

export function error_pos(): i32 {
  return set.errPos;
}

/** Rule-pack policy, before any add_pattern: 1 = refuse patterns that can match the empty string. */
export function set_policy(refuseEmpty: i32): void {
  set.refuseEmpty = refuseEmpty != 0;
}

/** Pattern i's cost after finish(): 0 its NFA instructions (worst-case steps per byte), 1 its DFA's states on a probe of its own alphabet (-1: they blew up). */
export function pattern_cost(i: i32, which: i32): i32 {
  return set.cost(i, which);
}

export function finish(): void {
  set.finish();
}

export function scan(len: u32): u32 {
  return set.scan(inputBuf, len);
}

/** Like scan() but ids only (no spans): results_ptr() holds n u32 ids, ascending. */
export function scan_ids(len: u32): u32 {
  return set.scanIds(inputBuf, len);
}

export function results_ptr(): usize {
  return changetype<usize>(set.results);
}

export function work_done(): u32 {
  return set.lastWork;
}

export function pattern_count(): i32 {
  return set.count;
}

/** How many patterns have a literal prefilter (the rest run on every scan). */
export function prefiltered_count(): i32 {
  return set.prefiltered();
}

let blob: StaticArray<u8> = new StaticArray<u8>(0);

/** Serialises the finished set; returns its size in bytes (read it at serialized_ptr()). */
export function serialize_set(): u32 {
  blob = serialize(set);
  return <u32>blob.length;
}

export function serialized_ptr(): usize {
  return changetype<usize>(blob);
}

/** Loads a serialised set of `len` bytes from the input buffer instead of add_pattern + finish. 1 = ok. */
export function load_set(len: u32): i32 {
  return deserialize(set, inputBuf, len) ? 1 : 0;
}

/** Like load_set, for a blob at `ptr` (within the input buffer: the host wrote a header before it). */
export function load_set_at(ptr: usize, len: u32): i32 {
  if (ptr < inputBuf || ptr + <usize>len > inputBuf + <usize>inputCap) return 0;
  return deserialize(set, ptr, len) ? 1 : 0;
}

/**
 * Diagnostics of the last scan: 0 DFA nodes run, 1 their give-ups, 2 Pike VM
 * runs (whole-text fallback), 3 root DFA states, 4 root cache bytes,
 * 5 root cache clears, 6 root code point classes, 7 Pike VM runs for spans.
 */
export function scan_stat(which: i32): i32 {
  const t = set.tree;
  if (t == null) return 0;
  if (which == 0) return t.nodesRun;
  if (which == 1) return t.giveUps;
  if (which == 2) return t.pikeRuns;
  if (which == 7) return <i32>set.statPike;
  const d = t.root.dfa;
  if (d == null) return 0;
  if (which == 3) return d.states;
  if (which == 4) return d.bytes;
  if (which == 5) return d.clears;
  return d.k;
}

// ---- text helpers offered to the normalisation and decoding layers (text/) ----

let hintsBuf: usize = 0;
let hintsCap: u32 = 0;

/**
 * Decoding candidates of the text in the input buffer (the last scanned one):
 * returns the kinds present (text/hints.ts); hints_ptr() then holds
 * hints_count() (kind, start, end) triples in UTF-16 units, at most `max`.
 */
export function decode_hints(len: u32, max: u32): u32 {
  if (max > hintsCap || hintsBuf == 0) {
    if (hintsBuf != 0) heap.free(hintsBuf);
    hintsBuf = heap.alloc(<usize>max * 12 + 12);
    hintsCap = max;
  }
  return decodeHints(inputBuf, len, hintsBuf, max);
}

export function hints_ptr(): usize {
  return hintsBuf;
}

export function hints_count(): u32 {
  return regionCount;
}

/**
 * normalizeText's whitespace rule for ASCII text in the input buffer: writes
 * the result right after the text (the buffer has room: input_ptr(2 * len))
 * and returns its length, or -1 when the text is not printable ASCII and "\n".
 */
export function collapse_ascii(len: u32): i32 {
  return collapseAscii(inputBuf, len, inputBuf + <usize>len);
}

// ---- L2 featurisation (features/hashing.ts) ----

/** Featurises the input buffer's first `len` bytes into `dim` buckets; returns the feature count. */
export function featurize(len: u32, dim: u32): i32 {
  return featurizeText(inputBuf, len, dim);
}

/** Loads L2's security lexicon (features/lexicon.ts) from the input buffer's first `len` bytes; returns its entry count, -1 if malformed. */
export function features_lexicon(len: u32): i32 {
  return lexLoad(inputBuf, len);
}

/** Featurises `len` bytes of the input buffer from byte `off` (a window of a text written once). */
export function featurize_at(off: u32, len: u32, dim: u32, mode: u32): i32 {
  return featurizeText(inputBuf + <usize>off, len, dim, mode);
}

/** i32 bucket indices of the last featurize(). */
export function features_idx_ptr(): usize {
  return changetype<usize>(outIdx);
}

/** f32 values (L2-normalised) of the last featurize(). */
export function features_val_ptr(): usize {
  return changetype<usize>(outVal);
}

export function features_version(): i32 {
  return FEATURES_VERSION;
}

/**
 * Test hook: state budgets of the DFAs made after this call (root, others;
 * 0 = the defaults). Tiny budgets force every fallback path of the DFA tree.
 */
export function set_budgets(root: i32, slice: i32): void {
  setBudgets(root, slice);
}

/** Frees unreachable memory (the minimal runtime collects only when asked; call between other calls). */
export function gc(): void {
  __collect();
}
