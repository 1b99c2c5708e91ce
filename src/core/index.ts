/**
 * raxe core: everything that does not depend on a runtime. Web APIs only —
 * no node:*, Deno or Bun. Callers hand in every byte it needs (engine wasm,
 * rule files, model).
 */
export { loadEngine, Engine, Matcher, Flag, EngineCompileError } from './engine/index.js';
export type { PatternMatch, PatternSpec, PatternError, CompileErrorCode } from './engine/index.js';
