/** Builds a scanner from the built-in pack plus --rules folders (and L2 when enabled), or fails with exit 2. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createL2, createScanner, formatLoadError, loadEngine, RuleLoadError, type Engine, type L2Runtime, type LoadedPack, type OrtLike, type Scanner } from '../core/index.js';
import { readPacks, readWasm, builtinPrecompiled, PACKAGE_ROOT } from './fs-packs.js';
import { CliError } from './errors.js';

export const MODEL_PATH = join(PACKAGE_ROOT, 'models', 'raxe-l2.onnx');

/**
 * The L2 classifier, or null when there is no model. onnxruntime-web is
 * imported only here, so L1-only runs never load it. The model is read in
 * the background, in parallel with the import; the ONNX session is created
 * on the first prediction (or by warmL2()). ONNX Runtime compiles its wasm
 * once per process (its backend is global); we let it read that wasm itself
 * (handing it the bytes would keep 14 MB alive for the life of the process).
 */
export async function loadL2(engine: Engine, threads?: number): Promise<L2Runtime | null> {
  const meta = MODEL_PATH.replace(/\.onnx$/, '.json');
  if (!existsSync(MODEL_PATH) || !existsSync(meta)) return null;
  const [ort, model, metadata] = await Promise.all([
    import('onnxruntime-web') as unknown as Promise<OrtLike>,
    readFile(MODEL_PATH),
    readFile(meta, 'utf8'),
  ]);
  const l2 = createL2({ ort, engine, model, metadata: JSON.parse(metadata), threads });
  models.set(l2, model);
  return l2;
}

/** The model bytes each L2 runtime was created from (released once its session exists). */
const models = new WeakMap<L2Runtime, Uint8Array>();

/**
 * Once the session exists ONNX Runtime holds its own copy of the model, and
 * the runtime never creates another session: detaching the file's buffer
 * lets the JS copy (7 MB today) be collected.
 */
function releaseModel(l2: L2Runtime): void {
  const model = models.get(l2);
  models.delete(l2);
  if (!model || l2.sessionMs() === 0) return;
  try {
    structuredClone(model.buffer, { transfer: [model.buffer as ArrayBuffer] });
  } catch {
    // a buffer that cannot be transferred is simply kept
  }
}

/** Starts creating the L2 session now (its errors surface on the first prediction). */
export function warmL2(l2: L2Runtime | null): Promise<void> {
  if (!l2) return Promise.resolve();
  return l2.predict('').then(
    () => releaseModel(l2),
    () => undefined,
  );
}

/**
 * Loads the rule packs, the engine and (unless disabled) L2, overlapping
 * what can overlap: the engine's wasm compiles and L2's files are read in the
 * background while the packs are parsed, and the ONNX session is created
 * while the matcher loads. The scan that needs L2 waits for its session.
 */
export async function loadScanner(userDirs: string[], opts: { builtin?: boolean; l2?: boolean } = {}): Promise<{ scanner: Scanner; packs: LoadedPack[]; l2: L2Runtime | null }> {
  const threads = process.env.RAXE_L2_THREADS ? Number(process.env.RAXE_L2_THREADS) : undefined;
  const enginePromise = loadEngine(readWasm());
  const l2Promise = opts.l2 === false ? Promise.resolve(null) : enginePromise.then((engine) => loadL2(engine, threads));
  // don't leave a rejection unobserved while the packs load (it is awaited below)
  l2Promise.catch(() => undefined);
  const { packs, errors } = readPacks(userDirs, opts);
  if (errors.length > 0) throw new CliError(`cannot load rules:\n${errors.map(formatLoadError).join('\n')}`, 2);
  const engine = await enginePromise;
  const l2 = await l2Promise;
  void warmL2(l2);
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
