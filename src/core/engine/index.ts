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
import { type Abi, writeInput, writeText } from './abi.js';
import { TextTools, readHints, type DecodeHints } from './text.js';

export { TextTools, DecodeKind, MAX_HINT_REGIONS } from './text.js';
export type { DecodeHints } from './text.js';

export { Flag } from './types.js';
export type { PatternMatch, PatternSpec, CompileErrorCode } from './types.js';
export { EngineCompileError } from './errors.js';
export type { PatternError } from './errors.js';


/** FNV-1a over the engine's wasm bytes: pairs a serialised matcher with the build that wrote it. */
const encoder = new TextEncoder();

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}


/**
 * Frees the garbage of the last call when it made the instance's memory grow
 * (the engine's minimal runtime collects only when asked; scans allocate only
 * while their DFA caches grow, so this is rare once they are warm).
 */
function collectIfGrown(abi: Abi, before: number): void {
  if (abi.memory.buffer.byteLength !== before) abi.gc();
}

/** A compiled pattern set. Not safe for concurrent use (it owns one scratch buffer). */
export class Matcher {
  readonly #abi: Abi;
  readonly #engineId: number;
  readonly size: number;
  /** UTF-8 length of the text last scanned (it is still in the input buffer) */
  #last = -1;

  constructor(abi: Abi, engineId: number, size?: number) {
    this.#abi = abi;
    this.#engineId = engineId;
    this.size = size ?? abi.pattern_count();
    abi.gc();
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
   * The spans cost a Pike VM run per matching pattern: use scanIds() when
   * only the ids are needed.
   */
  scan(text: string): PatternMatch[] {
    const abi = this.#abi;
    const before = abi.memory.buffer.byteLength;
    const len = writeText(abi, text);
    this.#last = len;
    const n = abi.scan(len);
    collectIfGrown(abi, before);
    if (n === 0) return [];
    const res = new Uint32Array(abi.memory.buffer, abi.results_ptr(), n * 3);
    const out: PatternMatch[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = { id: res[i * 3], start: res[i * 3 + 1], end: res[i * 3 + 2] };
    return out;
  }

  /**
   * The ids of every pattern that matches anywhere in `text`, ascending --
   * the same answer as scan() without spans, in one pass of the DFA over
   * ordinary text (see assembly/meta/tree.ts).
   */
  scanIds(text: string): number[] {
    const abi = this.#abi;
    const before = abi.memory.buffer.byteLength;
    const len = writeText(abi, text);
    this.#last = len;
    const n = abi.scan_ids(len);
    collectIfGrown(abi, before);
    if (n === 0) return [];
    return Array.from(new Uint32Array(abi.memory.buffer, abi.results_ptr(), n));
  }

  /**
   * Decoding candidates of the text last given to scan() or scanIds(), read
   * from the bytes that scan left in the engine's memory (no re-encoding):
   * with `kinds === 0` no decoder can find anything in it.
   */
  decodeHints(): DecodeHints {
    if (this.#last < 0) throw new Error('decodeHints() needs a scan first');
    return readHints(this.#abi, this.#last);
  }

  /** Ids of the matching patterns only (same as scanIds). */
  test(text: string): number[] {
    return this.scanIds(text);
  }

  /**
   * The cost of pattern `id` (an index given to compile): its worst-case NFA
   * steps per byte, and how its DFA fares on text from its own alphabet (a
   * probe of 32 KB: about a millisecond). For `raxe rules validate`.
   */
  cost(id: number): PatternCost {
    const steps = this.#abi.pattern_cost(id, 0);
    if (steps < 0) throw new RangeError(`no pattern ${id}`);
    const states = this.#abi.pattern_cost(id, 1);
    return { nfaStepsPerByte: steps, dfaStates: states < 0 ? null : states, class: states < 0 ? 'nfa' : 'dfa' };
  }

  /**
   * Diagnostics of the last scan (for benchmarks and tests): DFA nodes run,
   * their give-ups, whole-text Pike VM fallbacks, and the root DFA's states,
   * cache bytes, cache clears and code point classes.
   */
  stats(): MatcherStats {
    const a = this.#abi;
    return {
      nodesRun: a.scan_stat(0),
      giveUps: a.scan_stat(1),
      pikeFallbacks: a.scan_stat(2),
      rootStates: a.scan_stat(3),
      rootCacheBytes: a.scan_stat(4),
      rootClears: a.scan_stat(5),
      rootClasses: a.scan_stat(6),
      memoryBytes: a.memory.buffer.byteLength,
    };
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

/** See Matcher.stats(). */
export interface MatcherStats {
  nodesRun: number;
  giveUps: number;
  pikeFallbacks: number;
  rootStates: number;
  rootCacheBytes: number;
  rootClears: number;
  rootClasses: number;
  /** the instance's whole linear memory */
  memoryBytes: number;
}

/**
 * Compile options. `stateBudgets` shrinks the DFA caches (states of the root
 * DFA and of every fallback DFA): tests use tiny budgets to drive every
 * fallback path; 0 or absent keeps the defaults.
 */
export interface CompileOptions {
  stateBudgets?: { root: number; slice: number };
  /** Refuse patterns that can match the empty string (rule packs do: such a pattern flags every input). */
  refuseEmpty?: boolean;
}

/**
 * What one pattern costs to scan (see assembly/meta/cost.ts). Every pattern
 * is linear; `nfaStepsPerByte` bounds its work per byte when its DFA cannot
 * help, and `dfaStates` is what its DFA needed on text drawn from its own
 * alphabet, or null when it blew up there (then that text runs at NFA speed).
 */
export interface PatternCost {
  nfaStepsPerByte: number;
  dfaStates: number | null;
  /** 'dfa': one table lookup per byte once warm; 'nfa': up to nfaStepsPerByte steps per byte on adversarial text */
  class: 'dfa' | 'nfa';
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
  load(data: Uint8Array, options: CompileOptions = {}): Matcher | null {
    return this.loadFrom(data.length, (into) => into.set(data), options);
  }

  /**
   * Like load(), for a caller that can write the `byteLength` bytes of a
   * serialised matcher straight into the engine's memory (`fill` gets a view
   * of exactly that size; e.g. a file read into it), so they are not copied
   * through an intermediate buffer. Returns null as load() does.
   */
  loadFrom(byteLength: number, fill: (into: Uint8Array) => void, options: CompileOptions = {}): Matcher | null {
    if (this.id === 0 || byteLength < 8) return null;
    const abi = this.#instance(options);
    const ptr = abi.input_ptr(byteLength);
    fill(new Uint8Array(abi.memory.buffer, ptr, byteLength));
    const head = new DataView(abi.memory.buffer, ptr, 8);
    if (head.getUint32(0, true) !== this.id) return null;
    const size = head.getUint32(4, true);
    try {
      // the body is read in place, right after the 8-byte header
      if (abi.load_set_at(ptr + 8, byteLength - 8) !== 1 || abi.pattern_count() !== size) return null;
    } catch {
      return null; // damaged beyond what the checks catch (e.g. nested too deep): compile instead
    }
    return new Matcher(abi, this.id, size);
  }

  #instance(options: CompileOptions = {}): Abi {
    const abi = new WebAssembly.Instance(this.#module, { env: { abort: engineAbort } }).exports as unknown as Abi;
    const b = options.stateBudgets;
    if (b) abi.set_budgets(b.root, b.slice);
    if (options.refuseEmpty) abi.set_policy(1);
    return abi;
  }

  /**
   * Compiles every pattern into one matcher. Throws EngineCompileError listing
   * every refused pattern (index, code, position, message).
   */
  compile(patterns: readonly PatternSpec[], options: CompileOptions = {}): Matcher {
    const abi = this.#instance(options);
    const errors: PatternError[] = [];
    for (let i = 0; i < patterns.length; i++) {
      const { source, flags = 0 } = patterns[i];
      const bytes = encoder.encode(source);
      writeInput(abi, bytes);
      // a refused pattern adds nothing to the set, so the others keep compiling
      // and every error is collected
      const rc = abi.add_pattern(bytes.length, flags);
      if (rc !== 0) errors.push(describe(i, source, rc, abi.error_detail(), abi.error_pos()));
      // parsing leaves garbage the minimal runtime frees only when asked
      if ((i & 31) === 31) abi.gc();
    }
    if (errors.length > 0) throw new EngineCompileError(errors);
    abi.finish();
    return new Matcher(abi, this.id);
  }

  /** Text helpers (decoding hints, ASCII normalisation) in their own instance. */
  textTools(): TextTools {
    return new TextTools(this.#instance());
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
