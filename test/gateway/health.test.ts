// An upstream that fails to start, end to end with the SDK client: the host
// is told (notifications/message), the operator too (stderr, stats), and
// calls that would go to it get -32003 while it is retried, -32002 once it
// is given up — never a silent "connected" with -32602.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, everythingCmd, removeTemps, rpcError, startGateway, statsFromStderr, textOf, until, type Gw } from './helpers.js';

const MISSING = 'raxe-test-no-such-command-1f9c';
let both: Gw; // a missing command next to server-everything
let alone: Gw; // the missing command only

beforeAll(async () => {
  [both, alone] = await Promise.all([
    startGateway({ args: ['-u', MISSING, '-u', everythingCmd(), '--no-l2'] }),
    startGateway({ args: ['-u', MISSING, '--no-l2'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([both?.close(), alone?.close()]);
  removeTemps();
});

describe('an upstream that fails to start', () => {
  it('tells the host with a log message right after initialize, and the operator on stderr', async () => {
    const note = await until(async () => both.logs.find((l) => l.logger === 'raxe' && (l.data as any).upstream === MISSING.replace(/[^A-Za-z0-9_-]/g, '_')), 'the notice to the host', 10_000, 20);
    expect(['warning', 'error']).toContain(note.level);
    expect((note.data as any).message).toMatch(/upstream raxe-test-no-such-command-1f9c (stopped|failed) \(failed to start: cannot start "raxe-test-no-such-command-1f9c": ENOENT\)/);
    expect(both.stderr()).toMatch(/upstream raxe-test-no-such-command-1f9c stopped: failed to start/);
  });

  it('the other upstream works; a call that may be the missing one\'s gets -32003 while it is retried, then -32002', async () => {
    expect(textOf(await call(both, 'echo', { message: 'hi' }))).toBe('Echo: hi');
    const first = await rpcError(call(both, 'no_such_tool'));
    expect([-32003, -32002]).toContain(first.code);
    const codes: number[] = [first.code];
    const last = await until(async () => {
      const e = await rpcError(call(both, 'no_such_tool'));
      codes.push(e.code);
      return e.code === -32002 ? e : undefined;
    }, 'the upstream to be given up (-32002)', 30_000, 250);
    expect(last.message).toMatch(/No upstream: raxe-test-no-such-command-1f9c failed \(failed to start: .*ENOENT.*\) and is not restarted/);
    expect(codes.every((c) => c === -32003 || c === -32002)).toBe(true);
    await until(async () => both.logs.find((l) => l.level === 'error' && /failed .* and is not restarted/.test((l.data as any).message)), 'the give-up notice', 5000, 20);
    // one notice per change of state, not one per retry
    const about = both.logs.filter((l) => l.logger === 'raxe' && (l.data as any).upstream === 'raxe-test-no-such-command-1f9c');
    expect(about.map((l) => l.level)).toEqual(['warning', 'error']);
  });

  it('alone: every list and call answers -32003 or -32002 (never an empty "connected" gateway)', async () => {
    expect([-32003, -32002]).toContain((await rpcError(alone.client.listTools())).code);
    expect([-32003, -32002]).toContain((await rpcError(call(alone, 'anything'))).code);
    await until(async () => (await rpcError(alone.client.listTools())).code === -32002, 'the give-up', 30_000, 250);
  });

  it('shows the upstream\'s state and last error in its stats', async () => {
    const stderr = await both.close();
    both = undefined as never;
    const s = statsFromStderr(stderr);
    expect(s.upstreams['raxe-test-no-such-command-1f9c']).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/ENOENT/) });
    expect(s.upstreams.everything.state).toBe('closed');
  });
});
