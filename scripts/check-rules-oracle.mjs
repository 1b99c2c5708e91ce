#!/usr/bin/env node
// Validate the built-in rule pack (rules/**.yaml) against the rule schema, the
// supported regex subset and the rule's own examples.
//
// Usage: node scripts/check-rules-oracle.mjs [rules-dir] [--strict] [--min-per-family=N]
//
// - Schema: exact key set, id format, family/dir/file-name agreement, ids
//   numbered 001.. without gaps per family, severity/confidence ranges,
//   1-4 patterns, >= 4 should_match and >= 4 should_not_match examples.
// - Syntax: every pattern is parsed by a small parser for the linear-time
//   subset the raxe engine accepts (no backreferences, lookaround, atomic
//   groups, possessive quantifiers, conditionals, mid-pattern global flags).
//   Also enforced: counted repetitions <= 40, no leading/trailing `.*`.
//   A pattern with no required literal of 3+ characters is reported as a
//   warning (an error with --strict).
// - Pack: rules/pack.yaml has name raxe-builtin, a semver version and a
//   description; with --min-per-family=N every family must have >= N rules.
// - Oracle: python3 is spawned once; every pattern is compiled with Python's
//   `re` (warnings are errors) and every example is checked with re.search:
//   each should_match must be matched by at least one pattern, and no
//   should_not_match may be matched by any pattern.
//
// Prints every failure with file and rule id; exits 1 if any.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, basename, dirname, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const strict = args.includes('--strict');
const minArg = args.find((a) => a.startsWith('--min-per-family='));
const minPerFamily = minArg ? Number(minArg.split('=')[1]) : 0;
const rulesDir = resolve(args.find((a) => !a.startsWith('--')) ?? join(here, '..', 'rules'));

const FAMILIES = ['PI', 'JB', 'DE', 'RP', 'CS', 'SE', 'TA', 'CI', 'PII', 'SEC', 'ENC', 'TOOL'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const FLAGS = ['IGNORECASE', 'MULTILINE', 'DOTALL', 'VERBOSE'];
const KEYS = [
  'rule_id', 'version', 'family', 'sub_family', 'name', 'description', 'severity',
  'confidence', 'patterns', 'examples', 'mitre_attack', 'metadata',
  'risk_explanation', 'remediation_advice',
];
const MAX_COUNT = 40;
const MIN_EXAMPLES = 4;

const failures = [];
const warnings = [];
const fail = (file, id, msg) => failures.push(`${file} [${id ?? '?'}]: ${msg}`);
const warn = (file, id, msg) => warnings.push(`${file} [${id ?? '?'}]: ${msg}`);

// ---------------------------------------------------------------------------
// Regex subset parser. Produces a tiny AST used for the literal and `.*`
// checks; throws SubsetError(message, position) for anything unsupported.
// ---------------------------------------------------------------------------
class SubsetError extends Error {
  constructor(msg, pos) { super(`${msg} at position ${pos}`); }
}

function parseSubset(src, verbose) {
  let i = 0;
  const n = src.length;
  const err = (m, p = i) => { throw new SubsetError(m, p); };

  function skipVerbose() {
    if (!verbose) return;
    for (;;) {
      if (i < n && /\s/.test(src[i])) { i++; continue; }
      if (src[i] === '#') { while (i < n && src[i] !== '\n') i++; continue; }
      return;
    }
  }

  // Leading global inline flags, e.g. (?i) or (?im)
  const lead = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (lead) {
    if (/[aLu]/.test(lead[1])) err(`unsupported inline flag in (?${lead[1]})`, 0);
    if (lead[1].includes('x')) verbose = true;
    i = lead[0].length;
  }

  const hex = (len) => {
    const h = src.slice(i, i + len);
    if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) err(`bad \\${src[i - 1]} escape`);
    i += len;
    return String.fromCharCode(parseInt(h, 16));
  };

  // Escape outside or inside a class. Returns {type:'lit', ch} | {type:'cls'} | {type:'assert'}
  function escape(inClass) {
    const start = i;
    i++; // backslash
    if (i >= n) err('trailing backslash', start);
    const c = src[i++];
    if ('dwsDWS'.includes(c)) return { type: 'cls' };
    if (!inClass && 'bBAZ'.includes(c)) return { type: 'assert' };
    if (c === 'n') return { type: 'lit', ch: '\n' };
    if (c === 't') return { type: 'lit', ch: '\t' };
    if (c === 'r') return { type: 'lit', ch: '\r' };
    if (c === 'f') return { type: 'lit', ch: '\f' };
    if (c === 'v') return { type: 'lit', ch: '\v' };
    if (c === '0') {
      if (/[0-7]/.test(src[i] ?? '')) err('octal escapes are not supported', start);
      return { type: 'lit', ch: '\0' };
    }
    if (c === 'x') return { type: 'lit', ch: hex(2) };
    if (c === 'u') return { type: 'lit', ch: hex(4) };
    if (/[1-9]/.test(c)) err('backreferences are not supported', start);
    if (/[A-Za-z0-9]/.test(c)) err(`unsupported escape \\${c}`, start);
    return { type: 'lit', ch: c };
  }

  function parseClass() {
    const start = i;
    i++; // [
    if (src[i] === '^') i++;
    if (src[i] === ']') err('write a literal ] first in a class as \\]', i);
    let count = 0;
    let prevWasAtom = false;
    while (i < n && src[i] !== ']') {
      const two = src.slice(i, i + 2);
      if (src[i] === '[') err('unescaped [ inside a class (possible set operation)', i);
      if (['--', '&&', '~~', '||'].includes(two)) err(`ambiguous "${two}" inside a class (escape it)`, i);
      if (src[i] === '-' && prevWasAtom && src[i + 1] !== ']') {
        i++;
        if (src[i] === '\\') {
          const e = escape(true);
          if (e.type !== 'lit') err('bad range end', i);
        } else i++;
        prevWasAtom = false;
        count++;
        continue;
      }
      if (src[i] === '\\') {
        const e = escape(true);
        prevWasAtom = e.type === 'lit';
      } else {
        i++;
        prevWasAtom = true;
      }
      count++;
    }
    if (i >= n) err('unterminated character class', start);
    i++; // ]
    if (count === 0) err('empty character class', start);
    return { type: 'cls' };
  }

  function parseQuant(atom) {
    skipVerbose();
    const c = src[i];
    let min, max;
    const qstart = i;
    if (c === '*') { min = 0; max = Infinity; i++; }
    else if (c === '+') { min = 1; max = Infinity; i++; }
    else if (c === '?') { min = 0; max = 1; i++; }
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(i));
      if (!m) {
        if (/^\{,\d+\}/.test(src.slice(i))) err('{,m} is not supported; write {0,m}', i);
        err('literal { must be escaped as \\{', i);
      }
      min = +m[1];
      max = m[2] ? (m[3] === '' ? Infinity : +m[3]) : min;
      if (max < min) err('min repeat greater than max repeat', i);
      if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT)) {
        err(`counted repetition ${m[0]} exceeds {0,${MAX_COUNT}}`, i);
      }
      i += m[0].length;
    } else return atom;
    if (atom.type === 'assert' || atom.type === 'empty') err('nothing to repeat', qstart);
    if (src[i] === '?') i++; // lazy
    if (src[i] === '+') err('possessive quantifiers are not supported', i);
    if (src[i] === '*' || src[i] === '?' || src[i] === '{') err('multiple repeat', i);
    return { type: 'rep', min, max, child: atom };
  }

  function parseAtom() {
    const c = src[i];
    if (c === '(') {
      const start = i;
      if (src[i + 1] === '?') {
        const rest = src.slice(i + 2);
        if (rest.startsWith(':')) { i += 3; }
        else if (/^P<[A-Za-z_]\w*>/.test(rest)) { i += 2 + /^P<[A-Za-z_]\w*>/.exec(rest)[0].length; }
        else if (/^[imsx]+(?:-[imsx]+)?:/.test(rest) || /^-[imsx]+:/.test(rest)) {
          i += 2 + /^[imsx]*(?:-[imsx]+)?:/.exec(rest)[0].length;
        }
        else if (rest.startsWith('=') || rest.startsWith('!')) err('lookahead is not supported', start);
        else if (rest.startsWith('<=') || rest.startsWith('<!')) err('lookbehind is not supported', start);
        else if (rest.startsWith('>')) err('atomic groups are not supported', start);
        else if (rest.startsWith('P=')) err('named backreferences are not supported', start);
        else if (rest.startsWith('(')) err('conditionals are not supported', start);
        else if (rest.startsWith('#')) err('comment groups are not supported', start);
        else if (/^[aiLmsux]+\)/.test(rest)) err('global inline flags are only allowed at the very start', start);
        else err('unsupported group syntax', start);
      } else i++;
      const child = parseAlt();
      if (src[i] !== ')') err('missing )', start);
      i++;
      return { type: 'group', child };
    }
    if (c === '[') return parseClass();
    if (c === '\\') {
      const e = escape(false);
      if (e.type === 'lit') return { type: 'lit', ch: e.ch };
      return e;
    }
    if (c === '.') { i++; return { type: 'dot' }; }
    if (c === '^' || c === '$') { i++; return { type: 'assert' }; }
    if (c === '*' || c === '+' || c === '?') err('nothing to repeat');
    if (c === '{' && /^\{\d*,?\d*\}/.test(src.slice(i))) err('nothing to repeat');
    if (c === '{') err('literal { must be escaped as \\{');
    if (c === ')') err('unbalanced )');
    i++;
    return { type: 'lit', ch: c };
  }

  function parseConcat() {
    const items = [];
    for (;;) {
      skipVerbose();
      if (i >= n || src[i] === '|' || src[i] === ')') break;
      items.push(parseQuant(parseAtom()));
    }
    return { type: 'cat', items };
  }

  function parseAlt() {
    const branches = [parseConcat()];
    while (src[i] === '|') { i++; branches.push(parseConcat()); }
    return branches.length === 1 ? branches[0] : { type: 'alt', branches };
  }

  const ast = parseAlt();
  if (i < n) err('unbalanced )');
  return ast;
}

// Longest literal (in characters) that every match must contain.
function requiredLiteral(node) {
  switch (node.type) {
    case 'lit': return 1;
    case 'group': return requiredLiteral(node.child);
    case 'rep': return node.min >= 1 ? requiredLiteral(node.child) : 0;
    case 'alt': return Math.min(...node.branches.map(requiredLiteral));
    case 'cat': {
      let best = 0;
      let run = 0;
      for (const it of node.items) {
        if (it.type === 'lit') { run++; best = Math.max(best, run); continue; }
        if (it.type === 'assert') continue; // zero-width, does not break a run
        run = 0;
        best = Math.max(best, requiredLiteral(it));
      }
      return best;
    }
    default: return 0;
  }
}

function isDotStar(node) {
  return node && node.type === 'rep' && node.min === 0 && node.child.type === 'dot';
}

function edgeDotStar(ast) {
  const branches = ast.type === 'alt' ? ast.branches : [ast];
  return branches.some((b) => b.type === 'cat' && (isDotStar(b.items[0]) || isDotStar(b.items[b.items.length - 1])));
}

// ---------------------------------------------------------------------------
// Schema checks
// ---------------------------------------------------------------------------
const isStr = (v) => typeof v === 'string' && v.trim().length > 0;

function checkPack() {
  const p = join(rulesDir, 'pack.yaml');
  if (!existsSync(p)) { fail('rules/pack.yaml', 'pack', 'missing'); return; }
  let pack;
  try { pack = parseYaml(readFileSync(p, 'utf8')); } catch (e) { fail('rules/pack.yaml', 'pack', `YAML: ${e.message}`); return; }
  if (pack?.name !== 'raxe-builtin') fail('rules/pack.yaml', 'pack', 'name must be raxe-builtin');
  if (!/^\d+\.\d+\.\d+$/.test(String(pack?.version))) fail('rules/pack.yaml', 'pack', 'version must be semver');
  if (!isStr(pack?.description)) fail('rules/pack.yaml', 'pack', 'description missing');
}

function listRuleFiles() {
  const out = [];
  for (const d of readdirSync(rulesDir)) {
    const full = join(rulesDir, d);
    if (!statSync(full).isDirectory()) continue;
    if (!FAMILIES.includes(d.toUpperCase()) || d !== d.toLowerCase()) {
      fail(relative(process.cwd(), full), null, `directory is not a lower-case family name (${FAMILIES.join(', ').toLowerCase()})`);
    }
    for (const f of readdirSync(full)) {
      if (f.endsWith('.yaml') || f.endsWith('.yml')) out.push(join(full, f));
      else fail(relative(process.cwd(), join(full, f)), null, 'unexpected file in rules directory');
    }
  }
  return out.sort();
}

function checkRule(file, rule, jobs, seenIds, idsByFamily) {
  const rel = relative(process.cwd(), file);
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) { fail(rel, null, 'not a mapping'); return; }
  const id = rule.rule_id;
  const keys = Object.keys(rule);
  for (const k of KEYS) if (!(k in rule)) fail(rel, id, `missing key ${k}`);
  for (const k of keys) if (!KEYS.includes(k)) fail(rel, id, `unexpected key ${k}`);

  if (typeof id !== 'string' || !/^[a-z]+-\d{3}$/.test(id)) fail(rel, id, 'rule_id must look like <family>-NNN in lower case');
  if (!FAMILIES.includes(rule.family)) fail(rel, id, `family must be one of ${FAMILIES.join(', ')}`);
  if (typeof id === 'string') {
    if (seenIds.has(id)) fail(rel, id, `duplicate rule_id (also in ${seenIds.get(id)})`);
    seenIds.set(id, rel);
    const fam = String(rule.family ?? '').toLowerCase();
    if (!id.startsWith(`${fam}-`)) fail(rel, id, `rule_id prefix does not match family ${rule.family}`);
    if (basename(dirname(file)) !== fam) fail(rel, id, `file must live in rules/${fam}/`);
    if (basename(file) !== `${id}.yaml`) fail(rel, id, `file name must be ${id}.yaml`);
    if (FAMILIES.includes(rule.family)) {
      (idsByFamily[rule.family] ??= []).push(+id.split('-')[1]);
    }
  }
  if (!/^\d+\.\d+\.\d+$/.test(String(rule.version))) fail(rel, id, 'version must be semver (x.y.z)');
  for (const k of ['sub_family', 'name', 'description', 'risk_explanation', 'remediation_advice']) {
    if (!isStr(rule[k])) fail(rel, id, `${k} must be a non-empty string`);
  }
  if (typeof rule.sub_family === 'string' && !/^[a-z0-9_]+$/.test(rule.sub_family)) fail(rel, id, 'sub_family must be snake_case');
  if (!SEVERITIES.includes(rule.severity)) fail(rel, id, `severity must be one of ${SEVERITIES.join(', ')}`);
  if (typeof rule.confidence !== 'number' || !(rule.confidence >= 0 && rule.confidence <= 1)) fail(rel, id, 'confidence must be a number in 0..1');
  if (!Array.isArray(rule.mitre_attack) || !rule.mitre_attack.every((m) => typeof m === 'string' && /^(?:T\d{4}(?:\.\d{3})?|AML\.T\d{4}(?:\.\d{3})?)$/.test(m))) {
    fail(rel, id, 'mitre_attack must be a list of ATT&CK (T1234[.001]) or ATLAS (AML.T0051[.000]) ids');
  }
  const md = rule.metadata;
  if (!md || typeof md !== 'object' || Array.isArray(md)) fail(rel, id, 'metadata must be a mapping');
  else {
    if (!isStr(md.author)) fail(rel, id, 'metadata.author missing');
    if (typeof md.created !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(md.created)) fail(rel, id, 'metadata.created must be a quoted YYYY-MM-DD string');
    if (!Array.isArray(md.tags) || !md.tags.every(isStr)) fail(rel, id, 'metadata.tags must be a list of strings');
  }

  const pats = rule.patterns;
  if (!Array.isArray(pats) || pats.length < 1 || pats.length > 4) { fail(rel, id, 'patterns must be a list of 1-4 entries'); return; }
  const compiled = [];
  pats.forEach((p, k) => {
    const where = `patterns[${k}]`;
    if (!p || typeof p !== 'object') { fail(rel, id, `${where} must be a mapping`); return; }
    for (const key of Object.keys(p)) if (!['pattern', 'flags', 'timeout'].includes(key)) fail(rel, id, `${where}: unexpected key ${key}`);
    if (typeof p.pattern !== 'string' || p.pattern.length === 0) { fail(rel, id, `${where}: pattern must be a non-empty string`); return; }
    if (!Array.isArray(p.flags) || !p.flags.every((f) => FLAGS.includes(f))) fail(rel, id, `${where}: flags must be a list drawn from ${FLAGS.join(', ')}`);
    if (new Set(p.flags ?? []).size !== (p.flags ?? []).length) fail(rel, id, `${where}: duplicate flag`);
    if (typeof p.timeout !== 'number' || !(p.timeout > 0)) fail(rel, id, `${where}: timeout must be a positive number`);
    const flags = Array.isArray(p.flags) ? p.flags.filter((f) => FLAGS.includes(f)) : [];
    try {
      const ast = parseSubset(p.pattern, flags.includes('VERBOSE'));
      if (edgeDotStar(ast)) fail(rel, id, `${where}: leading or trailing .* is pointless for search; remove it`);
      const lit = requiredLiteral(ast);
      if (lit < 3) {
        const msg = `${where}: no required literal of 3+ characters (longest ${lit}); runs on every input`;
        if (strict) fail(rel, id, msg); else warn(rel, id, msg);
      }
    } catch (e) {
      if (e instanceof SubsetError) fail(rel, id, `${where}: unsupported syntax: ${e.message}`);
      else throw e;
    }
    compiled.push({ pattern: p.pattern, flags });
  });

  const ex = rule.examples;
  if (!ex || typeof ex !== 'object') { fail(rel, id, 'examples must be a mapping'); return; }
  for (const k of Object.keys(ex)) if (!['should_match', 'should_not_match'].includes(k)) fail(rel, id, `examples: unexpected key ${k}`);
  for (const k of ['should_match', 'should_not_match']) {
    const list = ex[k];
    if (!Array.isArray(list) || list.length < MIN_EXAMPLES || !list.every((s) => typeof s === 'string' && s.length > 0)) {
      fail(rel, id, `examples.${k} must list at least ${MIN_EXAMPLES} non-empty strings`);
    } else if (new Set(list).size !== list.length) fail(rel, id, `examples.${k} has duplicates`);
  }
  jobs.push({
    file: rel, id, patterns: compiled,
    should_match: Array.isArray(ex.should_match) ? ex.should_match.filter((s) => typeof s === 'string') : [],
    should_not_match: Array.isArray(ex.should_not_match) ? ex.should_not_match.filter((s) => typeof s === 'string') : [],
  });
}

// ---------------------------------------------------------------------------
// Python oracle
// ---------------------------------------------------------------------------
const ORACLE = String.raw`
import json, re, sys, warnings
warnings.simplefilter("error")
jobs = json.load(sys.stdin)
out = []
for job in jobs:
    res = {"compile_errors": [], "missed": [], "false_hits": []}
    regs = []
    for k, p in enumerate(job["patterns"]):
        fl = 0
        for f in p["flags"]:
            fl |= getattr(re, f)
        try:
            regs.append((k, re.compile(p["pattern"], fl)))
        except (re.error, Warning) as e:
            res["compile_errors"].append([k, str(e)])
    for s in job["should_match"]:
        if not any(r.search(s) for _, r in regs):
            res["missed"].append(s)
    for s in job["should_not_match"]:
        for k, r in regs:
            m = r.search(s)
            if m:
                res["false_hits"].append([s, k, m.group(0)])
    out.append(res)
json.dump(out, sys.stdout)
`;

function runOracle(jobs) {
  const py = process.env.PYTHON ?? 'python3';
  const r = spawnSync(py, ['-c', ORACLE], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    console.error(`python oracle failed: ${r.error?.message ?? r.stderr}`);
    process.exit(2);
  }
  const results = JSON.parse(r.stdout);
  results.forEach((res, idx) => {
    const job = jobs[idx];
    for (const [k, e] of res.compile_errors) fail(job.file, job.id, `patterns[${k}] does not compile in Python re: ${e}`);
    for (const s of res.missed) fail(job.file, job.id, `should_match example not matched: ${JSON.stringify(s)}`);
    for (const [s, k, m] of res.false_hits) fail(job.file, job.id, `should_not_match example matched by patterns[${k}] (${JSON.stringify(m)}): ${JSON.stringify(s)}`);
  });
}

// ---------------------------------------------------------------------------
if (!existsSync(rulesDir)) { console.error(`no rules directory at ${rulesDir}`); process.exit(2); }
checkPack();
const jobs = [];
const seenIds = new Map();
const idsByFamily = {};
const files = listRuleFiles();
for (const f of files) {
  let doc;
  try { doc = parseYaml(readFileSync(f, 'utf8'), { uniqueKeys: true }); }
  catch (e) { fail(relative(process.cwd(), f), null, `YAML: ${e.message}`); continue; }
  checkRule(f, doc, jobs, seenIds, idsByFamily);
}
for (const fam of FAMILIES) {
  const nums = (idsByFamily[fam] ?? []).sort((a, b) => a - b);
  const dir = relative(process.cwd(), join(rulesDir, fam.toLowerCase())) + '/';
  const seen = new Set(nums);
  const max = nums.length ? nums[nums.length - 1] : 0;
  for (let k = 1; k <= max; k++) {
    if (!seen.has(k)) fail(dir, `${fam.toLowerCase()}-${String(k).padStart(3, '0')}`, 'missing: rule ids must be numbered from 001 without gaps');
  }
  if (nums.length < minPerFamily) fail(dir, fam, `family has ${nums.length} rules, fewer than --min-per-family=${minPerFamily}`);
}
if (jobs.length) runOracle(jobs);

for (const w of warnings) console.log(`warning: ${w}`);
for (const f of failures) console.log(`FAIL: ${f}`);
const counts = FAMILIES.map((f) => `${f}=${(idsByFamily[f] ?? []).length}`).join(' ');
console.log(`\n${files.length} rule files (${counts}); ${failures.length} failure(s), ${warnings.length} warning(s)`);
process.exit(failures.length ? 1 : 0);
