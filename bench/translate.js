// Python `re` pattern -> V8 RegExp / RE2 syntax, for the benchmark baselines.
//
//   pyToV8({ source, flags })  -> RegExp ('u' always, 'i'/'m'/'s' from flags)
//   pyToRE2({ source, flags }) -> RE2 source string (flags as a leading group)
//
// Covers what rule packs use: identity escapes of punctuation (invalid under
// V8's 'u'), \uXXXX / \UXXXXXXXX (RE2 wants \x{...}), {,n}, \A and \Z, named
// groups (?P<n>...), and scoped flag groups (?i:...) (V8 in Node 20 has no
// modifiers: their letters are expanded to both cases). Python's `$` (end or
// before a final newline) is kept as each engine's `$`: the baselines are for
// timing, and raxe's answers are checked against Python elsewhere. Throws on
// anything it does not know, so a pattern is left out rather than mistimed.

const IGNORECASE = 2, MULTILINE = 8, DOTALL = 16, VERBOSE = 64;
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

/** Splits a Python pattern into tokens: {t:'esc'|'class'|'open'|'close'|'char', s, flags?}. */
function tokens(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === 'u') { out.push({ t: 'cp', cp: parseInt(src.slice(i + 2, i + 6), 16) }); i += 6; continue; }
      if (n === 'U') { out.push({ t: 'cp', cp: parseInt(src.slice(i + 2, i + 10), 16) }); i += 10; continue; }
      if (n === 'x') { out.push({ t: 'cp', cp: parseInt(src.slice(i + 2, i + 4), 16) }); i += 4; continue; }
      out.push({ t: 'esc', s: n });
      i += 2;
      continue;
    }
    if (c === '[') {
      // class body, kept as items for re-emission
      let j = i + 1;
      const items = [];
      let neg = false;
      if (src[j] === '^') { neg = true; j++; }
      let first = true;
      while (j < src.length && (src[j] !== ']' || first)) {
        first = false;
        if (src[j] === '\\') {
          const n = src[j + 1];
          if (n === 'u') { items.push({ t: 'cp', cp: parseInt(src.slice(j + 2, j + 6), 16) }); j += 6; }
          else if (n === 'U') { items.push({ t: 'cp', cp: parseInt(src.slice(j + 2, j + 10), 16) }); j += 10; }
          else if (n === 'x') { items.push({ t: 'cp', cp: parseInt(src.slice(j + 2, j + 4), 16) }); j += 4; }
          else { items.push({ t: 'esc', s: n }); j += 2; }
        } else {
          items.push({ t: 'cp', cp: src.codePointAt(j) });
          j += src.codePointAt(j) > 0xffff ? 2 : 1;
        }
      }
      if (src[j] !== ']') throw new Error('unterminated class');
      out.push({ t: 'class', neg, items });
      i = j + 1;
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const m = /^\(\?([aiLmsux]*)(?:-([imsx]+))?([:)])/.exec(src.slice(i));
      if (m && (m[1] || m[2])) {
        if (m[3] === ')') { out.push({ t: 'global', on: m[1] }); i += m[0].length; continue; }
        out.push({ t: 'open', s: '(?:', on: m[1], off: m[2] ?? '' });
        i += m[0].length;
        continue;
      }
      if (src.startsWith('(?P<', i)) { const e = src.indexOf('>', i); out.push({ t: 'open', s: '(?<' + src.slice(i + 4, e) + '>' }); i = e + 1; continue; }
      if (src.startsWith('(?:', i)) { out.push({ t: 'open', s: '(?:' }); i += 3; continue; }
      throw new Error(`unsupported group ${src.slice(i, i + 4)}`);
    }
    if (c === '(') { out.push({ t: 'open', s: '(' }); i++; continue; }
    if (c === ')') { out.push({ t: 'close' }); i++; continue; }
    if (c === '{') {
      const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(src.slice(i));
      if (m) { out.push({ t: 'quant', s: `{${m[1] || '0'}${m[2] ? ',' + m[3] : ''}}` }); i += m[0].length; continue; }
      out.push({ t: 'cp', cp: 0x7b });
      i++;
      continue;
    }
    if ('*+?|^$.'.includes(c)) { out.push({ t: 'meta', s: c }); i++; continue; }
    const cp = src.codePointAt(i);
    out.push({ t: 'cp', cp });
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

const hex = (cp, re2) => (re2 ? `\\x{${cp.toString(16)}}` : `\\u{${cp.toString(16)}}`);

/** One code point as a literal outside a class. */
function lit(cp, fold, re2) {
  const ch = String.fromCodePoint(cp);
  const lo = ch.toLowerCase(), up = ch.toUpperCase();
  if (fold && lo !== up && [...lo].length === 1 && [...up].length === 1) return `[${classCp(lo.codePointAt(0), re2)}${classCp(up.codePointAt(0), re2)}]`;
  if (SYNTAX.has(ch)) return '\\' + ch;
  if (cp < 0x20 || cp > 0x7e) return hex(cp, re2);
  return ch;
}

function classCp(cp, re2) {
  const ch = String.fromCodePoint(cp);
  if (/[\\\]\[^\-]/.test(ch)) return '\\' + ch;
  if (cp < 0x20 || cp > 0x7e) return hex(cp, re2);
  return ch;
}

const ESC_OK = new Set([...'dDwWsSbBntrfv0']);

function emitEsc(s, re2, inClass) {
  if (ESC_OK.has(s)) return '\\' + s;
  if (s === 'A') { if (inClass) throw new Error('\\A in class'); return re2 ? '\\A' : '(?<![\\s\\S])'; }
  if (s === 'Z') { if (inClass) throw new Error('\\Z in class'); return re2 ? '\\z' : '(?![\\s\\S])'; }
  if (/[a-zA-Z0-9]/.test(s)) throw new Error(`escape \\${s}`);
  return inClass ? classCp(s.codePointAt(0), re2) : lit(s.codePointAt(0), false, re2);
}

function emitClass(tok, fold, re2) {
  let body = '';
  const it = tok.items;
  for (let k = 0; k < it.length; k++) {
    const a = it[k];
    if (a.t === 'esc') { body += emitEsc(a.s, re2, true); continue; }
    if (it[k + 1]?.t === 'cp' && it[k + 1].cp === 0x2d && it[k + 2]?.t === 'cp') {
      const b = it[k + 2];
      body += `${classCp(a.cp, re2)}-${classCp(b.cp, re2)}`;
      if (fold) {
        const lo = String.fromCodePoint(a.cp), hi = String.fromCodePoint(b.cp);
        if (/[a-z]/.test(lo) && /[a-z]/.test(hi)) body += `${lo.toUpperCase()}-${hi.toUpperCase()}`;
        else if (/[A-Z]/.test(lo) && /[A-Z]/.test(hi)) body += `${lo.toLowerCase()}-${hi.toLowerCase()}`;
      }
      k += 2;
      continue;
    }
    body += classCp(a.cp, re2);
    if (fold) {
      const ch = String.fromCodePoint(a.cp);
      for (const v of new Set([ch.toLowerCase(), ch.toUpperCase()])) if (v !== ch && [...v].length === 1) body += classCp(v.codePointAt(0), re2);
    }
  }
  return `[${tok.neg ? '^' : ''}${body}]`;
}

function translate(p, re2) {
  if (p.flags & VERBOSE) throw new Error('VERBOSE patterns are not translated');
  const toks = tokens(p.source);
  let global = p.flags;
  const stack = [];
  let fold = false; // a scoped (?i:...) is in force (V8 only; RE2 keeps the group)
  let out = '';
  for (const t of toks) {
    switch (t.t) {
      case 'global':
        if (t.on.includes('i')) global |= IGNORECASE;
        if (t.on.includes('m')) global |= MULTILINE;
        if (t.on.includes('s')) global |= DOTALL;
        if (t.on.includes('x')) throw new Error('(?x) is not translated');
        break;
      case 'open':
        stack.push(fold);
        if (t.on !== undefined && (t.on.replace(/i/g, '') || t.off)) throw new Error(`scoped flags (?${t.on}-${t.off}:...)`);
        if (t.on !== undefined && re2) out += '(?i:';
        else out += t.s;
        if (t.on !== undefined && !(global & IGNORECASE)) fold = true;
        break;
      case 'close':
        fold = stack.pop();
        out += ')';
        break;
      case 'esc': out += emitEsc(t.s, re2, false); break;
      case 'class': out += emitClass(t, fold && !re2, re2); break;
      case 'quant': case 'meta': out += t.s; break;
      case 'cp': out += lit(t.cp, fold && !re2, re2); break;
    }
  }
  let f = '';
  if (global & IGNORECASE) f += 'i';
  if (global & MULTILINE) f += 'm';
  if (global & DOTALL) f += 's';
  return { src: out, flags: f };
}

/** A V8 RegExp for a Python pattern (throws when it cannot be translated). */
export function pyToV8(p) {
  const { src, flags } = translate(p, false);
  return new RegExp(src, 'u' + flags);
}

/** An RE2 source string for a Python pattern (flags as a leading (?ims)). */
export function pyToRE2(p) {
  const { src, flags } = translate(p, true);
  return flags ? `(?${flags})${src}` : src;
}
