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
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    packages: 'external',
  });
}
