/**
 * The text helpers the engine offers to the normalisation and decoding
 * layers keep their contracts against the JS they would replace:
 *  - decodeHints never misses: every match of each decoder's regex (copied
 *    from src/core/normalize/decode.ts; keep them in step) lies inside a
 *    region of its kind, and with no kind set decodeLayers finds nothing;
 *  - normalizeAscii equals normalizeText on printable ASCII and "\n", and
 *    declines (null) everything else.
 * Inputs: generated texts biased towards payloads, separators and runs.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine, DecodeKind, type TextTools } from '../../src/core/engine/index.js';
import { normalizeText } from '../../src/core/normalize/normalize.js';
import { decodeLayers } from '../../src/core/normalize/decode.js';

// the decoders' candidate regexes, as in src/core/normalize/decode.ts
const DECODERS: [number, RegExp][] = [
  [DecodeKind.BASE64, /[A-Za-z0-9+/_-]{16,}={0,2}/g],
  [DecodeKind.HEX, /\b(?:0x)?(?:[0-9a-fA-F]{2}){8,}\b|\b(?:[0-9a-fA-F]{2} ){7,}[0-9a-fA-F]{2}\b|\b(?:[0-9a-fA-F]{2}:){7,}[0-9a-fA-F]{2}\b/g],
  [DecodeKind.BACKSLASH, /(?:\\x[0-9a-fA-F]{2}){4,}/g],
  [DecodeKind.PERCENT, /(?:%[0-9A-Fa-f]{2})+/g],
  [DecodeKind.AMPERSAND, /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));?/g],
  [DecodeKind.BACKSLASH, /\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\x([0-9a-fA-F]{2})|\\([nrt"'\\/])/g],
  [DecodeKind.TAG, /(?:\uDB40[\uDC20-\uDC7E])+/g],
];

function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s % n;
  };
}

const PIECES = [
  'hello ', 'world', ' ', '  ', '\n', '\n\n', ' \n ', 'deadbeefcafebabe', 'de ad be ef ca fe ba be', 'de:ad:be:ef:ca:fe:ba:be',
  'aWdub3JlIHByZXZpb3Vz', 'SGVsbG8gd29ybGQ=', '0x41424344454647484950', '%69%67%6e', '&#105;', '&amp;', '&lt;', '\\u0069',
  '\\x69\\x67\\x6e\\x6f', '\\n', 'café ', 'Ж', '😀', '\u{E0069}\u{E0067}', 'a-b_c+d/e', '\t', 'x'.repeat(15), 'A'.repeat(17),
];

function texts(n: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    const parts = 1 + r(40);
    for (let k = 0; k < parts; k++) s += PIECES[r(PIECES.length)];
    out.push(s);
  }
  return out;
}

let tools: TextTools;
beforeAll(async () => {
  const engine = await loadEngine(readFileSync(fileURLToPath(new URL('../../build/raxe.wasm', import.meta.url))));
  tools = engine.textTools();
});

describe('decodeHints', () => {
  it('every decoder match lies in a region of its kind; no kind means decodeLayers finds nothing', () => {
    const corpus = texts(3000, 16);
    let withHints = 0;
    for (const t of corpus) {
      const h = tools.decodeHints(t);
      if (h.kinds === 0) expect(decodeLayers(t), JSON.stringify(t)).toEqual([]);
      else withHints++;
      if (h.overflow) continue;
      for (const [kind, re] of DECODERS) {
        for (const m of t.matchAll(re)) {
          const s = m.index!;
          const e = s + m[0].length;
          const ok = h.regions.some((r) => (r.kind & kind) !== 0 && r.start <= s && e <= r.end);
          expect(ok, `${JSON.stringify(m[0])} (kind ${kind}) at ${s}-${e} in ${JSON.stringify(t)}: ${JSON.stringify(h)}`).toBe(true);
        }
      }
    }
    expect(withHints).toBeGreaterThan(1000);
  });

  it('plain prose has no candidates; offsets are UTF-16 across astral characters', () => {
    expect(tools.decodeHints('Please summarise the quarterly report for the team.').kinds).toBe(0);
    const t = '😀😀 x ' + 'QUFBQUFBQUFBQUFBQUFBQQ==' + ' é';
    const h = tools.decodeHints(t);
    const r = h.regions.find((x) => x.kind === DecodeKind.BASE64)!;
    expect(t.slice(r.start, r.end)).toBe('QUFBQUFBQUFBQUFBQUFBQQ==');
  });

  it('a matcher reports the hints of the text it last scanned, without re-encoding it', async () => {
    const engine = await loadEngine(readFileSync(fileURLToPath(new URL('../../build/raxe.wasm', import.meta.url))));
    const m = engine.compile([{ source: 'x' }]);
    m.scanIds('see %69%67 and &amp;');
    expect(m.decodeHints().kinds).toBe(DecodeKind.PERCENT | DecodeKind.AMPERSAND);
  });
});

describe('normalizeAscii', () => {
  it('equals normalizeText on printable ASCII and newlines, and declines the rest', () => {
    const r = rng(7);
    const alphabet = ['a', 'b', ' ', ' ', '\n', '.', 'Z', '~', '  ', '\n \n', ' \n'];
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const n = r(60);
      for (let k = 0; k < n; k++) s += alphabet[r(alphabet.length)];
      expect(tools.normalizeAscii(s), JSON.stringify(s)).toBe(normalizeText(s));
    }
    for (const s of ['tab\there', 'cr\r\n', 'café', 'zero\u200bwidth', 'vt\v']) expect(tools.normalizeAscii(s)).toBeNull();
  });
});
