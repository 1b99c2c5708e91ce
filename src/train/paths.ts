/** The package root as seen from dist/*.js or src/train/*.ts: the nearest folder with build/raxe.wasm. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = [resolve(HERE, '..'), resolve(HERE, '..', '..')].find((d) => existsSync(join(d, 'build', 'raxe.wasm'))) ?? resolve(HERE, '..');
