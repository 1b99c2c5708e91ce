/**
 * The regex engine: Python-`re`-compatible patterns compiled into one
 * linear-time multi-pattern matcher in WebAssembly (see assembly/index.ts for
 * the ABI). Web APIs only: the caller supplies the wasm bytes.
 *
 * @example
 *   const engine = await loadEngine(wasmBytes);
 *   const m = engine.compile([{ source: '\\bignore\\s+previous', flags: Flag.IGNORECASE }]);
 *   m.scan('Please IGNORE previous instructions'); // [{ id: 0, start: 7, end: 22 }]
 */
import { EngineCompileError, describe, type PatternError } from './errors.js';
import type { PatternMatch, PatternSpec } from './types.js';

export { Flag } from './types.js';
export type { PatternMatch, PatternSpec, CompileErrorCode } from './types.js';
export { EngineCompileError } from './errors.js';
export type { PatternError } from './errors.js';

/** Copies bytes into the instance's input buffer (input_ptr first: it may grow memory). */
function writeInput(abi: Abi, bytes: Uint8Array): void {
  const ptr = abi.input_ptr(bytes.length);
  new Uint8Array(abi.memory.buffer, ptr, bytes.length).set(bytes);
}

interface Abi {
  memory: WebAssembly.Memory;
  input_ptr(len: number): number;
  add_pattern(len: number, flags: number): number;
  error_detail(): number;
  error_pos(): number;
  finish(): void;
  scan(len: number): number;
  results_ptr(): number;
  work_done(): number;
  pattern_count(): number;
  prefiltered_count(): number;
  featurize(len: number, dim: number): number;
  featurize_at(off: number, len: number, dim: number, mode: number): number;
  features_lexicon(len: number): number;
  features_idx_ptr(): number;
  features_val_ptr(): number;
  features_version(): number;
  serialize_set(): number;
  serialized_ptr(): number;
  load_set(len: number): number;
}

/** FNV-1a over the engine's wasm bytes: pairs a serialised matcher with the build that wrote it. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

const encoder = new TextEncoder();

/** A compiled pattern set. Not safe for concurrent use (it owns one scratch buffer). */
export class Matcher {
  readonly #abi: Abi;
  readonly #engineId: number;
  readonly size: number;

  constructor(abi: Abi, engineId: number, size?: number) {
    this.#abi = abi;
    this.#engineId = engineId;
    this.size = size ?? abi.pattern_count();
  }

  /**
   * The compiled set as bytes, for `Engine.load` by the same engine build
   * (compile ahead of time, load at start-up without compiling).
   */
  serialize(): Uint8Array {
    const abi = this.#abi;
    const n = abi.serialize_set();
    const out = new Uint8Array(8 + n);
    const head = new DataView(out.buffer);
    head.setUint32(0, this.#engineId, true);
    head.setUint32(4, this.size, true);
    out.set(new Uint8Array(abi.memory.buffer, abi.serialized_ptr(), n), 8);
    return out;
  }

  /**
   * Every pattern that matches anywhere in `text`, ascending by id, each with
   * its first match span (Python's `re.search(...).span()`, in UTF-16 units).
   */
  scan(text: string): PatternMatch[] {
    const abi = this.#abi;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit
    const cap = text.length * 3;
    const ptr = abi.input_ptr(cap);
    const { written } = encoder.encodeInto(text, new Uint8Array(abi.memory.buffer, ptr, cap));
    const n = abi.scan(written);
    if (n === 0) return [];
    const res = new Uint32Array(abi.memory.buffer, abi.results_ptr(), n * 3);
    const out: PatternMatch[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = { id: res[i * 3], start: res[i * 3 + 1], end: res[i * 3 + 2] };
    return out;
  }

  /** Ids of the matching patterns only (cheaper than spans for callers that do not need them). */
  test(text: string): number[] {
    return this.scan(text).map((m) => m.id);
  }

  /** The work counter of the last scan: automaton steps plus VM thread steps. Linear in the input. */
  lastWork(): number {
    return this.#abi.work_done();
  }

  /** How many patterns have a literal prefilter (the rest run on every scan). */
  prefilteredCount(): number {
    return this.#abi.prefiltered_count();
  }
}

/** Sparse features of one text: bucket indices and L2-normalised values. */
export interface Features {
  indices: Int32Array;
  values: Float32Array;
}

/** Text -> sparse features for the L2 model. Not safe for concurrent use. */
export class Featurizer {
  readonly #abi: Abi;
  readonly dim: number;
  readonly version: number;

  /** Feature families (assembly/features/hashing.ts F_* flags) used by featurizeWindows. */
  readonly mode: number;

  constructor(abi: Abi, dim: number, mode = 7) {
    this.#abi = abi;
    this.dim = dim;
    this.mode = mode;
    this.version = abi.features_version();
  }

  /** Features of `text` (already normalised by the caller); copies out of wasm memory. */
  featurize(text: string): Features {
    const abi = this.#abi;
    const cap = text.length * 3;
    const ptr = abi.input_ptr(cap);
    const { written } = encoder.encodeInto(text, new Uint8Array(abi.memory.buffer, ptr, cap));
    return this.#copy(abi.featurize_at(0, written, this.dim, this.mode));
  }

  /**
   * Features of each window of `text` (already normalised by the caller).
   * `plan(bytes, len)` returns flattened [start, end) byte ranges of the
   * text's UTF-8 form (see src/core/l2/windows.ts); the text is written to
   * wasm memory once.
   */
  featurizeWindows(text: string, plan: (bytes: Uint8Array, len: number) => number[]): Features[] {
    const abi = this.#abi;
    const cap = text.length * 3;
    const ptr = abi.input_ptr(cap);
    const { written } = encoder.encodeInto(text, new Uint8Array(abi.memory.buffer, ptr, cap));
    const spans = plan(new Uint8Array(abi.memory.buffer, ptr, written), written);
    const out: Features[] = [];
    for (let i = 0; i < spans.length; i += 2) out.push(this.#copy(abi.featurize_at(spans[i], spans[i + 1] - spans[i], this.dim, this.mode)));
    return out;
  }

  #copy(n: number): Features {
    const abi = this.#abi;
    return {
      indices: new Int32Array(abi.memory.buffer, abi.features_idx_ptr(), n).slice(),
      values: new Float32Array(abi.memory.buffer, abi.features_val_ptr(), n).slice(),
    };
  }
}

/** A loaded engine module: compiles pattern sets. */
export class Engine {
  readonly #module: WebAssembly.Module;
  /** Hash of the wasm bytes (0 when built from a Module: then `load` always declines). */
  readonly id: number;

  constructor(module: WebAssembly.Module, id = 0) {
    this.#module = module;
    this.id = id;
  }

  /**
   * A matcher from `Matcher.serialize()` bytes, or null when they were written
   * by another engine build or are damaged (compile the patterns instead).
   */
  load(data: Uint8Array): Matcher | null {
    if (this.id === 0 || data.length < 8) return null;
    const head = new DataView(data.buffer, data.byteOffset, 8);
    if (head.getUint32(0, true) !== this.id) return null;
    const size = head.getUint32(4, true);
    const abi = this.#instance();
    const body = data.subarray(8);
    writeInput(abi, body);
    if (abi.load_set(body.length) !== 1 || abi.pattern_count() !== size) return null;
    return new Matcher(abi, this.id, size);
  }

  #instance(): Abi {
    return new WebAssembly.Instance(this.#module, { env: { abort: engineAbort } }).exports as unknown as Abi;
  }

  /**
   * Compiles every pattern into one matcher. Throws EngineCompileError listing
   * every refused pattern (index, code, position, message).
   */
  compile(patterns: readonly PatternSpec[]): Matcher {
    const abi = this.#instance();
    const errors: PatternError[] = [];
    for (let i = 0; i < patterns.length; i++) {
      const { source, flags = 0 } = patterns[i];
      const bytes = encoder.encode(source);
      writeInput(abi, bytes);
      // a refused pattern adds nothing to the set, so the others keep compiling
      // and every error is collected
      const rc = abi.add_pattern(bytes.length, flags);
      if (rc !== 0) errors.push(describe(i, source, rc, abi.error_detail(), abi.error_pos()));
    }
    if (errors.length > 0) throw new EngineCompileError(errors);
    abi.finish();
    return new Matcher(abi, this.id);
  }

  /**
   * The L2 featuriser (its own instance: hashed word and character n-grams,
   * see assembly/features/hashing.ts). Deterministic on every runtime.
   * `mode` picks the feature families; `lexicon` (src/core/l2/lexicon.ts,
   * encoded) is needed for concept features.
   */
  featurizer(dim: number, mode?: number, lexicon?: Uint8Array): Featurizer {
    if (!Number.isInteger(Math.log2(dim))) throw new Error(`feature dim must be a power of two (got ${dim})`);
    const abi = this.#instance();
    if (lexicon) {
      writeInput(abi, lexicon);
      if (abi.features_lexicon(lexicon.length) < 0) throw new Error('the L2 lexicon is malformed or too large');
    }
    return new Featurizer(abi, dim, mode);
  }

  /** Checks one pattern; returns its error or null. */
  check(p: PatternSpec): PatternError | null {
    const abi = this.#instance();
    const bytes = encoder.encode(p.source);
    writeInput(abi, bytes);
    const rc = abi.add_pattern(bytes.length, p.flags ?? 0);
    return rc === 0 ? null : describe(0, p.source, rc, abi.error_detail(), abi.error_pos());
  }
}

function engineAbort(): never {
  throw new Error('raxe engine: internal error (wasm abort)');
}

/** Compiles the engine's wasm bytes. Call once per process and reuse the Engine. */
export async function loadEngine(wasm: BufferSource | WebAssembly.Module): Promise<Engine> {
  if (wasm instanceof WebAssembly.Module) return new Engine(wasm);
  const bytes = wasm instanceof Uint8Array ? wasm : new Uint8Array(ArrayBuffer.isView(wasm) ? wasm.buffer : wasm);
  return new Engine(await WebAssembly.compile(bytes), fnv1a(bytes));
}
