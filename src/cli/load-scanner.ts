/** Builds a scanner from the built-in pack plus --rules folders, or fails with exit 2. */
import { createScanner, formatLoadError, RuleLoadError, type Scanner, type LoadedPack } from '../core/index.js';
import { readPacks, readWasm, builtinPrecompiled } from './fs-packs.js';
import { CliError } from './errors.js';

export async function loadScanner(userDirs: string[], opts: { builtin?: boolean; l2?: boolean } = {}): Promise<{ scanner: Scanner; packs: LoadedPack[] }> {
  const { packs, errors } = readPacks(userDirs, opts);
  if (errors.length > 0) throw new CliError(`cannot load rules:\n${errors.map(formatLoadError).join('\n')}`, 2);
  try {
    // the precompiled matcher covers exactly the built-in pack, so only use it alone
    const precompiled = userDirs.length === 0 && opts.builtin !== false ? builtinPrecompiled() : undefined;
    const scanner = await createScanner({ engine: readWasm(), rules: packs.flatMap((p) => p.rules), precompiled });
    return { scanner, packs };
  } catch (e) {
    if (e instanceof RuleLoadError) throw new CliError(`cannot load rules:\n${e.errors.map(formatLoadError).join('\n')}`, 2);
    throw e;
  }
}
