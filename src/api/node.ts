/**
 * `import { createScanner } from 'raxe'` on Node, Deno and Bun
 * (package.json's "node" condition): the same exports as index.ts, with the
 * package's files and rule folders read from disk.
 *
 * @example
 *   const scanner = await createScanner({ rules: ['./my-pack'] });
 *   const r = await scanner.scan(text);
 *   if (!r.safe) console.log(r.severity, r.detections.map((d) => d.rule_id));
 */
import type { LoadedPack, Scanner } from '../core/index.js';
import { nodeAssets } from './node-assets.js';
import { buildScanner, type CreateScannerOptions } from './scanner.js';

export * from './surface.js';

/**
 * A scanner with the built-in rules and L2 (`{ l2: false }`: rules only;
 * `{ rules: ['./my-pack', pack] }` adds pack folders, rule files or parsed
 * packs). Throws RuleLoadError for bad rules (every problem, with file and
 * line), AssetMissingError when the package lacks a file.
 */
export async function createScanner(options?: CreateScannerOptions): Promise<Scanner> {
  return (await buildScanner(nodeAssets, options)).scanner;
}

/** Reads a rule pack folder (with pack.yaml) or one rule file; throws RuleLoadError naming every problem. */
export function readRulePack(path: string): Promise<LoadedPack> {
  return nodeAssets.readPack!(path);
}
