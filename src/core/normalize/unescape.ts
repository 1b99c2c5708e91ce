/**
 * One pass that undoes the escapes which leave the text around them alone:
 * URL percent-encoding, HTML character references and unicode/JSON string
 * escapes, applied in that order. One pass (not one layer per decoder) keeps
 * an ordinary JSON tool result with `\n`, `&amp;` and `%20` at one decoded
 * copy instead of a copy per decoder per level.
 *
 * Contract: each step is one forward loop over char codes; output is never
 * longer than the input; nothing is allocated unless something decodes.
 */

const HEXV = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEXV['0123456789abcdef'.charCodeAt(i)] = i;
  HEXV['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const hexv = (c: number) => (c < 128 ? HEXV[c] : -1);
const utf8 = new TextDecoder('utf-8', { fatal: true });
import { TextBuilder } from './builder.js';

/** Percent-decoding of %HH runs (UTF-8, Latin-1 if not UTF-8), '+' as space; null if no %HH. */
export function decodeUrl(t: string): string | null {
  let i = findPct(t, 0);
  if (i < 0) return null;
  const out = new TextBuilder();
  let from = 0;
  let bytes = new Uint8Array(64);
  while (i >= 0) {
    out.text(t.slice(from, i).replace(/\+/g, ' '));
    let j = i;
    let k = 0;
    while (j + 2 < t.length && t.charCodeAt(j) === 0x25 && hexv(t.charCodeAt(j + 1)) >= 0 && hexv(t.charCodeAt(j + 2)) >= 0) {
      if (k === bytes.length) {
        const grown = new Uint8Array(k * 2);
        grown.set(bytes);
        bytes = grown;
      }
      bytes[k++] = (hexv(t.charCodeAt(j + 1)) << 4) | hexv(t.charCodeAt(j + 2));
      j += 3;
    }
    out.text(bytesString(bytes.subarray(0, k)));
    from = j;
    i = findPct(t, j);
  }
  out.text(t.slice(from).replace(/\+/g, ' '));
  const r = out.toString();
  return r === t ? null : r;
}

function findPct(t: string, from: number): number {
  for (let i = t.indexOf('%', from); i >= 0 && i + 2 < t.length; i = t.indexOf('%', i + 1)) {
    if (hexv(t.charCodeAt(i + 1)) >= 0 && hexv(t.charCodeAt(i + 2)) >= 0) return i;
  }
  return -1;
}

function bytesString(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const out = new TextBuilder();
    for (const b of bytes) out.code(b);
    return out.toString();
  }
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', sol: '/', colon: ':', lpar: '(', rpar: ')', equals: '=' };

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

/** HTML character references (&#NN; &#xHH; and common named ones); null if none. */
export function decodeHtml(t: string): string | null {
  let i = t.indexOf('&');
  if (i < 0) return null;
  const out = new TextBuilder();
  let from = 0;
  let changed = false;
  while (i >= 0) {
    let j = i + 1;
    let rep: string | number | undefined;
    if (t.charCodeAt(j) === 0x23) {
      j++;
      const hex = (t.charCodeAt(j) | 0x20) === 0x78;
      if (hex) j++;
      const s = j;
      while (j < t.length && j - s < (hex ? 6 : 7) && (hex ? hexv(t.charCodeAt(j)) >= 0 : isDigit(t.charCodeAt(j)))) j++;
      if (j > s) {
        const cp = parseInt(t.slice(s, j), hex ? 16 : 10);
        if (cp <= 0x10ffff) rep = cp;
      }
    } else {
      const s = j;
      while (j < t.length && j - s < 8 && isAlpha(t.charCodeAt(j))) j++;
      // a name needs its ';' (bare "&amp" in prose stays)
      if (j - s >= 2 && t.charCodeAt(j) === 0x3b) rep = NAMED[t.slice(s, j).toLowerCase()];
    }
    if (rep !== undefined) {
      if (t.charCodeAt(j) === 0x3b) j++;
      out.text(t.slice(from, i));
      if (typeof rep === 'number') out.code(rep);
      else out.text(rep);
      from = j;
      changed = true;
    }
    i = t.indexOf('&', Math.max(j, i + 1));
  }
  if (!changed) return null;
  out.text(t.slice(from));
  const r = out.toString();
  return r === t ? null : r;
}

const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '/': '/' };

/** \uXXXX, \u{...}, \UXXXXXXXX, \xHH and the JSON/C escapes \n \r \t \" \' \\ \/; null if none. */
export function decodeEscapes(t: string): string | null {
  let i = t.indexOf('\\');
  if (i < 0) return null;
  const out = new TextBuilder();
  let from = 0;
  let changed = false;
  while (i >= 0) {
    const c = t.charCodeAt(i + 1);
    let rep: string | number | undefined;
    let j = i + 2;
    const hexRun = (s: number, len: number) => {
      for (let k = s; k < s + len; k++) if (hexv(t.charCodeAt(k)) < 0) return -1;
      return parseInt(t.slice(s, s + len), 16);
    };
    if (c === 0x75 /* u */ && t.charCodeAt(j) === 0x7b /* { */) {
      let k = j + 1;
      while (k < t.length && k - j - 1 < 6 && hexv(t.charCodeAt(k)) >= 0) k++;
      if (k > j + 1 && t.charCodeAt(k) === 0x7d) {
        const cp = parseInt(t.slice(j + 1, k), 16);
        if (cp <= 0x10ffff) {
          rep = cp;
          j = k + 1;
        }
      }
    } else if (c === 0x75 || c === 0x55 || c === 0x78) {
      const len = c === 0x75 ? 4 : c === 0x55 ? 8 : 2;
      const cp = hexRun(j, len);
      if (cp >= 0 && cp <= 0x10ffff) {
        rep = cp;
        j += len;
      }
    } else if (SIMPLE[String.fromCharCode(c)] !== undefined) {
      rep = SIMPLE[String.fromCharCode(c)];
    }
    if (rep !== undefined) {
      out.text(t.slice(from, i));
      if (typeof rep === 'number') out.code(rep);
      else out.text(rep);
      from = j;
      changed = true;
      i = t.indexOf('\\', j);
    } else {
      i = t.indexOf('\\', i + 1);
    }
  }
  if (!changed) return null;
  out.text(t.slice(from));
  const r = out.toString();
  return r === t ? null : r;
}

// something one of the three decoders would change (bounded repetitions only: linear)
const TRIGGER = /%[0-9A-Fa-f]{2}|&(?:#\d|#[xX][0-9a-fA-F]|[a-zA-Z]{2,8};)|\\(?:u[0-9a-fA-F{]|U[0-9a-fA-F]|x[0-9a-fA-F]|[nrt"'\\/])/;

/**
 * `t` with URL-encoding, HTML references and escapes undone, labelled with
 * the decoders that changed something ("url", "html+unicode_escape", ...);
 * null when none did. `reserve` is asked once, before any output is built,
 * for the budget of one copy of `t`; when it says no, nothing is decoded.
 */
export function unescapeText(t: string, reserve: () => boolean): { via: string; text: string } | null {
  if (!TRIGGER.test(t)) return null;
  if (!reserve()) return null;
  const via: string[] = [];
  let cur = t;
  for (const [name, fn] of [['url', decodeUrl], ['html', decodeHtml], ['unicode_escape', decodeEscapes]] as const) {
    const r = fn(cur);
    if (r !== null) {
      via.push(name);
      cur = r;
    }
  }
  return via.length ? { via: via.join('+'), text: cur } : null;
}
