/**
 * Text normalisation before matching: attackers evade rules with look-alike
 * text, so rules run on a canonical form as well as on the raw text.
 *   1. Unicode NFKC (fullwidth, mathematical alphanumerics, ligatures -> plain)
 *   2. every Default_Ignorable_Code_Point removed (zero-width characters, joiners,
 *      bidi controls, soft hyphen, variation selectors, CGJ U+034F, tag
 *      characters, ...: the generated table in tables.ts)
 *   3. common confusables (Cyrillic, Greek, Armenian, ... look-alikes) -> ASCII
 *   4. runs of horizontal whitespace -> one space; blank-line runs -> one newline
 */

import { isDefaultIgnorable } from './unicode.js';

/** Look-alike -> ASCII, for letters NFKC leaves alone. */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
  'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ɡ': 'g',
  'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'У': 'Y',
  'Х': 'X', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J', 'Ԁ': 'D', 'Ԛ': 'Q', 'Ԝ': 'W', 'Һ': 'H', 'Ӏ': 'I',
  // Greek
  'α': 'a', 'ο': 'o', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ε': 'e', 'η': 'n', 'ϲ': 'c',
  'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P',
  'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'Ϲ': 'C',
  // Armenian, Latin extensions, others
  'օ': 'o', 'ս': 'u', 'ց': 'g', 'ո': 'n', 'հ': 'h', 'ա': 'w', 'ı': 'i', 'ȷ': 'j', 'ł': 'l', 'ƅ': 'b', 'ɑ': 'a',
  'ɩ': 'i', 'ʏ': 'y', 'ᴀ': 'A', 'ʙ': 'B', 'ᴄ': 'C', 'ᴅ': 'D', 'ᴇ': 'E', 'ɢ': 'G', 'ʜ': 'H', 'ɪ': 'I', 'ᴊ': 'J',
  'ᴋ': 'K', 'ʟ': 'L', 'ᴍ': 'M', 'ɴ': 'N', 'ᴏ': 'O', 'ᴘ': 'P', 'ʀ': 'R', 'ꜱ': 'S', 'ᴛ': 'T', 'ᴜ': 'U', 'ᴠ': 'V',
  'ᴡ': 'W', 'ᴢ': 'Z',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

const ASCII_SIMPLE = /^[\x20-\x7E\n]*$/;

/**
 * The canonical form of `text` that rules also run on.
 * Pure and deterministic; ASCII text with single spaces comes back unchanged.
 */
export function normalizeText(text: string): string {
  let t = text;
  if (!ASCII_SIMPLE.test(t)) {
    t = removeIgnorable(t);
    t = t.normalize('NFKC');
    t = removeIgnorable(t); // NFKC can produce one (U+FFA0 -> U+1160)
    t = t.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c);
  }
  return collapseWhitespace(t);
}

/** JavaScript's \s (what the old regexes collapsed). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Every whitespace run -> one newline if it holds a line break, else one
 * space; `t` itself when nothing changes. One loop (regexes with a repeated
 * class followed by more pattern backtrack on long runs).
 */
function collapseWhitespace(t: string): string {
  const parts: string[] = [];
  let from = 0;
  // candidates found natively: any whitespace but a space, or two spaces (fixed length: linear)
  const re = /[^\S ]| {2}/g;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    let s = m.index;
    while (s > from && isSpace(t.charCodeAt(s - 1))) s--;
    let i = m.index;
    let nl = false;
    while (i < t.length && isSpace(t.charCodeAt(i))) {
      if (t.charCodeAt(i) === 0x0a) nl = true;
      i++;
    }
    for (let k = s; k < m.index && !nl; k++) if (t.charCodeAt(k) === 0x0a) nl = true;
    const rep = nl ? '\n' : ' ';
    if (i - s !== 1 || t[s] !== rep) {
      parts.push(t.slice(from, s), rep);
      from = i;
    }
    re.lastIndex = i;
  }
  if (parts.length === 0) return t;
  parts.push(t.slice(from));
  return parts.join('');
}

/** `text` without its Default_Ignorable_Code_Points; the same string when it has none. Linear. */
export function removeIgnorable(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xad) continue;
    const hi = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
    const cp = hi ? text.codePointAt(i)! : c;
    if (isDefaultIgnorable(cp)) {
      out += text.slice(from, i);
      from = i + (cp > 0xffff ? 2 : 1);
    }
    if (cp > 0xffff) i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** True when `text` holds a Default_Ignorable_Code_Point (zero-width, bidi, variation selectors, tags, ...). */
export function hasInvisible(text: string): boolean {
  return removeIgnorable(text) !== text;
}
