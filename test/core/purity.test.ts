// The core is runtime-agnostic: it bundles for a neutral platform without a
// single Node builtin, and neither it nor the engine sources mention node:,
// Deno or Bun outside comments.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBuiltin = (p: string) => p.startsWith('node:') || BUILTINS.has(p) || BUILTINS.has(p.split('/')[0]);

async function bundle(entry: string): Promise<Metafile> {
  const res = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    metafile: true,
    external: [],
    logLevel: 'silent',
  });
  return res.metafile;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (/\.[cm]?[jt]s$/.test(n)) out.push(p);
  }
  return out;
}

/** The source with comments removed (strings, imports and types kept). */
function withoutComments(path: string, text: string): string {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(sf);
}

const FORBIDDEN = /\bnode:|\bDeno\s*\.|\bBun\s*\./;

describe('core purity', () => {
  it('src/core bundles for a neutral platform with no Node builtin among its inputs or imports', async () => {
    const meta = await bundle('src/core/index.ts');
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('src/core/index.ts');
    expect(inputs.some((p) => p.startsWith('src/core/normalize/'))).toBe(true);
    for (const [path, input] of Object.entries(meta.inputs)) {
      expect(isBuiltin(path), path).toBe(false);
      expect(path.startsWith('src/core/') || path.startsWith('node_modules/'), `${path} is outside src/core and its dependencies`).toBe(true);
      for (const imp of input.imports) {
        expect(isBuiltin(imp.path), `${path} imports ${imp.path}`).toBe(false);
        expect(imp.external ?? false, `${path} imports ${imp.path} as external`).toBe(false);
      }
    }
    for (const out of Object.values(meta.outputs)) {
      for (const imp of out.imports) expect(isBuiltin(imp.path), `bundle imports ${imp.path}`).toBe(false);
    }
  });

  it('the bundle check itself fails on a Node import (control)', async () => {
    // a core module that imports node:fs must not bundle for the neutral platform
    await expect(
      build({ stdin: { contents: "import { readFileSync } from 'node:fs'; export const x = readFileSync;", resolveDir: ROOT }, bundle: true, write: false, platform: 'neutral', logLevel: 'silent' }),
    ).rejects.toThrow(/node:fs/);
  });

  it('no source file under src/core or assembly refers to node:, Deno or Bun', () => {
    const files = [...tsFiles(join(ROOT, 'src', 'core')), ...tsFiles(join(ROOT, 'assembly'))];
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const f of files) {
      const code = withoutComments(f, readFileSync(f, 'utf8'));
      const m = FORBIDDEN.exec(code);
      if (m) offenders.push(`${relative(ROOT, f)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the comment stripper keeps code and strings (control)', () => {
    const src = [
      '// node: in a comment is fine',
      '/* Deno.readFile in a block comment */',
      "import { readFileSync } from 'node:fs';",
      'const a = Deno.env;',
      'const b = globalThis.Bun . file;',
      "import type { X } from 'node:buffer';",
    ].join('\n');
    const code = withoutComments('x.ts', src);
    expect(code).not.toMatch(/in a comment|block comment/);
    expect(code).toMatch(/["']node:fs["']/);
    expect(code).toMatch(/["']node:buffer["']/);
    expect(code).toMatch(/Deno\.env/);
    expect(FORBIDDEN.test(code)).toBe(true);
    expect(FORBIDDEN.test(withoutComments('y.ts', '// node:fs\n/* Bun.file */\nexport const ok = 1;'))).toBe(false);
  });
});
