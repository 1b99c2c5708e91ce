/** Builds a scanner from the built-in pack plus --rules folders (and L2 when enabled), or fails with exit 2. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createL2, createScanner, formatLoadError, loadEngine, RuleLoadError, type Engine, type L2Runtime, type LoadedPack, type OrtLike, type Scanner } from '../core/index.js';
import { readPacks, readWasm, builtinPrecompiled, PACKAGE_ROOT } from './fs-packs.js';
import { CliError } from './errors.js';

export const MODEL_PATH = join(PACKAGE_ROOT, 'models', 'raxe-l2.onnx');

/**
 * The L2 classifier, or null when there is no model. onnxruntime-web is
 * imported only here, so L1-only runs never load it; the ONNX session itself
 * is created on the first scan that needs it.
 */
export async function loadL2(engine: Engine, threads?: number): Promise<L2Runtime | null> {
  const meta = MODEL_PATH.replace(/\.onnx$/, '.json');
  if (!existsSync(MODEL_PATH) || !existsSync(meta)) return null;
  const ort = (await import('onnxruntime-web')) as unknown as OrtLike;
  return createL2({ ort, engine, model: readFileSync(MODEL_PATH), metadata: JSON.parse(readFileSync(meta, 'utf8')), threads });
}

export async function loadScanner(userDirs: string[], opts: { builtin?: boolean; l2?: boolean } = {}): Promise<{ scanner: Scanner; packs: LoadedPack[]; l2: L2Runtime | null }> {
  const { packs, errors } = readPacks(userDirs, opts);
  if (errors.length > 0) throw new CliError(`cannot load rules:\n${errors.map(formatLoadError).join('\n')}`, 2);
  const engine = await loadEngine(readWasm());
  const l2 = opts.l2 === false ? null : await loadL2(engine, process.env.RAXE_L2_THREADS ? Number(process.env.RAXE_L2_THREADS) : undefined);
  try {
    // the precompiled matcher covers exactly the built-in pack, so only use it alone
    const precompiled = userDirs.length === 0 && opts.builtin !== false ? builtinPrecompiled() : undefined;
    const scanner = await createScanner({ engine, rules: packs.flatMap((p) => p.rules), precompiled, l2 });
    return { scanner, packs, l2 };
  } catch (e) {
    if (e instanceof RuleLoadError) throw new CliError(`cannot load rules:\n${e.errors.map(formatLoadError).join('\n')}`, 2);
    throw e;
  }
}
