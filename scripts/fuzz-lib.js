// Differential fuzzing support for raxe vs Python `re` (plain ESM, Node only).
//
// Used by test/engine/fuzz.test.ts and scripts/fuzz.js. Contents:
//   makeRng(seed)                 seeded PRNG (mulberry32)
//   genPattern(rng, opts)         random pattern over raxe's supported grammar
//   genInputs(rng, pat, n)        inputs biased to match that pattern
//   Oracle                        long-lived `python3 scripts/oracle.py` child
//   compileChunks(...)            compile a set, isolating refused patterns
//   runDifferential(...)          batches of patterns x inputs, engine vs Python
//   minimizeFailure(...)          shrink a failing (pattern, flags, input)
//   formatFailure(f)              one-line, JSON-escaped description
//
// Flags are Python's values: IGNORECASE=2, MULTILINE=8, DOTALL=16, VERBOSE=64.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const I = 2, M = 8, S = 16, X = 64;
const HERE = dirname(fileURLToPath(import.meta.url));
export const ORACLE_PATH = join(HERE, 'oracle.py');

// ---------------------------------------------------------------------------
// PRNG

/** @param {number} seed */
export function makeRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @param {number} n */
  const int = (n) => Math.floor(next() * n);
  const rng = {
    next,
    int,
    /** inclusive */
    range: (/** @type {number} */ lo, /** @type {number} */ hi) => lo + int(hi - lo + 1),
    chance: (/** @type {number} */ p) => next() < p,
    /** @template T @param {ArrayLike<T>} a @returns {T} */
    pick: (a) => a[int(a.length)],
    /** weighted pick: [[weight, value], ...] */
    weighted: (/** @type {[number, any][]} */ pairs) => {
      let total = 0;
      for (const [w] of pairs) total += w;
      let r = next() * total;
      for (const [w, v] of pairs) {
        if ((r -= w) < 0) return v;
      }
      return pairs[pairs.length - 1][1];
    },
    fork: () => makeRng(int(0x100000000)),
  };
  return rng;
}

// ---------------------------------------------------------------------------
// Character pools

const NBSP = '\u00a0', IDSP = '\u3000', GRIN = '\u{1F600}', BOLD_A = '\u{1D400}';
const DES_A = '\u{10400}', DES_a = '\u{10428}', KELVIN = '\u212a', LONG_S = '\u017f';

const LETTERS = [...'abcabcxyzABCXkKsSiI'];
const UNI_LETTERS = ['é', 'É', 'Ж', 'ж', 'ß', 'ẞ', KELVIN, LONG_S, 'σ', 'ς', 'Σ', 'İ', 'ı', 'µ', 'μ', 'Μ',
  'ǅ', 'ǆ', 'Ǆ', 'ﬀ', 'θ', 'ϑ', 'Ω', '\u2126', 'å', '\u212b', '中', BOLD_A, DES_A, DES_a, 'в', '\u1c80'];
const DIGITS = [...'0123456789', '٣', '３', '²', '\u{1D7CE}'];
const PUNCT = [...'-_!,;:/@#&=%"\'<>~`', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\'];
const SPACES = [' ', ' ', '\t', '\n', '\r', '\f', '\v', NBSP, IDSP, '\x1c', '\u2028', '\u200b'];
const OTHER = [GRIN, '\u{1F601}', '\u0301', '\u00ad', '\0', '\x7f'];
const META = new Set([...'.^$*+?{}[]\\|()']);
const VERBOSE_WS = new Set([' ', '\t', '\n', '\r', '\v', '\f']);

/** single-char case variants plus Python's special folds */
const EXTRA_FOLDS = {
  k: ['K', KELVIN], K: ['k', KELVIN], [KELVIN]: ['k', 'K'],
  s: ['S', LONG_S], S: ['s', LONG_S], [LONG_S]: ['s', 'S'],
  i: ['I', 'İ', 'ı'], I: ['i', 'İ', 'ı'], 'İ': ['i', 'I'], 'ı': ['i', 'I'],
  'σ': ['ς', 'Σ'], 'ς': ['σ', 'Σ'], 'Σ': ['σ', 'ς'], 'ß': ['ẞ', 'SS', 'ss'], 'ẞ': ['ß'],
  'µ': ['μ', 'Μ'], 'μ': ['µ', 'Μ'], 'Μ': ['µ', 'μ'], 'θ': ['ϑ', 'Θ'], 'ϑ': ['θ', 'Θ'],
  'Ω': ['ω', '\u2126'], '\u2126': ['ω', 'Ω'], 'å': ['Å', '\u212b'], '\u212b': ['å', 'Å'],
  'ǅ': ['ǆ', 'Ǆ'], 'ǆ': ['ǅ', 'Ǆ'], 'Ǆ': ['ǅ', 'ǆ'], 'в': ['В', '\u1c80'], '\u1c80': ['в', 'В'],
  [DES_A]: [DES_a], [DES_a]: [DES_A],
};

/** @param {string} ch @returns {string[]} */
export function caseVariants(ch) {
  const out = new Set();
  const lo = ch.toLowerCase(), up = ch.toUpperCase();
  if (lo !== ch) out.add(lo);
  if (up !== ch) out.add(up);
  for (const v of EXTRA_FOLDS[ch] ?? []) out.add(v);
  return [...out];
}

/** @param {ReturnType<typeof makeRng>} rng */
function randChar(rng) {
  return rng.pick(rng.weighted([
    [6, LETTERS], [3, UNI_LETTERS], [2, DIGITS], [2, PUNCT], [2, SPACES], [1, OTHER],
  ]));
}

/** literal chars favoured by the pattern generator (small alphabet => more matches) */
function randLitChar(rng) {
  return rng.pick(rng.weighted([
    [10, [...'abcab']], [3, [...'xyzkKsS']], [3, UNI_LETTERS], [1.5, DIGITS], [2, PUNCT],
    [1.5, [' ', ' ', '\t', '\n', NBSP]], [0.5, ['\0', GRIN, '\r']],
  ]));
}

/** @param {string} ch */
const cp = (ch) => /** @type {number} */ (ch.codePointAt(0));
/** @param {number} n */
const hex = (n, w) => n.toString(16).toUpperCase().padStart(w, '0');

// ---------------------------------------------------------------------------
// Pattern AST and generator
//
// Node kinds:
//   lit{ch}  braceLit{text}  esc{ch}  dot  sh{c}  cls{neg,items}  anc{a}
//   grp{kind,name?,on?,off?,child}  alt{alts}  cat{items}
//   rep{child,min,max,form,lazy}
// Every generated node is within raxe's supported grammar; a separate,
// low-rate mutation step produces Python-invalid patterns.

const CTRL_ESC = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\0': '\\0' };
const ANCHORS = ['^', '$', '\\A', '\\Z', '\\b', '\\B'];
const BRACE_LITS = ['{}', '{x}', '{a,b}', '{1,x}', '{,x}', '{ 1}', '{1 }', '{-1}', '{1,2,3}'];
const SCOPED = ['i', '-i', 's', '-s', 'm', '-m', 'x', '-x', 'im', 'i-s', 's-i', 'is', '-im'];

/**
 * @typedef {{maxDepth?: number, maxItems?: number, invalidRate?: number, allowScopedX?: boolean, noEmptyLoops?: boolean}} GenOpts
 *   noEmptyLoops: never repeat something that can match the empty string
 *   (to look past the "empty loop iteration" class of disagreements)
 * @typedef {{source: string, flags: number, ast: any, invalid: boolean, prefixFlags: string}} GenPattern
 */

/** @param {ReturnType<typeof makeRng>} rng @param {GenOpts} [opts] @returns {GenPattern} */
export function genPattern(rng, opts = {}) {
  const maxDepth = opts.maxDepth ?? 4;
  const maxItems = opts.maxItems ?? 4;
  const st = { groups: 0 };

  const genLeaf = () => rng.weighted([
    [10, () => ({ t: 'lit', ch: randLitChar(rng) })],
    [2, () => ({ t: 'esc', ch: rng.pick(['\n', '\t', '\r', '\f', '\v', '\0']) })],
    [2.5, () => ({ t: 'dot' })],
    [3, () => ({ t: 'sh', c: rng.pick([...'dwsDWS']) })],
    [4, () => genClass()],
    [2.5, () => ({ t: 'anc', a: rng.pick(ANCHORS) })],
    [0.6, () => ({ t: 'braceLit', text: rng.pick(BRACE_LITS) })],
  ])();

  const genClassItem = () => rng.weighted([
    [6, () => ({ k: 'ch', ch: randLitChar(rng) })],
    [4, () => {
      const [lo, hi] = rng.pick([
        ['a', 'c'], ['a', 'z'], ['A', 'Z'], ['0', '9'], ['x', 'z'], ['A', 'z'], ['à', 'þ'], ['À', 'Þ'],
        ['а', 'я'], ['А', 'Я'], ['α', 'ω'], ['\u0100', '\u017f'], ['!', '/'], [GRIN, '\u{1F602}'],
        [DES_A, '\u{10410}'], ['a', '\u00ff'], ['j', 'l'], ['r', 't'], ['\u2100', '\u2130'], ['\0', ' '],
      ]);
      return { k: 'rng', lo, hi };
    }],
    [3, () => ({ k: 'sh', c: rng.pick([...'dwsDWS']) })],
  ])();

  const genClass = () => {
    const n = rng.range(1, 4);
    const items = [];
    for (let i = 0; i < n; i++) items.push(genClassItem());
    return { t: 'cls', neg: rng.chance(0.3), items };
  };

  /** @param {number} depth */
  const genNode = (depth) => {
    if (depth >= maxDepth) return genLeaf();
    return rng.weighted([
      [4, () => genLeaf()],
      [3, () => genRep(depth)],
      [2, () => genCat(depth)],
      [1.5, () => genGroup(depth)],
      [1.2, () => ({ t: 'grp', kind: 'nc', child: genAlt(depth + 1) })],
      [0.8, () => ({ t: 'grp', kind: 'nc', child: genAtomAlt(depth + 1) })],
    ])();
  };

  /**
   * An alternation of single-character branches (B|b, [x]|y, (?i:B)|C, ...).
   * Python's parser merges such branches into one set, folded under the
   * flags in force, unless a branch is a group; the (?i)B|B class of bugs
   * lives here, so it is generated on purpose, often from one letter's case
   * variants.
   */
  const genAtomAlt = (depth) => {
    const base = rng.pick([...'abkKsSiI', 'σ', 'é', KELVIN, LONG_S, 'ß']);
    const pool = [base, ...caseVariants(base).filter((v) => [...v].length === 1)];
    const atom = () => rng.weighted([
      [6, () => ({ t: 'lit', ch: rng.chance(0.8) ? rng.pick(pool) : randLitChar(rng) })],
      [2, () => ({ t: 'cls', neg: false, items: [{ k: 'ch', ch: rng.pick(pool) }, ...(rng.chance(0.5) ? [{ k: 'ch', ch: randLitChar(rng) }] : [])] })],
      [2, () => ({ t: 'grp', kind: 'flags', flags: rng.pick(['i', '-i', 'i', 's']), child: depth < maxDepth && rng.chance(0.3) ? genAtomAlt(depth + 1) : { t: 'lit', ch: rng.pick(pool) } })],
      [1, () => ({ t: 'grp', kind: rng.chance(0.5) ? 'nc' : 'cap', child: { t: 'lit', ch: rng.pick(pool) } })],
    ])();
    const n = rng.range(2, 4);
    const alts = [];
    for (let i = 0; i < n; i++) {
      const a = atom();
      if (a.t === 'grp' && a.kind === 'cap') st.groups++;
      alts.push(a);
    }
    return { t: 'alt', alts };
  };

  /** @param {number} depth */
  const genCat = (depth) => {
    const n = rng.range(1, maxItems);
    const items = [];
    for (let i = 0; i < n; i++) items.push(genNode(depth + 1));
    return { t: 'cat', items };
  };

  /** @param {number} depth */
  const genAlt = (depth) => {
    const n = rng.range(2, 3);
    const alts = [];
    for (let i = 0; i < n; i++) alts.push(rng.chance(0.1) ? { t: 'cat', items: [] } : genCat(depth + 1));
    return { t: 'alt', alts };
  };

  /** @param {number} depth */
  const genGroup = (depth) => {
    const child = rng.chance(0.4) ? genAlt(depth + 1) : genCat(depth + 1);
    const kind = rng.weighted([[4, 'cap'], [3, 'nc'], [1.5, 'named'], [3, 'flags']]);
    if (kind === 'named') return { t: 'grp', kind, name: 'g' + ++st.groups, child };
    if (kind === 'cap') st.groups++;
    if (kind === 'flags') {
      let f = rng.pick(SCOPED);
      if (!opts.allowScopedX && f.includes('x') && rng.chance(0.7)) f = 'i';
      return { t: 'grp', kind, flags: f, child };
    }
    return { t: 'grp', kind, child };
  };

  /** @param {number} depth */
  const genRep = (depth) => {
    let child = rng.chance(0.75) ? genLeaf() : genNode(depth + 1);
    for (let k = 0; opts.noEmptyLoops && nullable(child); k++) {
      child = k < 5 ? genNode(depth + 1) : { t: 'lit', ch: randLitChar(rng) };
    }
    // the repeated thing must be a single atom; wrap anything else (anchors
    // are wrapped too except rarely, where Python says "nothing to repeat")
    const atom = ['lit', 'esc', 'dot', 'sh', 'cls', 'grp'].includes(child.t) ||
      (child.t === 'anc' && rng.chance(0.05));
    if (!atom) child = { t: 'grp', kind: rng.chance(0.7) ? 'nc' : 'cap', child };
    if (child.t === 'grp' && child.kind === 'cap') st.groups++;
    const form = rng.weighted([
      [4, '*'], [3, '+'], [3, '?'], [1.5, '{n}'], [1.5, '{n,}'], [2, '{n,m}'], [1, '{,m}'], [0.4, '{,}'],
    ]);
    let min = 0, max = Infinity;
    const big = rng.chance(0.08);
    const n = big ? rng.range(0, 12) : rng.range(0, 3), m = n + (big ? rng.range(0, 10) : rng.range(0, 2));
    switch (form) {
      case '*': break;
      case '+': min = 1; break;
      case '?': max = 1; break;
      case '{n}': min = max = n; break;
      case '{n,}': min = n; break;
      case '{n,m}': min = n; max = m; break;
      case '{,m}': max = big ? rng.range(0, 12) : rng.range(0, 3); break;
      case '{,}': break;
    }
    return { t: 'rep', child, min, max, form, lazy: rng.chance(0.35) };
  };

  const topKind = rng.weighted([[25, 'alt'], [8, 'atoms'], [67, 'cat']]);
  const top = topKind === 'alt' ? genAlt(1) : topKind === 'atoms' ? genAtomAlt(1) : genCat(0);

  let flags = 0;
  if (rng.chance(0.35)) flags |= I;
  if (rng.chance(0.2)) flags |= M;
  if (rng.chance(0.2)) flags |= S;
  if (rng.chance(0.12)) flags |= X;
  let prefixFlags = '';
  if (rng.chance(topKind === 'atoms' ? 0.6 : 0.15)) {
    prefixFlags = [...'imsx'].filter(() => rng.chance(0.4)).join('') || 'i';
  }
  const verbose = !!(flags & X) || prefixFlags.includes('x');
  let source = (prefixFlags ? `(?${prefixFlags})` : '') + ser(top, { verbose, rng, topAlt: true });
  const ast = prefixFlags
    ? { t: 'grp', kind: 'flags', flags: prefixFlags, child: top }
    : top;

  let invalid = false;
  if (rng.chance(opts.invalidRate ?? 0.03)) {
    source = mutateInvalid(rng, source);
    invalid = true; // only "probably": Python decides
  }
  return { source, flags, ast, invalid, prefixFlags };
}

/** can the node match the empty string? */
export function nullable(n) {
  switch (n.t) {
    case 'anc': return true;
    case 'cat': return n.items.every(nullable);
    case 'alt': return n.alts.some(nullable);
    case 'grp': return nullable(n.child);
    case 'rep': return n.min === 0 || nullable(n.child);
    default: return false;
  }
}

/** true if `s` ends with an (unescaped) backslash escape `\c` */
function endsWithEscape(s, c) {
  if (!s.endsWith('\\' + c)) return false;
  let n = 0;
  for (let i = s.length - 1 - c.length; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** join serialized pieces; stop "\0" + octal digit from becoming an octal escape */
function joinPieces(pieces) {
  let out = '';
  for (const p of pieces) {
    if (p && /^[0-7]/.test(p) && endsWithEscape(out, '0')) out = out.slice(0, -2) + '\\x00';
    out += p;
  }
  return out;
}

/** verbose-mode filler between tokens */
function vfill(ctx) {
  if (!ctx.verbose || !ctx.rng.chance(0.3)) return '';
  return ctx.rng.weighted([
    [5, ' '], [2, '  '], [1, '\t'], [1, '\n'], [1.5, ' # note\n'], [0.5, '#x ' + ctx.rng.pick(['(', '[', '\\']) + '\n'],
  ]);
}

/** escape one literal char outside a class */
function serLit(ch, ctx) {
  const rng = ctx.rng;
  if (META.has(ch)) return '\\' + ch;
  if (ctx.verbose && (VERBOSE_WS.has(ch) || ch === '#')) {
    if (ch === ' ' || ch === '#') return '\\' + ch;
    return CTRL_ESC[ch];
  }
  if (ch in CTRL_ESC && (ch === '\0' || rng.chance(0.5))) return CTRL_ESC[ch];
  const c = cp(ch);
  if (c < 0x80 && /[-!,;:/@#&=%"'<>~`_ ]/.test(ch) && rng.chance(0.2)) return '\\' + ch;
  if (rng.chance(0.1)) {
    if (c < 0x100) return '\\x' + hex(c, 2).toLowerCase();
    if (c < 0x10000) return '\\u' + hex(c, 4);
  }
  return ch;
}

/** escape one char inside a class (position-aware) */
function serClassChar(ch, ctx, first, last) {
  const rng = ctx.rng;
  if (ch === '\\') return '\\\\';
  if (ch === ']') return first && rng.chance(0.5) ? ']' : '\\]';
  if (ch === '^') return first ? '\\^' : (rng.chance(0.5) ? '^' : '\\^');
  if (ch === '-') return (first || last) && rng.chance(0.6) ? '-' : '\\-';
  if (ch === '[') return rng.chance(0.5) ? '\\[' : '[';
  if (ch in CTRL_ESC && (ch === '\0' || rng.chance(0.5))) return CTRL_ESC[ch];
  const c = cp(ch);
  if (c < 0x80 && /[.*+?(){}|$&~#]/.test(ch) && rng.chance(0.4)) return '\\' + ch;
  if (rng.chance(0.1)) {
    if (c < 0x100) return '\\x' + hex(c, 2);
    if (c < 0x10000) return '\\u' + hex(c, 4).toLowerCase();
  }
  return ch;
}

function serQuant(node, ctx) {
  let q;
  switch (node.form) {
    case '*': case '+': case '?': q = node.form; break;
    case '{n}': q = `{${node.min}}`; break;
    case '{n,}': q = `{${node.min},}`; break;
    case '{n,m}': q = `{${node.min},${node.max}}`; break;
    case '{,m}': q = `{,${node.max}}`; break;
    case '{,}': q = '{,}'; break;
  }
  return q + (node.lazy ? '?' : '');
}

/** @returns {string} */
function ser(node, ctx) {
  switch (node.t) {
    case 'lit': return serLit(node.ch, ctx);
    case 'braceLit': return node.text;
    case 'esc': return CTRL_ESC[node.ch];
    case 'dot': return '.';
    case 'sh': return '\\' + node.c;
    case 'anc': return node.a;
    case 'cls': {
      const parts = [];
      node.items.forEach((it, i) => {
        const first = i === 0, last = i === node.items.length - 1;
        if (it.k === 'ch') parts.push(serClassChar(it.ch, ctx, first, last));
        else if (it.k === 'sh') parts.push('\\' + it.c);
        else parts.push(serClassChar(it.lo, ctx, false, false) + '-' + serClassChar(it.hi, ctx, false, false));
      });
      return '[' + (node.neg ? '^' : '') + joinPieces(parts) + ']';
    }
    case 'cat': {
      const pieces = [];
      for (const it of node.items) {
        pieces.push(vfill(ctx));
        pieces.push(it.t === 'alt' ? '(?:' + ser(it, ctx) + ')' : ser(it, ctx));
      }
      return joinPieces(pieces);
    }
    case 'alt': return node.alts.map((a) => ser(a, ctx)).join('|');
    case 'grp': {
      let inner = ctx;
      let open;
      switch (node.kind) {
        case 'cap': open = '('; break;
        case 'nc': open = '(?:'; break;
        case 'named': open = `(?P<${node.name}>`; break;
        case 'flags': {
          open = `(?${node.flags}:`;
          const [on, off = ''] = node.flags.split('-');
          if (on.includes('x')) inner = { ...ctx, verbose: true };
          if (off.includes('x')) inner = { ...ctx, verbose: false };
          break;
        }
      }
      return open + ser(node.child, inner) + ')';
    }
    case 'rep': {
      const child = ser(node.child, ctx);
      return joinPieces([child, vfill(ctx).replace(/#.*\n/, ' '), serQuant(node, ctx)]);
    }
  }
  throw new Error('bad node ' + node.t);
}

/** make a (probably) Python-invalid pattern without creating valid-but-unsupported syntax */
function mutateInvalid(rng, src) {
  const chars = [...src];
  const at = rng.int(chars.length + 1);
  const ins = (s) => [...chars.slice(0, at), s, ...chars.slice(at)].join('');
  return rng.weighted([
    [2, () => '*' + src],
    [1, () => '+' + src],
    [1, () => '{1}' + src],
    [2, () => ins(')')],
    [2, () => ins('(')],
    [1, () => ins('*')],
    [1, () => src + '\\'],
    [1, () => src + '(?i)'],
    [1, () => ins('[z-a]')],
    [1, () => ins('x{3,1}')],
    [1, () => ins('(?P<1>a)')],
    [1, () => src + '**'],
    [1, () => ins('\\q')],
    [1, () => '[' + src],
  ])();
}

// ---------------------------------------------------------------------------
// Inputs

const SH_SAMPLES = {
  d: ['0', '1', '7', '9', '٣', '３', '\u{1D7CE}'],
  w: ['a', 'b', 'Z', '_', '5', 'é', 'Ж', 'ß', BOLD_A, '²', '中', 'k'],
  s: [' ', '\t', '\n', '\r', '\f', '\v', NBSP, IDSP, '\x1c', '\u2028'],
  D: ['a', ' ', '-', '²', GRIN, '\n'],
  W: [' ', '-', '!', GRIN, '\n', '\u00ad', '\u200b'],
  S: ['a', '1', '-', 'é', GRIN, '\u200b'],
};

/** a string the node probably matches */
function sample(node, rng, ctx) {
  switch (node.t) {
    case 'lit': {
      if (ctx.i && rng.chance(0.4)) {
        const v = caseVariants(node.ch);
        if (v.length) return rng.pick(v);
      }
      return node.ch;
    }
    case 'braceLit': return ctx.x ? node.text.replace(/ /g, '') : node.text;
    case 'esc': return node.ch;
    case 'dot': return ctx.s && rng.chance(0.2) ? '\n' : randChar(rng).replace('\n', 'n');
    case 'sh': return rng.pick(SH_SAMPLES[node.c]);
    case 'anc':
      if (node.a === '^' && ctx.m && rng.chance(0.3)) return '\n';
      if (node.a === '$' && rng.chance(0.3)) return '\n';
      if (node.a === '\\b' && rng.chance(0.2)) return ' ';
      return '';
    case 'cls': {
      if (node.neg) return rng.chance(0.5) ? randChar(rng) : sample({ t: 'cls', neg: false, items: node.items }, rng, ctx);
      const it = rng.pick(node.items);
      if (it.k === 'ch') return sample({ t: 'lit', ch: it.ch }, rng, ctx);
      if (it.k === 'sh') return rng.pick(SH_SAMPLES[it.c]);
      let c = rng.range(cp(it.lo), Math.max(cp(it.lo), cp(it.hi)));
      if (c >= 0xd800 && c <= 0xdfff) c = cp(it.lo);
      return sample({ t: 'lit', ch: String.fromCodePoint(c) }, rng, ctx);
    }
    case 'cat': return node.items.map((n) => sample(n, rng, ctx)).join('');
    case 'alt': return sample(rng.pick(node.alts), rng, ctx);
    case 'grp': {
      let c = ctx;
      if (node.kind === 'flags') {
        const [on, off = ''] = node.flags.split('-');
        c = { ...ctx };
        for (const f of 'imsx') {
          if (on.includes(f)) c[f] = true;
          if (off.includes(f)) c[f] = false;
        }
      }
      return sample(node.child, rng, c);
    }
    case 'rep': {
      const hi = node.max === Infinity ? node.min + 3 : node.max;
      const n = rng.range(node.min, Math.min(hi, node.min + 3));
      if (rng.chance(0.1) && hi !== node.min) {
        // sometimes exactly the bounds (or one past them)
        const edge = rng.pick([node.min, hi, hi + 1, Math.max(0, node.min - 1)]);
        let s = '';
        for (let k = 0; k < Math.min(edge, 25); k++) s += sample(node.child, rng, ctx);
        return s;
      }
      let s = '';
      for (let k = 0; k < n; k++) s += sample(node.child, rng, ctx);
      return s;
    }
  }
  return '';
}

/** @param {ReturnType<typeof makeRng>} rng */
function randomString(rng, maxLen) {
  const n = rng.int(maxLen + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.chance(0.5) ? randLitChar(rng) : randChar(rng);
  return s;
}

/** truncate to at most n UTF-16 units without splitting a surrogate pair */
function clip(s, n) {
  if (s.length <= n) return s;
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > n) break;
    out += ch;
  }
  return out;
}

/** flip case / apply special folds on some letters */
function recase(rng, s) {
  let out = '';
  for (const ch of s) {
    const v = caseVariants(ch);
    out += v.length && rng.chance(0.5) ? rng.pick(v) : ch;
  }
  return out;
}

/**
 * Inputs biased to match `pat`.
 * @param {ReturnType<typeof makeRng>} rng @param {GenPattern} pat @param {number} n
 * @returns {string[]}
 */
export function genInputs(rng, pat, n, maxLen = 32, longRate = 0.12) {
  const f = pat.flags, pf = pat.prefixFlags;
  const ctx = { i: !!(f & I) || pf.includes('i'), m: !!(f & M) || pf.includes('m'), s: !!(f & S) || pf.includes('s'), x: !!(f & X) || pf.includes('x') };
  const out = new Set();
  const EDGES = ['', ' ', '\n', '_', 'é', 'a', '-', GRIN, '1', NBSP];
  let guard = 0;
  while (out.size < n && guard++ < n * 20) {
    const base = sample(pat.ast, rng, ctx);
    const s = rng.weighted([
      [6, () => base],
      [4, () => rng.pick(EDGES) + base + rng.pick(EDGES)],
      [3, () => randomString(rng, 4) + base + randomString(rng, 4)],
      [2, () => recase(rng, base)],
      [2, () => { // delete one char
        const a = [...base]; if (a.length) a.splice(rng.int(a.length), 1); return a.join('');
      }],
      [1.5, () => { // insert one char
        const a = [...base]; a.splice(rng.int(a.length + 1), 0, randLitChar(rng)); return a.join('');
      }],
      [1, () => base + base],
      [1, () => base + '\n' + sample(pat.ast, rng, ctx)],
      [1, () => [...base].slice(0, rng.int([...base].length + 1)).join('')],
      [1, () => randomString(rng, 12)],
      [0.3, () => ''],
    ])();
    out.add(clip(s, maxLen));
  }
  // a few long inputs: the match (if any) far from the start, across lines
  if (n >= 10 && rng.chance(longRate)) {
    const base = sample(pat.ast, rng, ctx);
    out.add(randomString(rng, 150) + '\n' + randomString(rng, 150) + base + randomString(rng, 20));
  }
  return [...out];
}

/** generic inputs shared by every pattern in a batch */
export function genericInputs(rng, n) {
  const out = new Set(['', '\n', ' ', 'a', 'ab\nba', 'aaa', 'abc', 'ABC', 'é', GRIN, 'x\n', 'K' + KELVIN + 'k']);
  while (out.size < n) out.add(randomString(rng, 16));
  return [...out].slice(0, Math.max(n, 0));
}

// ---------------------------------------------------------------------------
// Offsets

/** UTF-16 offset of code-point offset `n` in `s` */
export function cpToU16(s, n) {
  let i = 0, k = 0;
  while (k < n && i < s.length) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    k++;
  }
  return i;
}

// ---------------------------------------------------------------------------
// Python oracle client

export function pythonAvailable(python = process.env.PYTHON || 'python3') {
  try {
    return spawnSync(python, ['--version'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}

export class Oracle {
  /** @param {{python?: string, timeout?: number}} [opts] */
  constructor(opts = {}) {
    this.timeout = opts.timeout ?? 1.0;
    this.proc = spawn(opts.python || process.env.PYTHON || 'python3', [ORACLE_PATH], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.proc.stdout.setEncoding('utf8');
    /** @type {((v: any) => void)[]} */
    this.waiting = [];
    this.buf = '';
    this.dead = null;
    this.proc.stdout.on('data', (chunk) => {
      this.buf += chunk;
      let nl;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        const w = this.waiting.shift();
        if (w) w(JSON.parse(line));
      }
    });
    const fail = (why) => {
      this.dead = why;
      for (const w of this.waiting.splice(0)) w({ ok: false, error: 'oracle died: ' + why, pos: null, dead: true });
    };
    this.proc.on('exit', (code) => fail('exit ' + code));
    this.proc.on('error', (e) => fail(String(e)));
  }

  /**
   * One pattern, many texts. Spans come back in UTF-16 units.
   * @returns {Promise<{ok: true, spans: ([number, number] | null | 'timeout')[]} | {ok: false, error: string, pos: number | null}>}
   */
  query(pattern, flags, texts) {
    if (this.dead) return Promise.resolve({ ok: false, error: 'oracle died: ' + this.dead, pos: null, dead: true });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.stdin.write(JSON.stringify({ p: pattern, f: flags, t: texts, u16: true, timeout: this.timeout }) + '\n');
    });
  }

  close() {
    try { this.proc.stdin.end(); } catch { /* ignore */ }
    this.proc.kill();
  }
}

// ---------------------------------------------------------------------------
// Engine helpers

/**
 * Compile `specs` as few sets as possible. Patterns the engine refuses are
 * removed (and reported by id); if a whole-set error names no pattern the set
 * is split in halves.
 * @returns {{chunks: {matcher: any, ids: number[]}[], refused: Map<number, any>, crashed: Map<number, string>}}
 */
export function compileChunks(engine, specs, EngineCompileError, ids = specs.map((_, i) => i)) {
  const refused = new Map(), crashed = new Map(), chunks = [];
  const go = (idList) => {
    if (!idList.length) return;
    try {
      chunks.push({ matcher: engine.compile(idList.map((i) => specs[i])), ids: idList });
    } catch (e) {
      if (EngineCompileError && e instanceof EngineCompileError && Array.isArray(e.errors)) {
        const bad = new Set();
        for (const err of e.errors) {
          if (Number.isInteger(err.index) && err.index >= 0 && err.index < idList.length) {
            refused.set(idList[err.index], err);
            bad.add(idList[err.index]);
          }
        }
        if (bad.size) return go(idList.filter((i) => !bad.has(i)));
        if (idList.length === 1) {
          refused.set(idList[0], e.errors[0] ?? { code: '?', message: String(e) });
          return;
        }
      } else if (idList.length === 1) {
        crashed.set(idList[0], e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : String(e));
        return;
      }
      const mid = idList.length >> 1;
      go(idList.slice(0, mid));
      go(idList.slice(mid));
    }
  };
  go(ids);
  return { chunks, refused, crashed };
}

/** scan `text` with all chunks → Map id → [start, end] (or throws) */
export function scanChunks(chunks, text) {
  const out = new Map();
  let work = 0;
  for (const { matcher, ids } of chunks) {
    for (const m of matcher.scan(text)) {
      if (m.id < 0 || m.id >= ids.length) throw new Error(`scan returned bad id ${m.id}`);
      const id = ids[m.id];
      if (out.has(id)) throw new Error(`scan returned id ${m.id} twice`);
      out.set(id, [m.start, m.end]);
    }
    if (typeof matcher.lastWork === 'function') work += matcher.lastWork();
  }
  return { spans: out, work };
}

// ---------------------------------------------------------------------------
// Differential run

/**
 * @typedef {{kind: string, pattern: string, flags: number, input?: string, expected?: any, got?: any, note?: string}} Failure
 */

export function formatFailure(f) {
  const parts = [`[${f.kind}] pattern=${JSON.stringify(f.pattern)} flags=${f.flags}`];
  if (f.input !== undefined) parts.push(`input=${JSON.stringify(f.input)}`);
  if (f.expected !== undefined) parts.push(`python=${JSON.stringify(f.expected)}`);
  if (f.got !== undefined) parts.push(`engine=${JSON.stringify(f.got)}`);
  if (f.note) parts.push(f.note);
  return parts.join(' ');
}

const sameSpan = (a, b) => (a === null || a === undefined ? b === null || b === undefined : !!b && a[0] === b[0] && a[1] === b[1]);

/**
 * Run `batches` batches; each batch = `patterns` generated patterns compiled
 * as ONE set, each checked on `ownInputs` inputs derived from itself plus
 * `sharedInputs` drawn from the other patterns' inputs and generic ones.
 *
 * @param {{engine: any, EngineCompileError: any, oracle: Oracle, seed: number,
 *   batches?: number, patterns?: number, ownInputs?: number, sharedInputs?: number,
 *   gen?: GenOpts, longRate?: number, maxFailures?: number, onBatch?: (info: any) => void}} o
 *   longRate: share of patterns that also get one ~300-char input
 */
export async function runDifferential(o) {
  const rng = makeRng(o.seed);
  const batches = o.batches ?? 1, P = o.patterns ?? 400;
  const own = o.ownInputs ?? 15, shared = o.sharedInputs ?? 35;
  const maxFailures = o.maxFailures ?? 200;
  const stats = { checked: 0, matched: 0, skippedTimeout: 0, patterns: 0, pyInvalid: 0, refusedOk: 0, posMismatch: 0, batches: 0, scanMs: 0, compileMs: 0, oracleMs: 0 };
  /** @type {Failure[]} */
  const failures = [];
  /** @type {Failure[]} */
  const posMismatches = [];

  for (let b = 0; b < batches && failures.length < maxFailures; b++) {
    const brng = rng.fork();
    const pats = [];
    for (let i = 0; i < P; i++) pats.push(genPattern(brng, o.gen));
    const ownIn = pats.map((p) => genInputs(brng, p, own, 32, o.longRate ?? 0.12));
    const pool = [...new Set([...ownIn.flat(), ...genericInputs(brng, 20)])];
    const plan = pats.map((_, i) => {
      const set = new Set(ownIn[i]);
      let guard = 0;
      while (set.size < own + shared && guard++ < (own + shared) * 4) set.add(brng.pick(pool));
      return [...set];
    });

    // Python first (pipelined)
    let t0 = performance.now();
    const py = await Promise.all(pats.map((p, i) => o.oracle.query(p.source, p.flags, plan[i])));
    stats.oracleMs += performance.now() - t0;
    if (py.some((r) => r.dead)) throw new Error('python oracle died: ' + py.find((r) => r.dead).error);

    // Engine: one set (minus refused patterns)
    const specs = pats.map((p) => ({ source: p.source, flags: p.flags }));
    t0 = performance.now();
    const { chunks, refused, crashed } = compileChunks(o.engine, specs, o.EngineCompileError);
    stats.compileMs += performance.now() - t0;

    for (let i = 0; i < P; i++) {
      stats.patterns++;
      const p = pats[i], r = py[i];
      if (crashed.has(i)) {
        failures.push({ kind: 'compile-crash', pattern: p.source, flags: p.flags, note: crashed.get(i) });
      } else if (!r.ok) {
        stats.pyInvalid++;
        const e = refused.get(i);
        if (!e) failures.push({ kind: 'accepted-invalid', pattern: p.source, flags: p.flags, expected: `error: ${r.error} at ${r.pos}`, got: 'compiled' });
        else if (e.code !== 'syntax') failures.push({ kind: 'wrong-code', pattern: p.source, flags: p.flags, expected: `syntax at ${r.pos} (${r.error})`, got: `${e.code} at ${e.position}: ${e.message}` });
        else {
          stats.refusedOk++;
          if (r.pos !== null && e.position !== r.pos) {
            stats.posMismatch++;
            posMismatches.push({ kind: 'syntax-position', pattern: p.source, flags: p.flags, expected: r.pos, got: e.position, note: r.error });
          }
        }
      } else if (refused.has(i)) {
        const e = refused.get(i);
        failures.push({ kind: 'refused-valid', pattern: p.source, flags: p.flags, expected: 'compiles', got: `${e.code} at ${e.position}: ${e.message}` });
      }
    }

    // Scan every distinct input once with the set(s)
    const need = new Set();
    plan.forEach((texts, i) => { if (py[i].ok && !refused.has(i) && !crashed.has(i)) texts.forEach((t) => need.add(t)); });
    const results = new Map();
    t0 = performance.now();
    for (const t of need) {
      try {
        results.set(t, scanChunks(chunks, t).spans);
      } catch (e) {
        results.set(t, e);
      }
    }
    stats.scanMs += performance.now() - t0;

    for (let i = 0; i < P && failures.length < maxFailures; i++) {
      const p = pats[i], r = py[i];
      if (!r.ok || refused.has(i) || crashed.has(i)) continue;
      plan[i].forEach((t, j) => {
        const exp = r.spans[j];
        if (exp === 'timeout') { stats.skippedTimeout++; return; }
        const res = results.get(t);
        stats.checked++;
        if (exp) stats.matched++;
        if (res instanceof Error) {
          failures.push({ kind: 'scan-crash', pattern: p.source, flags: p.flags, input: t, expected: exp, got: String(res.message || res) });
          return;
        }
        const got = res.get(i) ?? null;
        if (!sameSpan(exp, got)) failures.push({ kind: 'span', pattern: p.source, flags: p.flags, input: t, expected: exp, got });
      });
    }
    stats.batches++;
    o.onBatch?.({ batch: b, stats, failures: failures.length });
  }
  return { stats, failures, posMismatches };
}

// ---------------------------------------------------------------------------
// Minimization

/**
 * Does (pattern, flags, input) still show the same kind of disagreement when
 * compiled ALONE? Returns the failure or null.
 */
export async function checkOne(engine, EngineCompileError, oracle, pattern, flags, input) {
  const r = await oracle.query(pattern, flags, [input]);
  let matcher = null, err = null;
  try {
    matcher = engine.compile([{ source: pattern, flags }]);
  } catch (e) {
    if (!(EngineCompileError && e instanceof EngineCompileError)) return { kind: 'compile-crash', pattern, flags, note: String(e) };
    err = e.errors?.[0] ?? { code: '?' };
  }
  if (!r.ok) {
    if (!err) return { kind: 'accepted-invalid', pattern, flags, expected: `error: ${r.error} at ${r.pos}`, got: 'compiled' };
    if (err.code !== 'syntax') return { kind: 'wrong-code', pattern, flags, expected: `syntax at ${r.pos}`, got: `${err.code} at ${err.position}` };
    return null;
  }
  if (err) return { kind: 'refused-valid', pattern, flags, expected: 'compiles', got: `${err.code} at ${err.position}: ${err.message}` };
  const exp = r.spans[0];
  if (exp === 'timeout') return null;
  let got;
  try {
    const ms = matcher.scan(input);
    const m = ms.find((x) => x.id === 0);
    got = m ? [m.start, m.end] : null;
  } catch (e) {
    return { kind: 'scan-crash', pattern, flags, input, expected: exp, got: String(e) };
  }
  return sameSpan(exp, got) ? null : { kind: 'span', pattern, flags, input, expected: exp, got };
}

/**
 * Greedy delta-debugging shrink of pattern, flags and input while the
 * failure (same kind) persists with the pattern compiled alone.
 * Returns {failure, setOnly} — setOnly when it does not reproduce alone.
 */
export async function minimizeFailure(engine, EngineCompileError, oracle, f, budget = 3000) {
  let cur = await checkOne(engine, EngineCompileError, oracle, f.pattern, f.flags, f.input ?? '');
  if (!cur) return { failure: f, setOnly: true };
  let { pattern, flags } = cur;
  let input = f.input ?? '';
  const kind = cur.kind;
  let tries = 0;
  const still = async (p, fl, t) => {
    if (tries++ > budget) return null;
    const r = await checkOne(engine, EngineCompileError, oracle, p, fl, t);
    return r && r.kind === kind ? r : null;
  };
  const shrinkStr = async (s, test) => {
    let a = [...s];
    for (let size = Math.max(1, a.length >> 1); size >= 1; size = size === 1 ? 0 : Math.max(1, size >> 1)) {
      for (let i = 0; i + size <= a.length;) {
        const cand = [...a.slice(0, i), ...a.slice(i + size)];
        const r = await test(cand.join(''));
        if (r) { a = cand; cur = r; } else i++;
      }
    }
    return a.join('');
  };
  for (let round = 0; round < 3; round++) {
    const before = pattern + '\u0000' + flags + '\u0000' + input;
    if (kind === 'span' || kind === 'scan-crash') input = await shrinkStr(input, (t) => still(pattern, flags, t));
    pattern = await shrinkStr(pattern, (p) => still(p, flags, input));
    for (const bit of [I, M, S, X]) {
      if (flags & bit) {
        const r = await still(pattern, flags & ~bit, input);
        if (r) { flags &= ~bit; cur = r; }
      }
    }
    if (before === pattern + '\u0000' + flags + '\u0000' + input) break;
  }
  return { failure: cur, setOnly: false };
}
