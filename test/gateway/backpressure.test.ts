// stdout backpressure in the stdio gateway: an upstream flooding log
// notifications while the host does not read stdout is not read either (it
// blocks on its own pipe), so the gateway's memory stays flat; once the host
// reads again, every notification arrives, in order, then the result.
// (Linux: the peak RSS is read from /proc.)
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, FIXTURES, gatewayEnv, INIT, NODE, removeTemps, ROOT, tempDir } from './helpers.js';

afterAll(() => removeTemps());

/** Peak resident memory of a process so far, in MB. */
const peakMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe.runIf(process.platform === 'linux')('stdout backpressure (stdio gateway)', () => {
  it('a flood the host does not read stays in the upstream\'s pipe, and all of it arrives once the host reads', async () => {
    const count = 1000;
    const kb = 64; // 64 MB in all
    const proc = spawn(NODE, [BIN, 'mcp', 'gateway', '-v', '--no-l2', '-u', `${NODE} ${join(FIXTURES, 'abusive.mjs')}`], { cwd: ROOT, env: gatewayEnv(tempDir()), stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      let err = '';
      proc.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      let out = '';
      const onData = (c: Buffer) => (out += c.toString('utf8'));
      proc.stdout.on('data', onData);
      const waitFor = (f: () => boolean) => new Promise<void>((resolve) => {
        const t = setInterval(() => f() && (clearInterval(t), resolve()), 20);
      });
      proc.stdin.write(JSON.stringify(INIT) + '\n');
      await waitFor(() => out.includes('"id":"init"'));
      proc.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
      proc.stdin.write('{"jsonrpc":"2.0","id":"tools","method":"tools/list"}\n');
      await waitFor(() => out.includes('"id":"tools"'));
      // a long text first: the scan worker starts (and loads its rules) before the measure begins
      proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 'warm', method: 'tools/call', params: { name: 'ok', arguments: { text: 'y'.repeat(40_000) } } }) + '\n');
      await waitFor(() => out.includes('"id":"warm"'));
      const before = peakMb(proc.pid!);
      // the host stops reading, then asks for the flood
      proc.stdout.off('data', onData);
      proc.stdout.pause();
      proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 'flood', method: 'tools/call', params: { name: 'flood', arguments: { count, kb } } }) + '\n');
      // the upstream either finds its pipe full for good (backpressure) or gets everything out (none)
      await waitFor(() => /flood: blocked at \d+/.test(err.slice(err.lastIndexOf('flood:'))) || err.includes('flood: done'));
      const stalled = peakMb(proc.pid!);
      // the host reads again: everything arrives, in order, then the result
      proc.stdout.on('data', onData);
      proc.stdout.resume();
      await waitFor(() => out.includes('"id":"flood"'));
      const seen = [...out.matchAll(/"data":"(\d+) x/g)].map((m) => Number(m[1]));
      expect(seen).toEqual([...Array(count).keys()]);
      expect(out.indexOf('"id":"flood"')).toBeGreaterThan(out.lastIndexOf('notifications/message'));
      // memory: nowhere near the 64 MB the flood carried, while stalled or after
      expect(stalled - before, `peak RSS ${before.toFixed(0)} -> ${stalled.toFixed(0)} MB while the host did not read`).toBeLessThan(32);
      expect(peakMb(proc.pid!) - before).toBeLessThan(48);
    } finally {
      proc.kill();
    }
  });
});
