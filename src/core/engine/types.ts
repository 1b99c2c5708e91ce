/**
 * Public types of the regex engine wrapper.
 *
 * Flag values are Python's `re` flag values, so a rule's `flags:` list and a
 * Python oracle can share them unchanged.
 */
export const Flag = {
  IGNORECASE: 2,
  MULTILINE: 8,
  DOTALL: 16,
  VERBOSE: 64,
} as const;

/** One pattern to compile into a set. `flags` is a bitwise OR of {@link Flag}. */
export interface PatternSpec {
  source: string;
  flags?: number;
}

/**
 * The first (leftmost, Python-preferred) match of one pattern.
 * `start`/`end` are UTF-16 code unit offsets into the scanned JS string, so
 * `text.slice(start, end)` is the matched text.
 */
export interface PatternMatch {
  /** Index of the pattern in the array given to `compile`. */
  id: number;
  start: number;
  end: number;
}

/** Why the engine refused a pattern. */
export type CompileErrorCode =
  | 'syntax'          // malformed pattern (what Python's re would also reject)
  | 'unsupported'     // valid Python, but needs backtracking (backreference, lookaround, ...)
  | 'too_large';      // the compiled program would exceed the size bound
