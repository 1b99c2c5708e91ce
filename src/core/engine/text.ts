/**
 * Text helpers in WebAssembly offered to the normalisation and decoding
 * layers (src/core/normalize): decoding candidates found with SIMD, and
 * normalizeText's whitespace rule for ASCII text. See assembly/text/.
 */
import { type Abi, writeText } from './abi.js';

const encoder = new TextEncoder();

/** Kinds of decoding candidate (assembly/text/hints.ts). */
export const DecodeKind = { BASE64: 1, HEX: 2, PERCENT: 4, AMPERSAND: 8, BACKSLASH: 16, TAG: 32 } as const;

/**
 * Where a text may hold something a decoder would decode: `kinds` is the
 * OR of DecodeKind bits present (0: no decoder can find anything), `regions`
 * the places, in UTF-16 units (runs for BASE64/HEX; for the trigger kinds,
 * from the first occurrence to the end). Every decoder match lies inside a
 * region of its kind; `overflow`: more regions than reported (treat the
 * whole text as a candidate).
 */
export interface DecodeHints {
  kinds: number;
  regions: { kind: number; start: number; end: number }[];
  overflow: boolean;
}

/** Most regions decodeHints() reports. */
export const MAX_HINT_REGIONS = 64;

export function readHints(abi: Abi, len: number): DecodeHints {
  const k = abi.decode_hints(len, MAX_HINT_REGIONS);
  const n = abi.hints_count();
  const r = new Uint32Array(abi.memory.buffer, abi.hints_ptr(), n * 3);
  const regions = [];
  for (let i = 0; i < n; i++) regions.push({ kind: r[i * 3], start: r[i * 3 + 1], end: r[i * 3 + 2] });
  return { kinds: k & 0x7fffffff, regions, overflow: (k & 0x80000000) !== 0 };
}

/**
 * Text helpers in WebAssembly offered to the normalisation and decoding
 * layers (its own instance; not safe for concurrent use).
 */
export class TextTools {
  readonly #abi: Abi;

  constructor(abi: Abi) {
    this.#abi = abi;
  }

  /** Decoding candidates of `text` (a SIMD pass over its UTF-8). */
  decodeHints(text: string): DecodeHints {
    return readHints(this.#abi, writeText(this.#abi, text));
  }

  /**
   * normalizeText(text) for text of printable ASCII and "\n" only (whitespace
   * runs collapsed exactly as normalize.ts does), or null for any other text.
   */
  normalizeAscii(text: string): string | null {
    const abi = this.#abi;
    const cap = text.length * 3;
    const ptr = abi.input_ptr(cap * 2);
    const len = encoder.encodeInto(text, new Uint8Array(abi.memory.buffer, ptr, cap)).written;
    if (len !== text.length) return null; // not ASCII
    const n = abi.collapse_ascii(len);
    if (n < 0) return null;
    if (n === len) return text;
    return asciiDecoder.decode(new Uint8Array(abi.memory.buffer, ptr + len, n));
  }
}

const asciiDecoder = new TextDecoder();

