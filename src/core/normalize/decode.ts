/**
 * Decoders for payloads hidden in encodings: base64 (also line-wrapped),
 * hex, URL-encoding, HTML entities, unicode/JSON escapes and Unicode tag
 * characters. Each finds encoded segments and returns the decoded text; the
 * scanner scans those too and labels detections with `via`.
 *
 * Contract: every finder is a single forward loop over char codes (no regex on
 * unbounded runs: V8's backtracking stack overflows on a multi-megabyte run),
 * so time and stack are linear/constant in the input. Decoding nests
 * breadth-first until the decode budget, which grows linearly with the input,
 * is spent; whatever is skipped for the budget or the depth cap is reported
 * through `partial` ("decode_budget", "decode_depth"), never dropped silently.
 */

import { unescapeText } from './unescape.js';

export type Via = 'base64' | 'hex' | 'url' | 'html' | 'unicode_escape' | 'unicode_tags';

export interface Decoded {
  via: string; // e.g. "base64" or "base64>url" for nested layers, "url+html" for one pass that undid both
  text: string;
}

export interface DecodeLimits {
  /** Deepest nesting followed (base64 of hex of ...); a backstop, the budget is the real bound. */
  maxDepth: number;
  /** Decoded characters allowed per input character, over all layers together. */
  budgetPerChar: number;
  /** The budget of a short input (so a 1 KB prompt can still nest deeply). */
  minBudget: number;
}

/**
 * Defaults. budgetPerChar 4: base64 nested without end decodes to 3/4 + 9/16
 * + ... < 3 times the input, and one escape-undoing pass adds at most one
 * copy; so an honest text never runs out, while decoys cost the attacker as
 * much input as they cost us. maxDepth 16: well past the 5 levels seen in
 * attacks, and each level is paid from the budget anyway. minBudget 256 KB:
 * the old fixed budget, now only a floor.
 */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxDepth: 16, budgetPerChar: 4, minBudget: 256 * 1024 };

/** The decode budget, in characters, for an input of `length` characters. */
export function decodeBudget(length: number, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): number {
  return Math.max(limits.minBudget, limits.budgetPerChar * length);
}

/** Shortest base64 segment considered (16 chars = 12 bytes): shorter runs are words and ids. */
export const MIN_BASE64 = 16;
/** Shortest base64 segment considered when it ends in '=' padding (a strong sign of base64), padding included. */
export const MIN_BASE64_PADDED = 8;
/** Shortest contiguous hex run considered (16 digits = 8 bytes). */
export const MIN_HEX = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Mostly printable text (letters, spaces, punctuation), not binary noise; linear. */
export function readable(s: string): boolean {
  if (s.length < 4) return false;
  let ok = 0;
  let run = 0;
  let letters2 = false;
  let ascii = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) ascii++;
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || c >= 0xa0) ok++;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0xc0;
    run = letter ? run + 1 : 0;
    if (run >= 2) letters2 = true;
  }
  // numbers and symbols (a card number, an injection like "' OR 1=1 --") count when all printable
  return letters2 ? ok / s.length >= 0.9 : s.length >= 8 && ascii === s.length;
}

function bytesToText(bytes: Uint8Array): string | null {
  try {
    const s = utf8.decode(bytes);
    return readable(s) ? s : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- base64

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
B64[0x2d] = 62; // '-' (base64url)
B64[0x5f] = 63; // '_'

const isB64 = (c: number) => c < 128 && B64[c] >= 0;

/** Decodes base64/base64url chars (no padding, no separators); null if the tail is impossible. */
function base64Bytes(s: string): Uint8Array | null {
  const n = s.length - (s.length % 4 === 1 ? 1 : 0);
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    acc = (acc << 6) | B64[s.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return o === out.length ? out : out.subarray(0, o);
}

/** Not a plain word or identifier: base64 of text has digits, + or /, or mixed case. */
function looksEncoded(s: string): boolean {
  let lower = false;
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f) return true;
    if (c >= 0x61 && c <= 0x7a) lower = true;
    else if (c >= 0x41 && c <= 0x5a) upper = true;
    if (lower && upper) return true;
  }
  return false;
}

/** The end of the line starting at `i` if it holds only (indented) base64 and padding, else -1; `run` gets the chars. */
function base64Line(t: string, i: number, run: { start: number; end: number; pad: boolean }): number {
  let j = i;
  while (j < t.length && (t.charCodeAt(j) === 0x20 || t.charCodeAt(j) === 0x09)) j++;
  run.start = j;
  while (j < t.length && isB64(t.charCodeAt(j))) j++;
  run.end = j;
  let p = j;
  while (p < t.length && t.charCodeAt(p) === 0x3d && p - j < 2) p++;
  run.pad = p > j;
  if (p < t.length && t.charCodeAt(p) === 0x0d) p++;
  if (p < t.length && t.charCodeAt(p) !== 0x0a) return -1;
  return p;
}

/**
 * Base64 segments of `t` in order: maximal runs of the (url-safe) alphabet of
 * at least MIN_BASE64 chars, joined across line breaks when the following
 * lines hold nothing else and share one width (wrapped at 20, 64, 76 columns).
 * Calls `each(chars, lines)` with the data chars (no padding, no newlines) and,
 * for a wrapped block, its lines (tried one by one if the whole is not text).
 */
function base64Segments(t: string, each: (chars: string, lines: string[] | null) => void): void {
  const n = t.length;
  const run = { start: 0, end: 0, pad: false };
  let i = 0;
  while (i < n) {
    if (!isB64(t.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isB64(t.charCodeAt(i))) i++;
    let end = i;
    let lines: string[] | null = null;
    // a run that ends its line, followed by base64-only lines of one width;
    // a run that fills its own line sets the width, else the next line does
    let nl = i < n && t.charCodeAt(i) === 0x0d ? i + 1 : i;
    if (nl < n && t.charCodeAt(nl) === 0x0a && i - start >= 4) {
      let ls = start;
      while (ls > 0 && (t.charCodeAt(ls - 1) === 0x20 || t.charCodeAt(ls - 1) === 0x09)) ls--;
      let width = ls === 0 || t.charCodeAt(ls - 1) === 0x0a ? i - start : -1;
      const parts = [t.slice(start, i)];
      let after = i;
      while (width < 0 || width >= MIN_BASE64) {
        const lineEnd = base64Line(t, nl + 1, run);
        const len = run.end - run.start;
        if (lineEnd < 0 || len === 0) break;
        if (width < 0) {
          // after a prefix: the next line sets the width, or is the short last line
          if (len < parts[0].length) {
            parts.push(t.slice(run.start, run.end));
            after = run.end;
            break;
          }
          if (len < MIN_BASE64) break;
          width = len;
        } else if (len > width) break;
        parts.push(t.slice(run.start, run.end));
        after = run.end;
        if (len < width || run.pad || lineEnd >= n) break;
        nl = lineEnd;
      }
      if (parts.length > 1) {
        lines = parts;
        end = after;
        i = after;
      }
    }
    const chars = lines ? lines.join('') : t.slice(start, end);
    let pad = 0;
    while (pad < 2 && t.charCodeAt(i + pad) === 0x3d) pad++;
    const padded = pad > 0 || (lines !== null && run.pad);
    if ((padded ? chars.length + pad >= MIN_BASE64_PADDED : chars.length >= MIN_BASE64) && looksEncoded(chars)) each(chars, lines);
  }
}

// ---------------------------------------------------------------- hex

const HEXV = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEXV['0123456789abcdef'.charCodeAt(i)] = i;
  HEXV['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const hexv = (c: number) => (c < 128 ? HEXV[c] : -1);
const isWordChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/**
 * Hex segments of `t` as digit strings: `\xHH` runs (4+), whole words of 8+
 * contiguous pairs (optionally 0x-prefixed), and 8+ pairs with one consistent
 * separator (space or colon). Digit-only runs are numbers, not hex.
 */
function hexSegments(t: string, each: (digits: string) => void): void {
  const n = t.length;
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    // \xHH\xHH...
    if (c === 0x5c && t.charCodeAt(i + 1) === 0x78 && hexv(t.charCodeAt(i + 2)) >= 0 && hexv(t.charCodeAt(i + 3)) >= 0) {
      let j = i;
      let digits = '';
      while (j + 3 < n + 0 && t.charCodeAt(j) === 0x5c && t.charCodeAt(j + 1) === 0x78 && hexv(t.charCodeAt(j + 2)) >= 0 && hexv(t.charCodeAt(j + 3)) >= 0) {
        digits += t.slice(j + 2, j + 4);
        j += 4;
      }
      if (digits.length >= 8) emitHex(digits, each);
      i = j;
      continue;
    }
    if (hexv(c) < 0 || (i > 0 && isWordChar(t.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    // a word starting here: 0x prefix, then hex digits
    let s = i;
    if (c === 0x30 && (t.charCodeAt(i + 1) | 0x20) === 0x78 && hexv(t.charCodeAt(i + 2)) >= 0) s = i + 2;
    let j = s;
    while (j < n && hexv(t.charCodeAt(j)) >= 0) j++;
    if (j - s === 2 && (t.charCodeAt(j) === 0x20 || t.charCodeAt(j) === 0x3a) && hexv(t.charCodeAt(j + 1)) >= 0) {
      // separated pairs: HH HH HH or HH:HH:HH
      const sep = t.charCodeAt(j);
      let digits = t.slice(s, j);
      let k = j;
      while (k + 2 < n + 0 && t.charCodeAt(k) === sep && hexv(t.charCodeAt(k + 1)) >= 0 && hexv(t.charCodeAt(k + 2)) >= 0 && !isWordChar(t.charCodeAt(k + 3))) {
        digits += t.slice(k + 1, k + 3);
        k += 3;
      }
      if (digits.length >= 16) {
        emitHex(digits, each);
        i = k;
        continue;
      }
    }
    if (j < n && isWordChar(t.charCodeAt(j))) {
      // not a whole word of hex: skip the rest of the word
      while (j < n && isWordChar(t.charCodeAt(j))) j++;
      i = j;
      continue;
    }
    if (j - s >= MIN_HEX && (j - s) % 2 === 0) emitHex(t.slice(s, j), each);
    i = j;
  }
}

function emitHex(digits: string, each: (digits: string) => void): void {
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c > 0x39) return each(digits); // has a letter digit: not a plain number
  }
}

function hexBytes(digits: string): Uint8Array {
  const out = new Uint8Array(digits.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (hexv(digits.charCodeAt(2 * i)) << 4) | hexv(digits.charCodeAt(2 * i + 1));
  return out;
}

// ---------------------------------------------------------------- tags

/** Runs of Unicode tag characters U+E0020..E007E, as the ASCII they shadow. */
function tagSegments(t: string, each: (s: string) => void): void {
  let cur: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const lo = t.charCodeAt(i + 1);
    if (c === 0xdb40 && lo >= 0xdc20 && lo <= 0xdc7e) {
      cur.push(String.fromCharCode(lo - 0xdc00));
      i++;
      continue;
    }
    if (cur.length) {
      each(cur.join(''));
      cur = [];
    }
  }
  if (cur.length) each(cur.join(''));
}

// ---------------------------------------------------------------- driver

interface Pending {
  via: string;
  text: string;
}

/**
 * Every decodable payload in `text`, breadth-first, until the budget
 * (decodeBudget(text.length)) is spent or maxDepth is reached. A segment that
 * does not fit the remaining budget is skipped (smaller ones still decode) and
 * "decode_budget" is added to `partial`; decodable content left at maxDepth
 * adds "decode_depth".
 */
export function decodeLayers(text: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, partial?: Set<string>): Decoded[] {
  const out: Decoded[] = [];
  let left = decodeBudget(text.length, limits);
  let frontier: Pending[] = [{ via: '', text }];
  for (let depth = 0; frontier.length > 0; depth++) {
    const last = depth >= limits.maxDepth;
    const next: Pending[] = [];
    for (const f of frontier) {
      const chain = (via: string) => (f.via ? `${f.via}>${via}` : via);
      const emit = (via: string, s: string) => {
        const layer = { via: chain(via), text: s };
        out.push(layer);
        next.push(layer);
      };
      /** Reserves `size` chars of budget; false (and partial) when they do not fit. */
      const reserve = (size: number): boolean => {
        if (last) {
          partial?.add('decode_depth');
          return false;
        }
        if (size > left) {
          partial?.add('decode_budget');
          return false;
        }
        left -= size;
        return true;
      };
      base64Segments(f.text, (chars, lines) => {
        if (!reserve(Math.floor((chars.length * 3) / 4))) return;
        const bytes = base64Bytes(chars);
        let s = bytes && bytesToText(bytes);
        if (s) return emit('base64', s);
        // a wrapped block of separately encoded lines: try each line
        for (const line of lines ?? []) {
          if (line.length < MIN_BASE64 || !looksEncoded(line)) continue;
          const b = base64Bytes(line);
          s = b && bytesToText(b);
          if (s) emit('base64', s);
        }
      });
      hexSegments(f.text, (digits) => {
        if (!reserve(digits.length >> 1)) return;
        const s = bytesToText(hexBytes(digits));
        if (s) emit('hex', s);
      });
      tagSegments(f.text, (s) => {
        if (reserve(s.length)) emit('unicode_tags', s);
      });
      const u = unescapeText(f.text, () => reserve(f.text.length));
      if (u) emit(u.via, u.text);
    }
    frontier = last ? [] : next;
  }
  return out;
}
