/** The engine's wasm exports (assembly/index.ts) and the helpers that write into its memory. */

export interface Abi {
  memory: WebAssembly.Memory;
  input_ptr(len: number): number;
  add_pattern(len: number, flags: number): number;
  error_detail(): number;
  error_pos(): number;
  finish(): void;
  scan(len: number): number;
  scan_ids(len: number): number;
  scan_stat(which: number): number;
  set_budgets(root: number, slice: number): void;
  set_policy(refuseEmpty: number): void;
  pattern_cost(i: number, which: number): number;
  gc(): void;
  results_ptr(): number;
  work_done(): number;
  pattern_count(): number;
  prefiltered_count(): number;
  featurize(len: number, dim: number): number;
  featurize_at(off: number, len: number, dim: number, mode: number): number;
  features_lexicon(len: number): number;
  decode_hints(len: number, max: number): number;
  hints_ptr(): number;
  hints_count(): number;
  collapse_ascii(len: number): number;
  features_idx_ptr(): number;
  features_val_ptr(): number;
  features_version(): number;
  serialize_set(): number;
  serialized_ptr(): number;
  load_set(len: number): number;
  load_set_at(ptr: number, len: number): number;
}

/** Copies bytes into the instance's input buffer (input_ptr first: it may grow memory). */
export function writeInput(abi: Abi, bytes: Uint8Array): void {
  const ptr = abi.input_ptr(bytes.length);
  new Uint8Array(abi.memory.buffer, ptr, bytes.length).set(bytes);
}

const encoder = new TextEncoder();

/** Writes `text` as UTF-8 into the instance's input buffer; returns its byte length. */
export function writeText(abi: Abi, text: string): number {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit
  const cap = text.length * 3;
  const ptr = abi.input_ptr(cap);
  return encoder.encodeInto(text, new Uint8Array(abi.memory.buffer, ptr, cap)).written;
}

