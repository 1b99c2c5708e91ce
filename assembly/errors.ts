// Error codes and construct ids returned across the ABI.
// Messages live on the TypeScript side (src/core/engine/errors.ts) so the
// binary stays small; keep the two lists in step.

/** Error classes (the ABI's return value of add_pattern). */
export const ERR_NONE: i32 = 0;
export const ERR_SYNTAX: i32 = 1;
export const ERR_UNSUPPORTED: i32 = 2;
export const ERR_TOO_LARGE: i32 = 3;

/** What exactly went wrong (error_detail()). */
export const E_BAD_ESCAPE: i32 = 1;
export const E_INCOMPLETE_ESCAPE: i32 = 2;
export const E_UNTERMINATED_SET: i32 = 3;
export const E_BAD_RANGE: i32 = 4;
export const E_NOTHING_TO_REPEAT: i32 = 5;
export const E_MULTIPLE_REPEAT: i32 = 6;
export const E_MIN_GT_MAX: i32 = 7;
export const E_UNBALANCED_PAREN: i32 = 8;
export const E_MISSING_PAREN: i32 = 9;
export const E_UNKNOWN_EXTENSION: i32 = 10;
export const E_BAD_GROUP_NAME: i32 = 11;
export const E_DUP_GROUP_NAME: i32 = 12;
export const E_GLOBAL_FLAGS_NOT_AT_START: i32 = 13;
export const E_BAD_FLAGS: i32 = 14;
export const E_INVALID_GROUP_REF: i32 = 15;
export const E_OCTAL_RANGE: i32 = 16;
export const E_UNEXPECTED_END: i32 = 17;
export const E_BAD_CODEPOINT: i32 = 18;
export const E_REPEAT_TOO_BIG: i32 = 19;
export const E_BAD_UTF8: i32 = 20;
export const E_MISSING_COMMENT_END: i32 = 21;
export const E_LOOKBEHIND_WIDTH: i32 = 22;
export const E_MISSING_GROUP_NAME: i32 = 23;
// unsupported constructs (need backtracking or are out of scope)
export const U_BACKREF: i32 = 100;
export const U_LOOKAHEAD: i32 = 101;
export const U_LOOKBEHIND: i32 = 102;
export const U_ATOMIC: i32 = 103;
export const U_POSSESSIVE: i32 = 104;
export const U_CONDITIONAL: i32 = 105;
export const U_NAMED_CHAR: i32 = 106;
export const U_ASCII_FLAG: i32 = 107;
export const U_LOCALE_FLAG: i32 = 108;
/** refused by policy (rule packs): the pattern can match the empty string, so it flags every input */
export const U_MATCHES_EMPTY: i32 = 109;
// size
export const S_PROGRAM: i32 = 200;
export const S_SET: i32 = 201;
export const S_REPEAT: i32 = 202;
