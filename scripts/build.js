// Bundles the TypeScript sources with esbuild:
//   dist/core.js       the runtime-agnostic core (Web APIs only), for the playground build and examples
//   dist/cli.js        the `raxe` command (Node); each command's own code in dist/chunks/, loaded on use
//   dist/raxe.js       `import ... from 'raxe'` in browsers and workers (Web APIs only)
//   dist/raxe.node.js  `import ... from 'raxe'` on Node, Deno and Bun (reads the package's files from disk)
//   dist/mcp.js        `raxe/mcp`: MCP server and stdio gateway
//   dist/http.js       `raxe/http`: the HTTP gateway's fetch app
//   dist/types/        the .d.ts files of those entries (tsc)
//   dist/scan-worker.js the gateway's scan worker thread (scans long texts off the request path)
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const common = { bundle: true, format: 'esm', sourcemap: true, logLevel: 'warning', target: 'es2022' };

await build({ ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js', platform: 'neutral' });
if (existsSync('src/cli/main.ts')) {
  rmSync('dist/chunks', { recursive: true, force: true }); // hashed names: an old build's chunks would linger (and be packed)
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

// The library entries (package.json "exports"): one build with code splitting,
// so the entries share one copy of the core (one RuleLoadError class...);
// dependencies stay imports of the installed packages.
await build({
  ...common,
  sourcemap: false,
  entryPoints: { raxe: 'src/api/index.ts', 'raxe.node': 'src/api/node.ts', mcp: 'src/api/mcp.ts', http: 'src/api/http.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'lib-[hash]',
  platform: 'neutral',
  packages: 'external',
  external: ['node:*'],
});

// their type declarations
rmSync('dist/types', { recursive: true, force: true });
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

// The gateway's scan worker (a thread per worker: scans long texts off the request path)
if (existsSync('src/mcp/node/scan-worker.ts')) {
  await build({
    ...common,
    entryPoints: ['src/mcp/node/scan-worker.ts'],
    outfile: 'dist/scan-worker.js',
    platform: 'node',
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

// The Cloudflare Workers example (examples/workers): the HTTP gateway's Hono
// app as a Worker, with the engine as a CompiledWasm module and the built-in
// pack's precompiled matcher as a Data module beside the bundle (Workers
// compile no wasm at run time; a 5 MB matcher is better read than parsed as JS).
if (existsSync('examples/workers/src/worker.ts') && existsSync('dist/builtin-pack.matcher')) {
  const { copyFileSync, mkdirSync } = await import('node:fs');
  mkdirSync('examples/workers/dist', { recursive: true });
  copyFileSync('build/raxe.wasm', 'examples/workers/dist/raxe.wasm');
  copyFileSync('dist/builtin-pack.matcher', 'examples/workers/dist/builtin-pack.matcher');
  await build({
    ...common,
    sourcemap: false,
    entryPoints: ['examples/workers/src/worker.ts'],
    outfile: 'examples/workers/dist/worker.js',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    // resolved by the runtime, beside worker.js (wrangler.toml [[rules]])
    external: ['./raxe.wasm', './builtin-pack.matcher'],
  });
}
