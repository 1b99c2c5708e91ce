/**
 * What both `raxe` entries (index.ts for browsers and workers, node.ts for
 * Node, Deno and Bun) export besides `createScanner` and `readRulePack`,
 * which each entry binds to its own way of reading files. Listed by name:
 * this is the package's public API.
 */
export { parseRulePack } from './scanner.js';
export type { CreateScannerOptions, RulePackSource } from './scanner.js';
export { AssetMissingError } from './assets.js';
export {
  RuleLoadError, formatLoadError, runExamples, formatScanText, meetsThreshold, SEVERITIES, FAMILY_NAMES, familyName,
} from '../core/index.js';
export type {
  Scanner, ScanResult, ScanOptions, Detection, Explanation, PartialReason, Severity, Rule,
  LoadedRule, LoadedPack, LoadError, SourceFile, ExampleReport, ExampleFailure,
} from '../core/index.js';
