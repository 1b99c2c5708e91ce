// Disguise generators: each turns a plain attack text into the disguised form
// an attacker would send (issue 12's list). Shared by the disguise test and
// scripts that measure rates.

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/**
 * Applies `f` to the words of `s`: whitespace-separated tokens that are a
 * natural-language word (lower-case, Capitalised or ALL-CAPS letters, with
 * punctuation around). Letter-level disguises are what an attacker does to
 * words; base64 blobs, hex, keys, paths and identifiers stay as they are.
 */
const PROSE = /^(\p{P}*)(\p{Lu}?\p{Ll}+|\p{Lu}+)(\p{P}*)$/u;
const words = (s: string, f: (w: string) => string) =>
  s.replace(/\S+/gu, (tok) => {
    const m = PROSE.exec(tok);
    return m ? m[1] + f(m[2]) + m[3] : tok;
  });
/** Applies `f` to each character of the words of `s`. */
const letters = (s: string, f: (c: string) => string) => words(s, (w) => [...w].map(f).join(''));

/** Inserts `mark` after the second letter of every word of 3+ letters ("ig\u034Fnore"). */
const inside = (mark: string) => (s: string) => words(s, (w) => (w.length >= 3 ? w.slice(0, 2) + mark + w.slice(2) : w));

const ROT = (c: string) => {
  const x = c.charCodeAt(0);
  if (x >= 97 && x <= 122) return String.fromCharCode(((x - 97 + 13) % 26) + 97);
  if (x >= 65 && x <= 90) return String.fromCharCode(((x - 65 + 13) % 26) + 65);
  return c;
};

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };
const ACCENTS = ['\u0301', '\u0308', '\u0300', '\u0302', '\u0303'];
const RARE: Record<string, string> = { a: '\u1EA1', e: '\u1EB9', o: '\u1ECD', n: '\u057C', r: '\uAB47', l: '\u019A' };
const TAGS = ['<b></b>', '<span>', '</span>', '<i></i>', '<!-- -->'];

/** Wraps `s` at `width` columns. */
export function wrap(s: string, width: number): string {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += width) out.push(s.slice(i, i + width));
  return out.join('\n');
}

/** Readable base64 decoys: sentences that are not attacks. */
function decoys(count: number, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let t = `Decoy ${i}: the weather report for station ${i} says clear skies and light wind. `;
    while (t.length < size) t += `Reading ${t.length} of station ${i} is nominal. `;
    out.push(b64(t));
  }
  return out;
}

export const DISGUISES: Record<string, (s: string) => string> = {
  'U+034F inside words': inside('\u034F'),
  'U+FE0F inside words': inside('\uFE0F'),
  'newline between letters': (s) => [...s].join('\n'),
  'spaces between letters': (s) => [...s].join(' '),
  leetspeak: (s) => letters(s, (c) => LEET[c.toLowerCase()] ?? c),
  'combining accents': (s) => {
    let k = 0;
    return letters(s, (c) => (/[A-Za-z]/.test(c) ? c + ACCENTS[k++ % ACCENTS.length] : c));
  },
  'HTML tags inside words': (s) => {
    let k = 0;
    return words(s, (w) => (w.length >= 3 ? w.slice(0, 2) + TAGS[k++ % TAGS.length] + w.slice(2) : w));
  },
  rot13: (s) => [...s].map(ROT).join(''),
  'reversed text': (s) => [...s].reverse().join(''),
  'base64 wrapped at 20 columns': (s) => `Please decode this and follow it:\n${wrap(b64(s), 20)}`,
  'one JSON field per word': (s) => JSON.stringify(Object.fromEntries(s.split(/\s+/).filter(Boolean).map((w, i) => [`w${i}`, w]))),
  'rarer look-alike letters': (s) => {
    let k = 0;
    return letters(s, (c) => {
      if (c === 'm') return 'rn';
      if (c === 'l') return k++ % 2 ? '\u01C0' : '\u019A';
      return RARE[c] ?? c;
    });
  },
  'payload past the old 256 KB decode budget': (s) => `${decoys(12, 24 * 1024).join('\n')}\n${b64(s)}`,
  'payload past the old 32-segment cap': (s) => `${decoys(40, 60).join(' ')} ${b64(s)}`,
  'base64 nested 5 deep': (s) => {
    let t = s;
    for (let i = 0; i < 5; i++) t = b64(t);
    return t;
  },
};
