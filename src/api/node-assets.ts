/**
 * The AssetSource of Node, Deno and Bun (all three provide node:fs): the
 * package's files from disk, the built-in pack as the CLI reads it (the
 * build's precompiled copy unless a rule file is newer), rule folders
 * through the same reader as `raxe scan --rules`.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RuleLoadError, type LoadError } from '../core/index.js';
import { builtinPrecompiled, PACKAGE_ROOT, readBuiltinPack, readPack } from '../cli/fs-packs.js';
import type { AssetSource } from './assets.js';

export const nodeAssets: AssetSource = {
  where: PACKAGE_ROOT,
  async read(path) {
    try {
      return await readFile(join(PACKAGE_ROOT, path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  async builtin() {
    const errors: LoadError[] = [];
    const pack = readBuiltinPack(errors);
    if (errors.length) throw new RuleLoadError(errors);
    return { pack, matcher: builtinPrecompiled() };
  },
  async readPack(path) {
    const errors: LoadError[] = [];
    const pack = readPack(resolve(path), errors);
    if (errors.length) throw new RuleLoadError(errors);
    return pack;
  },
};
