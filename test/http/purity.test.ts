// The HTTP gateway's app is runtime-agnostic like the core: it bundles for a
// neutral platform without a Node builtin, and its sources (all of src/http
// but the per-runtime shims and run.ts, and the Streamable HTTP upstream
// channel) never mention node:, Deno or Bun outside comments. The shims are
// the only place each runtime appears.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBuiltin = (p: string) => p.startsWith('node:') || BUILTINS.has(p) || BUILTINS.has(p.split('/')[0]);
const FORBIDDEN = /\bnode:|\bDeno\s*\.|\bBun\s*\./;
const ADAPTERS = new Set(['serve-node.ts', 'serve-deno.ts', 'serve-bun.ts', 'run.ts']);

const code = (path: string) => {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(sf);
};

const pureFiles = () => [
  ...readdirSync(join(ROOT, 'src/http')).filter((n) => n.endsWith('.ts') && !ADAPTERS.has(n)).map((n) => join(ROOT, 'src/http', n)),
  ...readdirSync(join(ROOT, 'src/mcp/gateway')).filter((n) => /^http-.*\.ts$/.test(n)).map((n) => join(ROOT, 'src/mcp/gateway', n)),
];

describe('HTTP gateway purity', () => {
  it('src/http/app.ts (and the folder index) bundle for a neutral platform with no Node builtin', async () => {
    for (const entry of ['src/http/app.ts', 'src/http/index.ts']) {
      const res = await build({ entryPoints: [entry], absWorkingDir: ROOT, bundle: true, write: false, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], metafile: true, logLevel: 'silent' });
      const inputs = Object.keys(res.metafile.inputs);
      expect(inputs).toContain('src/mcp/gateway/http-upstream.ts');
      for (const [path, input] of Object.entries(res.metafile.inputs)) {
        expect(isBuiltin(path), path).toBe(false);
        expect(path, `${entry} pulls in an adapter`).not.toMatch(/src\/(http\/(serve-|run)|mcp\/node\/|cli\/)/);
        for (const imp of input.imports) expect(isBuiltin(imp.path), `${path} imports ${imp.path}`).toBe(false);
      }
    }
  });

  it('no pure source mentions node:, Deno or Bun; each shim names only its own runtime', () => {
    const files = pureFiles();
    expect(files.map((f) => f.slice(ROOT.length))).toEqual(expect.arrayContaining(['src/http/app.ts', 'src/http/session.ts', 'src/mcp/gateway/http-upstream.ts']));
    const offenders = files.flatMap((f) => {
      const m = FORBIDDEN.exec(code(f));
      return m ? [`${f.slice(ROOT.length)}: ${m[0]}`] : [];
    });
    expect(offenders).toEqual([]);
    const mentions = (f: string) => ['node:', 'Deno.', 'Bun.'].filter((w) => code(join(ROOT, 'src/http', f)).includes(w));
    expect(mentions('serve-node.ts')).toEqual(['node:']);
    expect(mentions('serve-deno.ts')).toEqual(['Deno.']);
    expect(mentions('serve-bun.ts')).toEqual(['Bun.']);
  });
});
