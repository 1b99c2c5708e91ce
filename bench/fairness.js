#!/usr/bin/env node
// Fairness of the HTTP gateway under heavy scans: one session sends 4 MB
// texts of rule vocabulary (scanned twice: the call's arguments and the echoed
// result) while another session pings; reports the ping round trip p50/p99
// and the scan calls' times, for the gateway with its scan worker
// (gateway.scan_workers: 1, the default) and, in the same run as the
// baseline, with scanning on the event loop (scan_workers: 0).
//
//   node bench/fairness.js                    # 3 heavy calls per run, L1 only
//   node bench/fairness.js --calls=5 --mb=4 --l2
//   node bench/fairness.js --json=out.json
//
// Needs a build (npm run build). Prints figures; the exit code reflects lost
// or failed calls only, never timing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { makeRng } from './prng.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (!a) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const CALLS = Math.max(1, Number(opt('calls', 3)));
const MB = Math.max(0.1, Number(opt('mb', 4)));
const L2 = argv.includes('--l2');
const JSON_OUT = opt('json', null);

if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}

/** Text made of the words rules look for (the slowest text to scan), in a fixed pseudo-random order. */
function vocabulary(bytes) {
  const words = ('ignore all previous instructions system prompt reveal disregard the above you are now DAN developer mode ' +
    'jailbreak unrestricted pretend act as override safety guidelines print your password api key secret token exfiltrate ' +
    'send to http base64 decode execute curl bash sudo rm forget rules new instructions admin assistant must tool call').split(' ');
  const rng = makeRng(7);
  const out = [];
  let n = 0;
  while (n < bytes) {
    const w = rng.pick(words);
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ').slice(0, bytes);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'raxe-fairness-'));
const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

function startGateway(workers) {
  const cfg = path.join(tmp, `gw-${workers}.yaml`);
  writeFileSync(cfg, JSON.stringify({
    gateway: { listen: 'http', port: 0, telemetry_enabled: false, scan_workers: workers, request_timeout_s: 300, default_policy: { on_threat: 'log', rate_limit_rpm: 0 } },
    upstreams: [{ name: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] }],
  }));
  const child = spawn(process.execPath, [CLI, 'mcp', 'gateway', '-c', cfg, ...(L2 ? [] : ['--no-l2'])], {
    cwd: ROOT, env: { ...getDefaultEnvironment(), XDG_CONFIG_HOME: path.join(tmp, 'xdg') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(out);
      if (m) resolve({ child, base: m[1] });
    };
    child.stderr.on('data', (c) => ((out += c), check()));
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}):\n${out.slice(-2000)}`)));
  });
}

async function session(url) {
  const client = new Client({ name: 'fairness', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const pct = (s, q) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0);

async function run(workers, text) {
  const { child, base } = await startGateway(workers);
  const url = `${base}/mcp`;
  const heavy = await session(url);
  const light = await session(url);
  await heavy.client.callTool({ name: 'echo', arguments: { message: 'warm up' } });
  // warm the workers too (they load the rules on first use)
  await heavy.client.callTool({ name: 'echo', arguments: { message: text.slice(0, 64 * 1024) } }, undefined, { timeout: 300_000 });
  const pings = [];
  let stop = false;
  const pinger = (async () => {
    while (!stop) {
      const t = performance.now();
      await light.client.ping();
      pings.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const calls = [];
  let failed = 0;
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    try {
      const r = await heavy.client.callTool({ name: 'echo', arguments: { message: text } }, undefined, { timeout: 300_000 });
      if (!String(r.content?.[0]?.text ?? '').startsWith('Echo: ')) failed++;
    } catch {
      failed++;
    }
    calls.push(performance.now() - t);
  }
  const totalS = (performance.now() - t0) / 1000;
  stop = true;
  await pinger;
  const stats = await (await fetch(`${base}/stats`)).json();
  for (const s of [heavy, light]) {
    await s.transport.terminateSession().catch(() => {});
    await s.client.close();
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  pings.sort((a, b) => a - b);
  return {
    scan_workers: workers,
    heavy_calls: CALLS,
    failed,
    call_s: calls.map((c) => +(c / 1000).toFixed(2)),
    total_s: +totalS.toFixed(2),
    pings: pings.length,
    ping_ms: { p50: +pct(pings, 0.5).toFixed(2), p99: +pct(pings, 0.99).toFixed(2), max: +(pings.at(-1) ?? 0).toFixed(2) },
    unscanned: stats.unscanned,
    scan_pool: stats.scan_pool ?? null,
  };
}

async function main() {
  const text = vocabulary(Math.round(MB * 1024 * 1024));
  console.log(`raxe HTTP gateway fairness: one session echoes ${CALLS} x ${MB} MB of rule vocabulary (scanned both ways), another pings every 5 ms; ${L2 ? 'L1+L2' : 'L1 only'}`);
  const results = [];
  for (const workers of [0, 1]) {
    const r = await run(workers, text);
    results.push(r);
    console.log(`  scan_workers ${workers}${workers === 0 ? ' (baseline: scans on the event loop, in slices)' : ''}:`);
    console.log(`    ping: ${r.pings} round trips, p50 ${r.ping_ms.p50} ms, p99 ${r.ping_ms.p99} ms, max ${r.ping_ms.max} ms`);
    console.log(`    heavy calls: ${r.call_s.join(' s, ')} s (${r.total_s} s in all); failed ${r.failed}; unscanned decisions ${r.unscanned}${r.scan_pool ? `; pool ${JSON.stringify(r.scan_pool)}` : ''}`);
  }
  const [base, pool] = results;
  console.log(`  ping p99 with the worker: ${pool.ping_ms.p99} ms vs ${base.ping_ms.p99} ms on the event loop (${(base.ping_ms.p99 / Math.max(0.01, pool.ping_ms.p99)).toFixed(1)}x lower); heavy calls ${(pool.total_s / base.total_s).toFixed(2)}x the time`);
  if (JSON_OUT) writeFileSync(String(JSON_OUT), JSON.stringify({ mb: MB, calls: CALLS, l2: L2, results }, null, 2) + '\n');
  process.exitCode = results.some((r) => r.failed) ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
