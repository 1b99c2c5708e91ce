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
export {
  buildLayers, DEFAULT_LAYER_LIMITS, normalizeText, hasInvisible, removeIgnorable, decodeLayers, decodeBudget, DEFAULT_DECODE_LIMITS,
  skeletonLayer, collapsedLayer, jsonLayer, wordLayers, snapWord, editDistance, rot13, reverse, sparseLayer, isDefaultIgnorable,
} from './normalize/index.js';
export type { Decoded, DecodeLimits, Layer, LayerLimits, Layers } from './normalize/index.js';
export { createScanner, compileRules } from './scan/scanner.js';
export type { Scanner, ScannerOptions } from './scan/scanner.js';
export type { Detection, Explanation, ScanResult, ScanOptions, L2Classifier, PartialReason } from './scan/types.js';
export { FAMILY_NAMES, familyName } from './scan/families.js';
export { runExamples, runExamplesRaw } from './rules/examples.js';
export { patternCosts, formatCost } from './rules/cost.js';
export type { RulePatternCost } from './rules/cost.js';
export type { ExampleReport, ExampleFailure } from './rules/examples.js';
export { formatScanText } from './report/text.js';
export { createL2, packFeatures, MAX_BATCH } from './l2/classifier.js';
export type { L2Options, L2Runtime, L2Prediction, OrtLike } from './l2/classifier.js';
export { ModelMetadataSchema } from './l2/model.js';
export type { ModelMetadata } from './l2/model.js';
export { planWindows, WINDOW_BYTES, STRIDE_BYTES, DENSE_LIMIT_BYTES } from './l2/windows.js';
