// Bundles the TypeScript sources with esbuild:
//   dist/core.js  the runtime-agnostic core (Web APIs only), for library use
//   dist/cli.js   the `raxe` command (Node)
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, format: 'esm', sourcemap: true, logLevel: 'warning', target: 'es2022' };

await build({ ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js', platform: 'neutral' });
if (existsSync('src/cli/main.ts')) {
  await build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    // the commands' own code (MCP SDK, HTTP server, audit) in chunks loaded on use: compiling
    // one bundle beats resolving many package modules, but `raxe scan` should not compile the
    // MCP gateway (start-up is mostly compiling JavaScript)
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    // onnxruntime-web loads its own wasm files next to its bundle: keep it a package
    external: ['onnxruntime-web'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

// Training and evaluation commands (npm run train / npm run eval)
for (const name of ['train', 'eval']) {
  if (!existsSync(`src/train/${name}-cli.ts`)) continue;
  await build({
    ...common,
    entryPoints: [`src/train/${name}-cli.ts`],
    outfile: `dist/${name}.js`,
    platform: 'node',
    external: ['onnxruntime-web', '@andersmyrmel/vard', 'llm_guardrail'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

// The built-in pack, parsed and validated ahead of time so that start-up does
// not parse ~300 YAML files (src/cli/fs-packs.ts falls back to the YAML when
// a rule file is newer than this JSON).
{
  const { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { loadPack, formatLoadError, loadEngine, compileRules } = await import('../dist/core.js');
  const files = [];
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n) && n !== 'pack.yaml') files.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk('rules');
  const errors = [];
  const pack = loadPack('rules', { path: 'rules/pack.yaml', text: readFileSync('rules/pack.yaml', 'utf8') }, files, errors, { builtin: true });
  if (errors.length) {
    console.warn(`warning: the built-in pack has ${errors.length} problem(s); not precompiled:\n${errors.map(formatLoadError).join('\n')}`);
  } else {
    mkdirSync('dist', { recursive: true });
    writeFileSync('dist/builtin-pack.json', JSON.stringify(pack));
    // and its matcher, compiled now: start-up then loads it instead of compiling
    try {
      const engine = await loadEngine(readFileSync('build/raxe.wasm'));
      writeFileSync('dist/builtin-pack.matcher', compileRules(engine, pack.rules).matcher.serialize());
    } catch (e) {
      console.warn(`warning: the built-in pack does not compile; not precompiled:\n${e.message}`);
    }
  }
}
