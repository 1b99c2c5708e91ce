/**
 * Text normalisation before matching: attackers evade rules with look-alike
 * text, so rules run on a canonical form as well as on the raw text.
 *   1. Unicode NFKC (fullwidth, mathematical alphanumerics, ligatures -> plain)
 *   2. invisible characters removed (zero-width, bidi controls, soft hyphen, tag characters)
 *   3. common confusables (Cyrillic, Greek, Armenian, ... look-alikes) -> ASCII
 *   4. runs of horizontal whitespace -> one space; blank-line runs -> one newline
 */

// zero-width, joiners, bidi embeddings/overrides/isolates, word joiner and
// invisible operators, BOM, soft hyphen, Mongolian vowel separator, tag characters
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;

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

const H_SPACE = /[^\S\n]+/g;
const BLANK_LINES = / ?\n[\s]*\n ?| ?\n ?/g;
const ASCII_SIMPLE = /^[\x20-\x7E\n]*$/;

/**
 * The canonical form of `text` that rules also run on.
 * Pure and deterministic; ASCII text with single spaces comes back unchanged.
 */
export function normalizeText(text: string): string {
  let t = text;
  if (!ASCII_SIMPLE.test(t)) {
    t = t.replace(INVISIBLE, '');
    t = t.normalize('NFKC');
    t = t.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c);
  }
  if (/\s\s|[^\S ]/.test(t)) {
    t = t.replace(H_SPACE, ' ').replace(BLANK_LINES, '\n');
  }
  return t;
}

/** True when `text` holds invisible formatting characters (zero-width, bidi, tags). */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const r = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return r;
}
