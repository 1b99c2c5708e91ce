#!/usr/bin/env node
// Precision sweep of a rule pack over real benign text: which rules fire where
// they should not, and on what.
//
//   node scripts/rules-precision.mjs                  every rule over both corpora, 3 hits shown per rule
//   node scripts/rules-precision.mjs --rule pi-027    every hit of one rule (repeatable)
//   node scripts/rules-precision.mjs --only docs      node_modules docs only (or: --only data, --only mcp)
//   node scripts/rules-precision.mjs --show 10        hits shown per rule
//   node scripts/rules-precision.mjs --rules DIR      another pack (default: rules/)
//   node scripts/rules-precision.mjs --json           counts as JSON (for before/after comparisons)
//
// Corpora (both real, both benign):
//   docs  every Markdown / text document under node_modules (README, CHANGELOG,
//         docs/*.md, *.txt, *.rst ...), one file = one unit. Packages that are
//         themselves about prompt injection or jailbreaks (their READMEs quote
//         attacks on purpose) are skipped: the SKIP list below, plus any
//         package whose package.json description or keywords say so.
//   mcp   what real MCP servers from npm (server-everything, server-filesystem,
//         dev dependencies) publish: server instructions, every tool, prompt
//         and resource description and every description inside a tool's
//         input schema, listed through the official SDK client. One
//         description = one unit.
//   data  the BENIGN rows (label 0) of ../shared/datasets/train/*.jsonl (or
//         $RAXE_DATASETS). Threat rows (label 1) are dropped as they are read,
//         never scanned or printed: patterns must not be tuned on them (the
//         project reports detection on those sources, leave-one-source-out).
//
// A hit is a unit on which a rule fires (any severity; the severity is shown).
// Snippets are printed for the developer's eyes only: this is a local tool,
// nothing here crosses MCP or HTTP.
// Needs dist/core.js (npm run build:js) and build/raxe.wasm (npm run build:wasm).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname, relative, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const all = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));

/** Packages about prompt injection: their docs quote attacks on purpose. */
const SKIP = new Set(['@andersmyrmel/vard', 'llm_guardrail']);
const ABOUT_INJECTION = /prompt[\s-]*injection|jailbreak|guardrail/i;
const DOC_EXT = /\.(?:md|markdown|mdx|txt|rst|adoc)$/i;
const DOC_NAME = /^(?:readme|changelog|changes|history|notice|authors|contributing|security|code_of_conduct)(?:\.[\w-]+)?$/i;
/** Snippet length printed per hit: enough to recognise the sentence. */
const SNIPPET_CHARS = 200;

for (const f of ['dist/core.js', 'build/raxe.wasm']) {
  if (!existsSync(join(root, f))) {
    console.error(`missing ${f}: run npm run build`);
    process.exit(2);
  }
}
const { loadPack, formatLoadError, createScanner, loadEngine } = await import(pathToFileURL(join(root, 'dist/core.js')).href);
const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');

// ---------------------------------------------------------------------------
// the pack, read from its YAML (so an edited rule is measured without a rebuild)

function loadRules(dir) {
  const files = [];
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n) && n !== 'pack.yaml') files.push({ path: relative(root, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  const errors = [];
  const manifest = { path: join(dir, 'pack.yaml'), text: readFileSync(join(dir, 'pack.yaml'), 'utf8') };
  const pack = loadPack(dir, manifest, files, errors, { builtin: true });
  if (errors.length) {
    console.error(errors.map(formatLoadError).join('\n'));
    process.exit(2);
  }
  return pack.rules;
}

const rulesDir = resolve(opt('--rules') ?? join(root, 'rules'));
const rules = loadRules(rulesDir);
const engine = await loadEngine(readFileSync(join(root, 'build/raxe.wasm')));
const scanner = await createScanner({ engine, rules });
const severityOf = new Map(rules.map((r) => [r.rule_id, r.severity]));

// ---------------------------------------------------------------------------
// corpora

/** Package directories under node_modules (scoped ones included, nested node_modules too). */
function* packages(dir) {
  if (!existsSync(dir)) return;
  for (const n of readdirSync(dir).sort()) {
    if (n.startsWith('.')) continue;
    const p = join(dir, n);
    if (!statSync(p).isDirectory()) continue;
    if (n.startsWith('@')) {
      for (const m of readdirSync(p).sort()) if (statSync(join(p, m)).isDirectory()) yield { name: `${n}/${m}`, dir: join(p, m) };
    } else yield { name: n, dir: p };
  }
}

function isAboutInjection(dir) {
  try {
    const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return ABOUT_INJECTION.test(`${pj.description ?? ''} ${(pj.keywords ?? []).join(' ')}`);
  } catch {
    return false;
  }
}

function docFiles(dir, out) {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) {
      if (n === 'node_modules') continue; // walked as packages of their own
      docFiles(p, out);
    } else if (DOC_EXT.test(n) || DOC_NAME.test(n)) out.push(p);
  }
}

function* docsCorpus(skipped) {
  const queue = [join(root, 'node_modules')];
  while (queue.length) {
    const nm = queue.shift();
    for (const pkg of packages(nm)) {
      if (existsSync(join(pkg.dir, 'node_modules'))) queue.push(join(pkg.dir, 'node_modules'));
      if (SKIP.has(pkg.name) || isAboutInjection(pkg.dir)) {
        skipped.add(pkg.name);
        continue;
      }
      const files = [];
      docFiles(pkg.dir, files);
      for (const f of files) yield { where: relative(root, f), text: readFileSync(f, 'utf8') };
    }
  }
}

function* dataCorpus(dir, counts) {
  if (!existsSync(dir)) {
    console.error(`warning: ${dir} not found; no dataset rows scanned`);
    return;
  }
  for (const n of readdirSync(dir).sort()) {
    if (!n.endsWith('.jsonl')) continue;
    const lines = readFileSync(join(dir, n), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      const r = JSON.parse(lines[i]);
      if (r.label !== 0) continue; // threat rows: never scanned, never printed
      counts.set(n, (counts.get(n) ?? 0) + 1);
      yield { where: `${n}:${i + 1} (${r.source})`, text: String(r.text) };
    }
  }
}

/** The real MCP servers listed (command line relative to the package root). */
const MCP_SERVERS = [
  { name: 'server-everything', args: ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'] },
  { name: 'server-filesystem', args: ['node_modules/@modelcontextprotocol/server-filesystem/dist/index.js', '.'] },
];

/** Every description string inside a JSON schema (properties, items, nested). */
function* schemaDescriptions(schema, path) {
  if (!schema || typeof schema !== 'object') return;
  if (typeof schema.description === 'string') yield { path, text: schema.description };
  for (const [k, v] of Object.entries(schema.properties ?? {})) yield* schemaDescriptions(v, `${path}.${k}`);
  if (schema.items) yield* schemaDescriptions(schema.items, `${path}[]`);
  for (const key of ['anyOf', 'oneOf', 'allOf']) for (const [i, v] of (schema[key] ?? []).entries()) yield* schemaDescriptions(v, `${path}|${i}`);
}

async function mcpCorpus() {
  const out = [];
  for (const srv of MCP_SERVERS) {
    const client = new Client({ name: 'raxe-rules-precision', version: '0.0.0' });
    const transport = new StdioClientTransport({ command: process.execPath, args: srv.args, cwd: root, stderr: 'ignore' });
    try {
      await client.connect(transport);
      const caps = client.getServerCapabilities() ?? {};
      const add = (where, text) => typeof text === 'string' && text.trim() && out.push({ where: `${srv.name}: ${where}`, text });
      add('instructions', client.getInstructions());
      if (caps.tools) {
        for (const t of (await client.listTools()).tools) {
          add(`tool ${t.name}`, t.description);
          for (const d of schemaDescriptions(t.inputSchema, `tool ${t.name} input`)) add(d.path, d.text);
        }
      }
      if (caps.prompts) {
        for (const p of (await client.listPrompts()).prompts) {
          add(`prompt ${p.name}`, p.description);
          for (const a of p.arguments ?? []) add(`prompt ${p.name} argument ${a.name}`, a.description);
        }
      }
      if (caps.resources) {
        for (const r of (await client.listResources()).resources) add(`resource ${r.uri}`, r.description);
        for (const r of (await client.listResourceTemplates()).resourceTemplates) add(`resource template ${r.uriTemplate}`, r.description);
      }
    } catch (e) {
      console.error(`error: ${srv.name} could not be listed: ${e.message}`);
      process.exitCode = 1;
    } finally {
      await client.close().catch(() => {});
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// scanning

const only = opt('--only');
const wanted = new Set(all('--rule'));
const show = Number(opt('--show') ?? (wanted.size ? Infinity : 3));
const hits = new Map(); // rule -> { docs, data, byFile: Map, samples: [] }
const units = { docs: 0, mcp: 0, data: 0 };
const dataRows = new Map();
const skipped = new Set();
let bytes = 0;
let ms = 0;

function lineOf(text, at) {
  let line = 1;
  for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function scanUnit(kind, u, fileKey) {
  units[kind]++;
  bytes += u.text.length;
  const t0 = performance.now();
  const res = scanner.scanL1(u.text, { explain: true });
  ms += performance.now() - t0;
  const first = new Map();
  for (const m of res.explain.matches) if (!first.has(m.rule_id)) first.set(m.rule_id, m);
  for (const d of res.detections) {
    if (wanted.size && !wanted.has(d.rule_id)) continue;
    let h = hits.get(d.rule_id);
    if (!h) hits.set(d.rule_id, (h = { docs: 0, mcp: 0, data: 0, byFile: new Map(), samples: [] }));
    h[kind] = (h[kind] ?? 0) + 1;
    h.byFile.set(fileKey, (h.byFile.get(fileKey) ?? 0) + 1);
    if (h.samples.length < show) {
      const m = first.get(d.rule_id);
      const line = m && m.text_layer === 'raw' ? `:${lineOf(u.text, m.span[0])}` : m ? ` [${m.text_layer}]` : '';
      const snippet = (m?.matched ?? '').replace(/\s+/g, ' ').slice(0, SNIPPET_CHARS);
      h.samples.push(`${u.where}${kind === 'docs' ? line : ''}  «${snippet}»`);
    }
  }
}

if (!only || only === 'docs') for (const u of docsCorpus(skipped)) scanUnit('docs', u, u.where.split('/').slice(0, u.where.includes('/@') ? 3 : 2).join('/'));
if (!only || only === 'mcp') for (const u of await mcpCorpus()) scanUnit('mcp', u, u.where.split(':')[0]);
if (!only || only === 'data') {
  const dir = process.env.RAXE_DATASETS || resolve(root, '../shared/datasets/train');
  for (const u of dataCorpus(dir, dataRows)) scanUnit('data', u, u.where.split(':')[0]);
}

// ---------------------------------------------------------------------------
// report

const sum = (h) => h.docs + h.mcp + h.data;
const order = [...hits.entries()].sort((a, b) => sum(b[1]) - sum(a[1]) || a[0].localeCompare(b[0]));
const totalDocs = order.reduce((s, [, h]) => s + h.docs, 0);
const totalMcp = order.reduce((s, [, h]) => s + h.mcp, 0);
const totalData = order.reduce((s, [, h]) => s + h.data, 0);

if (args.includes('--json')) {
  console.log(
    JSON.stringify(
      {
        rules: rules.length,
        units,
        skippedPackages: [...skipped].sort(),
        hits: Object.fromEntries(order.map(([id, h]) => [id, { severity: severityOf.get(id), docs: h.docs, mcp: h.mcp, data: h.data, byFile: Object.fromEntries(h.byFile) }])),
        total: { rulesFiring: order.length, docs: totalDocs, mcp: totalMcp, data: totalData },
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

console.log(`rules: ${rules.length} from ${relative(root, rulesDir) || '.'}`);
console.log(`docs: ${units.docs} files under node_modules (skipped packages about prompt injection: ${[...skipped].sort().join(', ') || 'none'})`);
console.log(`mcp: ${units.mcp} descriptions published by ${MCP_SERVERS.map((m) => m.name).join(', ')}`);
console.log(`data: ${units.data} benign rows (label 0) from ${dataRows.size} files; threat rows not read`);
console.log(`L1 time: ${(ms / 1000).toFixed(1)} s for ${(bytes / 2 ** 20).toFixed(1)} MB (${(bytes / 2 ** 20 / (ms / 1000)).toFixed(2)} MB/s, explain on)\n`);
console.log(`${'rule'.padEnd(10)} ${'severity'.padEnd(9)} ${'docs'.padStart(5)} ${'mcp'.padStart(5)} ${'data'.padStart(5)}  where`);
for (const [id, h] of order) {
  const files = [...h.byFile.entries()].sort((a, b) => b[1] - a[1]).map(([f, c]) => `${f} ${c}`).join(', ');
  console.log(`${id.padEnd(10)} ${String(severityOf.get(id)).padEnd(9)} ${String(h.docs).padStart(5)} ${String(h.mcp).padStart(5)} ${String(h.data).padStart(5)}  ${files}`);
  for (const s of h.samples) console.log(`    ${s}`);
}
console.log(`\nrules firing: ${order.length}; hits: ${totalDocs} doc files, ${totalMcp} MCP descriptions, ${totalData} benign rows`);
