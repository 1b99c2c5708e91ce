// normalizeText's whitespace rule for plain ASCII text, in one pass.
//
// Contract: for text made only of printable ASCII and "\n" (normalize.ts's
// ASCII_SIMPLE: NFKC, invisible characters and confusables do not apply),
// collapseAscii() writes exactly what normalizeText() returns: every maximal
// run of spaces and newlines becomes "\n" if it holds a newline, else " ".
// For any other text it returns -1 and the caller uses normalizeText().
// (Offered to src/core/normalize: measured against it in bench/text.js.)

/** Writes the collapsed form of [inp, inp+len) at out (room for len bytes); returns its length, or -1. */
export function collapseAscii(inp: usize, len: u32, out: usize): i32 {
  let o: usize = 0;
  let i: u32 = 0;
  while (i < len) {
    const b = <u32>load<u8>(inp + i);
    if (b == 0x20 || b == 0x0a) {
      let nl = b == 0x0a;
      let j = i + 1;
      while (j < len) {
        const c = <u32>load<u8>(inp + j);
        if (c == 0x0a) nl = true;
        else if (c != 0x20) break;
        j++;
      }
      store<u8>(out + o, nl ? 0x0a : 0x20);
      o++;
      i = j;
      continue;
    }
    if (b < 0x20 || b > 0x7e) return -1;
    store<u8>(out + o, <u8>b);
    o++;
    i++;
  }
  return <i32>o;
}
