/**
 * Where the built-in scanner's files come from. The scanner needs the engine
 * (wasm), the built-in pack (parsed and compiled at build time) and the L2
 * model; the public entries hand `buildScanner` an AssetSource that reads
 * them: from disk on Node, Deno and Bun (node-assets.ts), with `fetch`
 * everywhere else (fetchAssets below). Web APIs only in this file.
 */
import type { LoadedPack } from '../core/index.js';

/** The package's files the scanner reads, relative to the package root. */
export const ASSETS = {
  wasm: 'build/raxe.wasm',
  pack: 'dist/builtin-pack.json',
  matcher: 'dist/builtin-pack.matcher',
  model: 'models/raxe-l2.onnx',
  modelMeta: 'models/raxe-l2.json',
} as const;

/** Reads the package's files for `buildScanner`. */
export interface AssetSource {
  /** Where the files are read from, for error messages. */
  readonly where: string;
  /** The file at `path` (relative to the package root), or null when it is not there. */
  read(path: string): Promise<Uint8Array | null>;
  /**
   * The built-in pack and, when it is the one compiled at build time, its
   * matcher. Optional: without it the pack and matcher are read with `read`.
   */
  builtin?(): Promise<{ pack: LoadedPack; matcher?: Uint8Array }>;
  /**
   * Reads a rule pack folder (with pack.yaml) or a single rule file; throws
   * RuleLoadError naming every problem. Absent where there are no folders to
   * read (browsers, workers): give packs made by `parseRulePack` there.
   */
  readPack?(path: string): Promise<LoadedPack>;
}

/** A file the package should have but has not: a broken install or an unbuilt checkout. */
export class AssetMissingError extends Error {
  readonly code = 'RAXE_ASSET_MISSING';
  constructor(readonly path: string, where: string) {
    super(`${path} is missing from ${where}: reinstall raxe (or run \`npm run build\` in a checkout)`);
    this.name = 'AssetMissingError';
  }
}

/** Reads the package's files with `fetch`, relative to `base` (the package root's URL). */
export function fetchAssets(base: URL, fetchFn: typeof fetch = fetch): AssetSource {
  return {
    where: base.href,
    async read(path) {
      const res = await fetchFn(new URL(path, base));
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`cannot read ${new URL(path, base).href}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}
