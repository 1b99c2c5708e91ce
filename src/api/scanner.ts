/**
 * `createScanner(options?)` behind both `raxe` entries: the built-in rules
 * (precompiled at build time), any packs the caller adds, and L2 — each read
 * through the AssetSource the entry provides. Web APIs only.
 */
import {
  checkDuplicates, createL2, createScanner as compileScanner, loadEngine, loadPack, RuleLoadError,
  type Engine, type L2Runtime, type LoadedPack, type LoadError, type OrtLike, type Scanner, type SourceFile,
} from '../core/index.js';
import { ASSETS, AssetMissingError, type AssetSource } from './assets.js';

export interface CreateScannerOptions {
  /**
   * L2, the on-device ML classifier that runs after the rules. Default true
   * (the model ships with the package); false gives rules only.
   */
  l2?: boolean;
  /**
   * Rule packs added to the built-in ones: paths of pack folders or single
   * rule files (Node, Deno and Bun), or packs from `parseRulePack` /
   * `readRulePack`. A rule id defined twice is a RuleLoadError.
   */
  rules?: ReadonlyArray<string | LoadedPack>;
  /** Include the built-in pack (default true). */
  builtin?: boolean;
  /** onnxruntime-web threads for L2 (default 1). */
  l2Threads?: number;
}

/** A pack given as its files' text: rule YAML files and, optionally, its pack.yaml. */
export interface RulePackSource {
  /** The pack's name when there is no manifest (default "custom"). */
  name?: string;
  manifest?: SourceFile;
  files: readonly SourceFile[];
}

/**
 * Parses and validates a pack given as text (any runtime). Throws
 * RuleLoadError listing every problem (file, line, rule id, field).
 *
 * @example
 *   const pack = parseRulePack({ files: [{ path: 'acme-001.yaml', text: yaml }] });
 *   const scanner = await createScanner({ rules: [pack] });
 */
export function parseRulePack(source: RulePackSource): LoadedPack {
  const errors: LoadError[] = [];
  const name = source.name ?? 'custom';
  const manifest = source.manifest ?? { path: 'pack.yaml', text: `name: ${JSON.stringify(name)}\nversion: "0"\n` };
  const pack = loadPack(name, manifest, source.files, errors);
  checkDuplicates([pack], errors);
  if (errors.length) throw new RuleLoadError(errors);
  return pack;
}

async function required(src: AssetSource, path: string): Promise<Uint8Array> {
  const bytes = await src.read(path);
  if (!bytes) throw new AssetMissingError(path, src.where);
  return bytes;
}

async function builtinPack(src: AssetSource): Promise<{ pack: LoadedPack; matcher?: Uint8Array }> {
  if (src.builtin) return src.builtin();
  const [json, matcher] = await Promise.all([required(src, ASSETS.pack), src.read(ASSETS.matcher)]);
  return { pack: JSON.parse(new TextDecoder().decode(json)) as LoadedPack, matcher: matcher ?? undefined };
}

async function loadL2(src: AssetSource, engine: Engine, threads: number | undefined): Promise<L2Runtime> {
  const [model, meta] = await Promise.all([required(src, ASSETS.model), required(src, ASSETS.modelMeta)]);
  // imported only when L2 is on: rules-only scanners never load onnxruntime-web
  const ort = (await import('onnxruntime-web')) as unknown as OrtLike;
  return createL2({ ort, engine, model, metadata: JSON.parse(new TextDecoder().decode(meta)), threads });
}

/** What `buildScanner` made, for callers that need more than the scanner (the CLI's warm-up, rule listings). */
export interface BuiltScanner {
  scanner: Scanner;
  packs: LoadedPack[];
  l2: L2Runtime | null;
}

/**
 * Builds a scanner from `src`: the built-in pack unless `builtin: false`,
 * then `rules` in order, L2 unless `l2: false`. Throws RuleLoadError for bad
 * rules and AssetMissingError for a file the package lacks.
 */
export async function buildScanner(src: AssetSource, o: CreateScannerOptions = {}): Promise<BuiltScanner> {
  const packs: LoadedPack[] = [];
  let matcher: Uint8Array | undefined;
  const [wasm, builtin] = await Promise.all([required(src, ASSETS.wasm), o.builtin === false ? null : builtinPack(src)]);
  if (builtin) {
    packs.push(builtin.pack);
    matcher = builtin.matcher;
  }
  for (const r of o.rules ?? []) {
    if (typeof r !== 'string') packs.push(r);
    else if (src.readPack) packs.push(await src.readPack(r));
    else throw new Error(`cannot read the rule folder "${r}" here: folders are read on Node, Deno and Bun; elsewhere give packs made by parseRulePack`);
  }
  const errors: LoadError[] = [];
  checkDuplicates(packs, errors);
  if (errors.length) throw new RuleLoadError(errors);
  const engine = await loadEngine(wasm);
  const l2 = o.l2 === false ? null : await loadL2(src, engine, o.l2Threads);
  // the precompiled matcher covers exactly the built-in pack: only use it alone
  const precompiled = packs.length === 1 && builtin ? matcher : undefined;
  const scanner = await compileScanner({ engine, rules: packs.flatMap((p) => p.rules), precompiled, l2 });
  return { scanner, packs, l2 };
}
