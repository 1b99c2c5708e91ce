// Loaded before every test file (vitest.config.ts setupFiles): matchers the
// subprocess tests share.
import { expect } from 'vitest';

/** What a finished child process left: spawn's close (code) or spawnSync's result (status). */
export interface Exited {
  code?: number | null;
  status?: number | null;
  signal?: string | null;
  stdout?: string | Buffer | null;
  stderr?: string | Buffer | null;
}

const tail = (s: string | Buffer | null | undefined, n = 4000) => {
  const t = String(s ?? '');
  return t.length > n ? `…${t.slice(-n)}` : t || '(empty)';
};

expect.extend({
  /**
   * `expect(run).toExitWith(1)`: the exit code, and on failure the child's
   * stderr and stdout (or the signal that killed it), so a red test says why.
   */
  toExitWith(received: Exited, expected: number) {
    const code = received.status !== undefined ? received.status : received.code;
    const how = code === null || code === undefined ? `was killed${received.signal ? ` by ${received.signal}` : ''} (no exit code)` : `exited with ${code}`;
    return {
      pass: code === expected,
      message: () =>
        `expected the process ${this.isNot ? 'not ' : ''}to exit with ${expected}; it ${how}\n--- its stderr ---\n${tail(received.stderr)}\n--- its stdout ---\n${tail(received.stdout)}`,
    };
  },
});

declare module 'vitest' {
  interface Assertion<T> {
    toExitWith(code: number): T;
  }
  interface AsymmetricMatchersContaining {
    toExitWith(code: number): unknown;
  }
}
