/**
 * Real documentation and code as benign text: the README/Markdown docs and
 * TypeScript declaration files of a fixed list of permissively licensed
 * packages installed in node_modules (versions pinned by package-lock.json),
 * cut into chunks at paragraph or line boundaries. The public training data
 * has few real docs and little JavaScript; this fills that gap with text
 * nobody wrote to look benign. Packages about prompt injection itself are not
 * on the list (their READMEs quote attacks).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = [
  'express', 'body-parser', 'router', 'send', 'qs', 'cookie', 'cors', 'debug', 'commander', 'cac', 'chalk', 'glob', 'minimatch', 'picomatch', 'chokidar',
  'lru-cache', 'ws', 'undici', 'jose', 'ajv', 'zod-to-json-schema', 'diff', 'magic-string', 'source-map-js', 'es-module-lexer', 'retry', 'ipaddr.js', 'ip-address',
  'express-rate-limit', 'type-fest', 'long', 'depd', 'fast-uri', 'tinybench', 'atomically', 'minipass', 'path-scurry', 'ml-matrix', 're2js', 'yaml', 'zod',
  'hono', '@hono/node-server', '@modelcontextprotocol/sdk', '@modelcontextprotocol/server-filesystem', '@modelcontextprotocol/server-everything', '@modelcontextprotocol/inspector',
  'onnxruntime-web', 'esbuild', 'vitest', 'assemblyscript', 'playwright-core', 'codemirror', 'typescript',
];
const LICENCES = /^(MIT|ISC|Apache-2\.0|BSD-2-Clause|BSD-3-Clause|0BSD|BlueOak-1\.0\.0|\(MIT OR Apache-2\.0\))$/;
const MAX_CHUNK = 3500;
const MIN_CHUNK = 200;
const PER_PACKAGE = 40;

/** Splits at blank lines (or line ends) into chunks of at most MAX_CHUNK characters. */
export function chunks(text) {
  const out = [];
  let cur = '';
  for (const para of text.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    const parts = para.length > MAX_CHUNK ? para.match(new RegExp(`[^\\n]{1,${MAX_CHUNK}}(?:\\n|$)`, 'g')) ?? [] : [para];
    for (const p of parts) {
      if (cur.length + p.length + 2 > MAX_CHUNK && cur.length >= MIN_CHUNK) {
        out.push(cur.trim());
        cur = '';
      }
      cur += (cur ? '\n\n' : '') + p;
    }
  }
  if (cur.trim().length >= MIN_CHUNK) out.push(cur.trim());
  return out;
}

function filesOf(dir) {
  const out = [];
  const walk = (d, depth) => {
    for (const n of readdirSync(d).sort()) {
      if (n === 'node_modules' || n.startsWith('.')) continue;
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (depth < 3) walk(p, depth + 1);
      } else if (/\.(md|markdown)$/i.test(n) || /^(LICENSE|LICENCE|COPYING|NOTICE)(\.txt)?$/i.test(n) || (/\.d\.ts$/.test(n) && st.size < 400_000)) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

/** Every chunk of every listed package's docs and declarations: { text, source }. */
export function harvest(root) {
  const rows = [];
  for (const name of PACKAGES) {
    const dir = join(root, 'node_modules', name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (!LICENCES.test(String(pkg.license ?? ''))) continue;
    let n = 0;
    for (const f of filesOf(dir)) {
      for (const text of chunks(readFileSync(f, 'utf8'))) {
        if (n >= PER_PACKAGE) break;
        rows.push({ text, source: `npm:${name}@${pkg.version}/${f.slice(dir.length + 1)}`, licence: pkg.license });
        n++;
      }
    }
  }
  return rows;
}
