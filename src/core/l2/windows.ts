/**
 * How L2 reads a long text: as overlapping windows, so an injection in the
 * middle of a 5 KB page is scored on its own and not diluted by the page
 * around it. The text's score is its most suspicious window's.
 *
 * Windows are byte ranges of the UTF-8 text (never splitting a character,
 * snapped back to whitespace when one is near):
 *   - a text of at most WINDOW_BYTES * 5/4 bytes is one window;
 *   - up to DENSE_LIMIT_BYTES, windows of WINDOW_BYTES every STRIDE_BYTES
 *     (half-overlapping: any span of up to STRIDE_BYTES lies wholly inside
 *     one window);
 *   - past DENSE_LIMIT_BYTES, windows of WINDOW_BYTES every WINDOW_BYTES
 *     (no overlap): half the cost per byte, still linear and still covering
 *     every byte; an injection cut by a boundary is seen as two halves by
 *     L2, and whole by the rules (L1), which always read the entire text.
 * Cost is linear in the text: each byte is featurised at most twice.
 */

/**
 * Bytes per window: a short paragraph (~60-70 English words). Chosen by
 * leave-one-source-out: 384 beat 512 and 256 (an injected sentence is a larger
 * share of its window, so less diluted, at 1.33x the windows of 512).
 */
export const WINDOW_BYTES = 384;
/** Distance between window starts up to DENSE_LIMIT_BYTES. */
export const STRIDE_BYTES = 192;
/** Above this size, windows stop overlapping (see above). */
export const DENSE_LIMIT_BYTES = 100 * 1024;
/** How far back a boundary may move to land on whitespace. */
const SNAP_BYTES = 24;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;
const isContinuation = (b: number) => (b & 0xc0) === 0x80;

/** Moves `i` back to just after nearby whitespace, or else to a character boundary. */
function snap(bytes: Uint8Array, i: number, len: number): number {
  if (i <= 0 || i >= len) return Math.max(0, Math.min(i, len));
  for (let k = i; k > i - SNAP_BYTES && k > 0; k--) if (isSpace(bytes[k - 1])) return k;
  let j = i;
  while (j > 0 && isContinuation(bytes[j])) j--;
  return j;
}

/**
 * The windows of a `len`-byte UTF-8 text as [start, end) pairs, flattened:
 * [s0, e0, s1, e1, ...]. Every byte lies in at least one window.
 */
export function planWindows(bytes: Uint8Array, len: number, window = WINDOW_BYTES, stride = STRIDE_BYTES, denseLimit = DENSE_LIMIT_BYTES): number[] {
  if (len <= window + (window >> 2)) return [0, len];
  const step = len > denseLimit ? window : stride;
  const out: number[] = [];
  let start = 0;
  for (;;) {
    if (start + window >= len) {
      out.push(start, len);
      break;
    }
    const end = snap(bytes, start + window, len);
    out.push(start, end);
    const next = snap(bytes, start + step, len);
    // never go backwards, never leave a gap
    start = next > start && next <= end ? next : end;
  }
  return out;
}
