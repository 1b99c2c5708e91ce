/**
 * Decoders for payloads hidden in encodings: base64, hex, URL-encoding, HTML
 * entities, unicode escapes and Unicode tag characters. Each finds encoded
 * segments and returns the decoded text; the scanner scans those too and
 * labels detections with `via`. Bounded in depth, count and size.
 */

export type Via = 'base64' | 'hex' | 'url' | 'html' | 'unicode_escape' | 'unicode_tags';

export interface Decoded {
  via: string; // e.g. "base64" or "base64>url" for nested layers
  text: string;
}

export interface DecodeLimits {
  /** How many layers deep to follow (base64 of hex of ...). */
  maxDepth: number;
  /** Total decoded characters across all layers. */
  maxTotal: number;
  /** Most segments per decoder per layer. */
  maxSegments: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxDepth: 3, maxTotal: 256 * 1024, maxSegments: 32 };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Mostly printable text (letters, spaces, punctuation), not binary noise. */
function readable(s: string): boolean {
  if (s.length < 4) return false;
  let ok = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || c >= 0xa0) ok++;
  }
  return ok / s.length >= 0.9 && /[A-Za-z\u00C0-\uFFFF]{2}/.test(s);
}

function bytesToText(bytes: Uint8Array): string | null {
  try {
    const s = utf8.decode(bytes);
    return readable(s) ? s : null;
  } catch {
    return null;
  }
}

const B64 = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
function decodeBase64(t: string, max: number, budget: number): string[] {
  const out: string[] = [];
  for (const m of t.matchAll(B64)) {
    if (out.length >= max) break;
    if (m[0].length * 0.75 > budget) continue; // would exceed the decoding budget: not decoded at all
    let s = m[0].replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
    if (s.length % 4 === 1) s = s.slice(0, -1);
    // plain words are not base64 (each test is linear: no backtracking on long runs)
    if (!(/[0-9+/]/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s)))) continue;
    try {
      const bin = atob(s + '='.repeat((4 - (s.length % 4)) % 4));
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      const txt = bytesToText(bytes);
      if (txt) out.push(txt);
    } catch {
      /* not base64 */
    }
  }
  return out;
}

// \xHH runs, contiguous pairs as a whole word, or pairs with one consistent separator
const HEX = /(?:\\x[0-9a-fA-F]{2}){4,}|\b(?:0x)?(?:[0-9a-fA-F]{2}){8,}\b|\b(?:[0-9a-fA-F]{2} ){7,}[0-9a-fA-F]{2}\b|\b(?:[0-9a-fA-F]{2}:){7,}[0-9a-fA-F]{2}\b/g;
function decodeHex(t: string, max: number): string[] {
  const out: string[] = [];
  for (const m of t.matchAll(HEX)) {
    if (out.length >= max) break;
    const digits = m[0].replace(/\\x|0x|[ :]/g, '');
    if (digits.length % 2 !== 0 || /^\d+$/.test(digits)) continue;
    const bytes = new Uint8Array(digits.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
    const txt = bytesToText(bytes);
    if (txt) out.push(txt);
  }
  return out;
}

const PCT = /(?:%[0-9A-Fa-f]{2})+/g;
function decodeUrl(t: string): string | null {
  if (!/%[0-9A-Fa-f]{2}/.test(t)) return null;
  const r = t.replace(PCT, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  }).replace(/\+/g, ' ');
  return r === t ? null : r;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', sol: '/', colon: ':', lpar: '(', rpar: ')', equals: '=' };
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));?/g;
function decodeHtml(t: string): string | null {
  if (!/&(?:#\d|#[xX][0-9a-fA-F]|[a-zA-Z]{2,8};)/.test(t)) return null;
  const r = t.replace(ENTITY, (all, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    const cp = dec !== undefined ? parseInt(dec, 10) : hex !== undefined ? parseInt(hex, 16) : -1;
    if (cp >= 0) return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    return NAMED[name!.toLowerCase()] ?? all;
  });
  return r === t ? null : r;
}

// \uXXXX, \u{...}, \UXXXXXXXX, \xHH, and the JSON/C string escapes \n \r \t \" \' \\ \/
// (text inside a JSON string — a tool definition, a tool result — hides its
// line breaks as \n, which would otherwise glue words to the escape)
const UESC = /\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\x([0-9a-fA-F]{2})|\\([nrt"'\\/])/g;
const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '/': '/' };
function decodeUnicodeEscapes(t: string): string | null {
  if (!/\\(?:u[0-9a-fA-F{]|U[0-9a-fA-F]|x[0-9a-fA-F]|[nrt"'\\/])/.test(t)) return null;
  const r = t.replace(UESC, (all, a?: string, b?: string, c?: string, d?: string, e?: string) => {
    if (e !== undefined) return SIMPLE[e];
    const cp = parseInt((a ?? b ?? c ?? d)!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
  return r === t ? null : r;
}

const TAGS = /(?:\uDB40[\uDC20-\uDC7E])+/g;
function decodeTags(t: string, max: number): string[] {
  const out: string[] = [];
  for (const m of t.matchAll(TAGS)) {
    if (out.length >= max) break;
    let s = '';
    for (const ch of m[0]) s += String.fromCharCode(ch.codePointAt(0)! - 0xe0000);
    out.push(s);
  }
  return out;
}

/** One layer of every decoder over `t`. */
function decodeOnce(t: string, max: number, budget: number): Decoded[] {
  const out: Decoded[] = [];
  for (const s of decodeBase64(t, max, budget)) out.push({ via: 'base64', text: s });
  for (const s of decodeHex(t, max)) out.push({ via: 'hex', text: s });
  for (const s of decodeTags(t, max)) out.push({ via: 'unicode_tags', text: s });
  const u = decodeUrl(t);
  if (u) out.push({ via: 'url', text: u });
  const h = decodeHtml(t);
  if (h) out.push({ via: 'html', text: h });
  const e = decodeUnicodeEscapes(t);
  if (e) out.push({ via: 'unicode_escape', text: e });
  return out;
}

/**
 * Every decodable payload in `text`, breadth-first up to `maxDepth` layers,
 * stopping once `maxTotal` decoded characters have been produced.
 */
export function decodeLayers(text: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, partial?: Set<string>): Decoded[] {
  const out: Decoded[] = [];
  let frontier: Decoded[] = [{ via: '', text }];
  let total = 0;
  for (let depth = 0; depth < limits.maxDepth && frontier.length > 0; depth++) {
    const next: Decoded[] = [];
    for (const f of frontier) {
      for (const d of decodeOnce(f.text, limits.maxSegments, limits.maxTotal - total)) {
        if (total + d.text.length > limits.maxTotal) {
          partial?.add('decode_budget');
          continue; // over budget: skip it, keep the smaller ones
        }
        total += d.text.length;
        const layer = { via: f.via ? `${f.via}>${d.via}` : d.via, text: d.text };
        out.push(layer);
        next.push(layer);
      }
    }
    frontier = next;
  }
  return out;
}
