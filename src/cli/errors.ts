/** An error the CLI reports as one line on stderr, with its exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/** cac gives a string for one use of an option and an array for several. */
export function many(v: unknown): string[] {
  if (v === undefined || v === null || v === false) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** Stands for a "-" argument (standard input); see main.ts. */
export const STDIN = '\u0000stdin';
