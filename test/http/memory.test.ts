/**
 * One scanner and one ONNX session per process, however many sessions: the
 * HTTP gateway with L2 serves nine client sessions (each with its own
 * upstream process) and its resident memory grows by far less than a second
 * ONNX Runtime session alone would take (~100 MB). Linux only (/proc).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { call, connect, counter, killAll, removeTemps, startGateway, until, type Connected } from './helpers.js';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

afterAll(() => {
  killAll();
  removeTemps();
});

describe.skipIf(!existsSync('/proc/self/status'))('HTTP gateway memory', () => {
  it('nine sessions share one scanner and one L2 session', async () => {
    const gw = await startGateway({ config: { gateway: { default_policy: { rate_limit_rpm: 0 }, l2_enabled: true }, upstreams: [counter] }, l2: true });
    await until(() => /L2 model ready/.test(gw.stderr()), 'the L2 session', 90_000);
    const pid = gw.proc.pid!;
    const sessions: Connected[] = [await connect(gw.url)];
    for (let i = 0; i < 20; i++) await call(sessions[0], 'count');
    const one = rssMb(pid);
    for (let s = 1; s < 9; s++) {
      const c = await connect(gw.url);
      sessions.push(c);
      for (let i = 0; i < 20; i++) await call(c, 'count');
    }
    const nine = rssMb(pid);
    console.log(`HTTP gateway with L2: RSS ${one.toFixed(0)} MB with one session, ${nine.toFixed(0)} MB with nine`);
    expect(nine - one, `RSS ${one.toFixed(0)} MB with one session, ${nine.toFixed(0)} MB with nine`).toBeLessThan(48);
    expect(gw.stderr().match(/L2 model ready/g)?.length).toBe(1);
    for (const c of sessions) await c.close();
    await gw.stop();
  }, 180_000);
});
