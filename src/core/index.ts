/**
 * raxe core: everything that does not depend on a runtime. Web APIs only —
 * no node:*, Deno or Bun. Callers hand in every byte it needs (engine wasm,
 * rule files, model).
 */
export { loadEngine, Engine, Matcher, Featurizer, TextTools, DecodeKind, Flag, EngineCompileError } from './engine/index.js';
export type { PatternMatch, PatternSpec, PatternError, CompileErrorCode, Features, MatcherStats, CompileOptions, PatternCost, DecodeHints } from './engine/index.js';
export {
  RuleSchema, BuiltinRuleSchema, PackManifestSchema, SEVERITIES, meetsThreshold, severityRank, flagsValue,
} from './rules/schema.js';
export type { Rule, Severity, PackManifest } from './rules/schema.js';
export { loadPack, checkDuplicates, formatLoadError, RuleLoadError } from './rules/load.js';
export type { SourceFile, LoadError, LoadedRule, LoadedPack } from './rules/load.js';
export { normalizeText, hasInvisible } from './normalize/normalize.js';
export { decodeLayers, DEFAULT_DECODE_LIMITS } from './normalize/decode.js';
export type { Decoded, DecodeLimits } from './normalize/decode.js';
export { createScanner, compileRules } from './scan/scanner.js';
export type { Scanner, ScannerOptions } from './scan/scanner.js';
export type { Detection, Explanation, ScanResult, ScanOptions, L2Classifier, PartialReason } from './scan/types.js';
export { FAMILY_NAMES, familyName } from './scan/families.js';
export { runExamples, runExamplesRaw } from './rules/examples.js';
export { patternCosts, formatCost } from './rules/cost.js';
export type { RulePatternCost } from './rules/cost.js';
export type { ExampleReport, ExampleFailure } from './rules/examples.js';
export { formatScanText } from './report/text.js';
export { createL2, severityFor } from './l2/classifier.js';
export type { L2Options, L2Runtime, L2Prediction, OrtLike } from './l2/classifier.js';
export { ModelMetadataSchema, forward } from './l2/model.js';
export type { ModelMetadata, LinearModel } from './l2/model.js';
