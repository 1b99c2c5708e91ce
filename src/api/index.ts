/**
 * `import { createScanner } from 'raxe'` in browsers, workers and any other
 * runtime without a file system (package.json's "default" condition; Node,
 * Deno and Bun get node.ts, with the same exports). The package's files —
 * engine, built-in pack, model — are fetched relative to this module, so a
 * bundler or static host must serve the package's build/, dist/ and models/
 * beside it. Web APIs only (test/api/purity.test.ts).
 *
 * @example
 *   const scanner = await createScanner();          // built-in rules, L2 on
 *   const r = await scanner.scan('Ignore all previous instructions');
 *   r.safe;                                         // false
 *   r.detections.map((d) => d.rule_id);             // ['pi-001', ...]
 */
import type { LoadedPack, Scanner } from '../core/index.js';
import { fetchAssets } from './assets.js';
import { buildScanner, type CreateScannerOptions } from './scanner.js';

export * from './surface.js';

const assets = fetchAssets(new URL('../', import.meta.url));

/**
 * A scanner with the built-in rules and L2 (`{ l2: false }`: rules only;
 * `{ rules: [pack] }` adds packs from parseRulePack). Throws RuleLoadError
 * for bad rules, AssetMissingError when a package file cannot be fetched.
 */
export async function createScanner(options?: CreateScannerOptions): Promise<Scanner> {
  return (await buildScanner(assets, options)).scanner;
}

/** Reading rule folders needs a file system: always throws here (use parseRulePack). */
export async function readRulePack(path: string): Promise<LoadedPack> {
  throw new Error(`cannot read the rule folder "${path}" here: folders are read on Node, Deno and Bun; elsewhere use parseRulePack`);
}
