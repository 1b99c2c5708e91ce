import type { CompileErrorCode } from './types.js';

/** Messages for the engine's error_detail() ids (assembly/errors.ts). */
const DETAIL: Record<number, string> = {
  1: 'bad escape',
  2: 'incomplete escape (\\x takes 2 hex digits, \\u 4, \\U 8)',
  3: 'unterminated character set: add the closing ]',
  4: 'bad character range (the end is before the start, or a class like \\d is used as an end)',
  5: 'nothing to repeat: a quantifier must follow something that consumes text',
  6: 'multiple repeat: a quantifier cannot follow another (wrap the first in (?:...))',
  7: 'min repeat greater than max repeat',
  8: 'unbalanced parenthesis: a ) has no matching (',
  9: 'missing ), unterminated subpattern',
  10: 'unknown extension after (?',
  11: 'bad group name',
  12: 'redefinition of group name',
  13: 'global flags not at the start of the expression: move (?i) etc. to the very start, or use a scoped group (?i:...)',
  14: 'bad inline flags',
  15: 'invalid group reference',
  16: 'octal escape value outside of range 0-0o377',
  17: 'unexpected end of pattern',
  18: 'code point out of range',
  19: 'the repetition number is too large',
  20: 'pattern is not valid UTF-8',
  21: 'missing ), unterminated comment',
  22: 'look-behind requires fixed-width pattern',
  23: 'missing or unknown group name in conditional',
  100: 'backreferences are not supported (they need backtracking); match the text without referring back',
  101: 'lookahead assertions (?=...) and (?!...) are not supported (they need backtracking)',
  102: 'lookbehind assertions (?<=...) and (?<!...) are not supported (they need backtracking)',
  103: 'atomic groups (?>...) are not supported',
  104: 'possessive quantifiers (*+, ++, ?+, {m,n}+) are not supported; use the plain greedy form',
  105: 'conditional groups (?(id)yes|no) are not supported',
  106: 'named character escapes \\N{...} are not supported; use \\uXXXX',
  107: 'the ASCII flag (?a) is not supported',
  108: "bad inline flags: cannot use 'L' flag with a str pattern",
  109: 'the pattern can match the empty string, so it would flag every input: require at least one character (e.g. a+ instead of a*, drop an empty alternative)',
  200: 'pattern compiles to more than 4,096 instructions, the bound on its worst-case work per byte (reduce counted repetitions: x{2,300} is 300 copies of x; nested ones multiply)',
  201: 'the pattern set exceeds 1,000,000 instructions in total',
  202: 'counted repetition above 1,000 (the limit RE2 also sets): use + or * instead of large bounds',
};

const CODES: Record<number, CompileErrorCode> = { 1: 'syntax', 2: 'unsupported', 3: 'too_large' };

/** One refused pattern. `position` is a code point index into the pattern. */
export interface PatternError {
  index: number;
  code: CompileErrorCode;
  position: number;
  message: string;
}

export function describe(index: number, source: string, cls: number, detail: number, position: number): PatternError {
  const code = CODES[cls] ?? 'syntax';
  const what = DETAIL[detail] ?? `error ${detail}`;
  const message = detail === 200 || detail === 201 ? what : `${what} at position ${position}`;
  return { index, code, position, message };
}

/** Thrown by `compile` with every refused pattern, not only the first. */
export class EngineCompileError extends Error {
  readonly errors: PatternError[];
  constructor(errors: PatternError[]) {
    super(errors.map((e) => `pattern ${e.index}: ${e.message}`).join('\n'));
    this.name = 'EngineCompileError';
    this.errors = errors;
  }
}
