#!/usr/bin/env node
// Load test of the HTTP gateway (`raxe mcp gateway --listen http`), loopback
// only and bounded: N concurrent client sessions (the official SDK client over
// Streamable HTTP) call server-everything's `echo` through the gateway for a
// fixed time or until a fixed number of calls, whichever comes first.
//
//   node bench/http-load.js                       # 50 sessions, 20 s, at most 50,000 calls
//   node bench/http-load.js --sessions=50 --duration=30 --max-calls=20000
//   node bench/http-load.js --upstream=http       # one server-everything in Streamable HTTP mode behind it
//   node bench/http-load.js --no-l2               # rules only (default: L1+L2 when the model is present)
//   node bench/http-load.js --json=out.json       # also write the figures as JSON
//
// Reports throughput (calls/s), latency percentiles of callTool() round trips,
// the gateway process's RSS sampled every second (and its upstreams' total),
// and checks that no response was lost: every call resolved, with its own
// echo, and the gateway's /stats agrees with the client's count. The exit code
// reflects lost or wrong responses and crashes only, never timing.
// Needs a build (npm run build). Linux (/proc) for the memory figures.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (!a) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const SESSIONS = Math.min(200, Math.max(1, Number(opt('sessions', 50))));
const DURATION_S = Math.min(120, Math.max(1, Number(opt('duration', 20))));
const MAX_CALLS = Math.min(500_000, Math.max(1, Number(opt('max-calls', 50_000))));
const UPSTREAM = String(opt('upstream', 'stdio'));
const L2 = !argv.includes('--no-l2');
const JSON_OUT = opt('json', null);

if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}
if (UPSTREAM !== 'stdio' && UPSTREAM !== 'http') {
  console.error('--upstream must be stdio or http');
  process.exit(2);
}

const children = [];
const tmp = mkdtempSync(path.join(tmpdir(), 'raxe-http-load-'));
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function start(cmd, args, env, ready, what) {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...getDefaultEnvironment(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const m = new Promise((resolve, reject) => {
    const check = () => {
      const x = ready.exec(out);
      if (x) resolve(x);
    };
    child.stdout.on('data', (c) => ((out += c), check()));
    child.stderr.on('data', (c) => ((out += c), check()));
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}):\n${out.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`${what} not ready after 30 s:\n${out.slice(-2000)}`)), 30_000).unref();
  });
  return { child, ready: m, exited, output: () => out };
}

// --------------------------------------------------------------- memory

const kb = (pid, field) => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};
/** CPU seconds (user + system) a process has used so far. */
function cpuS(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return NaN;
  }
}

/** RSS (MiB) of the gateway process and of all its descendants (the upstreams). */
function rss(pid) {
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  let upstreams = 0;
  const walk = (p) => {
    for (const c of kids.get(p) ?? []) {
      upstreams += kb(c, 'VmRSS');
      walk(c);
    }
  };
  walk(pid);
  return { gateway: kb(pid, 'VmRSS') / 1024, upstreams: upstreams / 1024 };
}

// --------------------------------------------------------------- run

const pct = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);

async function main() {
  let upstream;
  let remote = null;
  if (UPSTREAM === 'http') {
    const port = await freePort();
    remote = start(process.execPath, [EVERYTHING, 'streamableHttp'], { PORT: String(port) }, /listening on port/i, 'server-everything (streamableHttp)');
    await remote.ready;
    upstream = { name: 'everything', url: `http://127.0.0.1:${port}/mcp` };
  } else {
    upstream = { name: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] };
  }
  const cfg = path.join(tmp, 'mcp-security.yaml');
  writeFileSync(cfg, JSON.stringify({
    gateway: { listen: 'http', port: 0, session_idle_s: 600, max_sessions_per_client: 200, max_sessions: 200, telemetry_enabled: false, default_policy: { on_threat: 'block', rate_limit_rpm: 0 } },
    upstreams: [upstream],
  })); // JSON is YAML
  const gw = start(process.execPath, [CLI, 'mcp', 'gateway', '-c', cfg, ...(L2 ? [] : ['--no-l2'])], { XDG_CONFIG_HOME: path.join(tmp, 'xdg') }, /listening on (http:\/\/127\.0\.0\.1:\d+)\/mcp/, 'gateway');
  const base = (await gw.ready)[1];
  const url = `${base}/mcp`;
  const pid = gw.child.pid;

  const samples = [];
  const t0 = Date.now();
  const sample = () => samples.push({ t: (Date.now() - t0) / 1000, phase, ...rss(pid) });
  let phase = 'idle';
  sample();
  const sampler = setInterval(sample, 1000);

  // sessions (each starts its own upstream process behind the gateway)
  phase = 'connect';
  const tc = performance.now();
  const clients = await Promise.all(
    Array.from({ length: SESSIONS }, async (_, i) => {
      const client = new Client({ name: `load-${i}`, version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport);
      return { client, transport };
    }),
  );
  const connectMs = performance.now() - tc;
  // warm up: one call per session (list and scan paths, JIT)
  await Promise.all(clients.map(({ client }) => client.callTool({ name: 'echo', arguments: { message: 'warm up' } })));
  const before = await (await fetch(`${base}/stats`)).json();

  phase = 'load';
  const latencies = [];
  const counts = { sent: 0, ok: 0, wrong: 0, errors: 0, timeouts: 0 };
  const errorCodes = {};
  const deadline = Date.now() + DURATION_S * 1000;
  const tl = performance.now();
  const cpu0 = cpuS(pid);
  await Promise.all(
    clients.map(async ({ client }, i) => {
      for (let n = 0; Date.now() < deadline && counts.sent < MAX_CALLS; n++) {
        const message = `session ${i} call ${n}: please summarise the meeting notes`;
        counts.sent++;
        const t = performance.now();
        try {
          const r = await client.callTool({ name: 'echo', arguments: { message } }, undefined, { timeout: 30_000 });
          latencies.push(performance.now() - t);
          if (r.content?.[0]?.text === `Echo: ${message}`) counts.ok++;
          else counts.wrong++;
        } catch (e) {
          if (/timed out/i.test(String(e?.message))) counts.timeouts++;
          else {
            counts.errors++;
            errorCodes[e?.code ?? 'none'] = (errorCodes[e?.code ?? 'none'] ?? 0) + 1;
          }
        }
      }
    }),
  );
  const loadS = (performance.now() - tl) / 1000;
  const cpuLoad = cpuS(pid) - cpu0;
  phase = 'after';
  const after = await (await fetch(`${base}/stats`)).json();
  await Promise.all(clients.map(async ({ client, transport }) => {
    await transport.terminateSession().catch(() => {});
    await client.close();
  }));
  const stopped = Date.now();
  gw.child.kill('SIGTERM');
  const exit = await gw.exited;
  const stopMs = Date.now() - stopped;
  clearInterval(sampler);
  if (remote) remote.child.kill('SIGTERM');

  // --------------------------------------------------------------- report
  latencies.sort((a, b) => a - b);
  const gatewayCalls = after.requests_total - before.requests_total;
  const lost = counts.sent - counts.ok - counts.wrong - counts.errors;
  const load = samples.filter((s) => s.phase === 'load');
  const res = {
    sessions: SESSIONS,
    upstream: UPSTREAM,
    l2: L2,
    duration_s: Number(loadS.toFixed(2)),
    connect_all_ms: Math.round(connectMs),
    calls: counts.sent,
    ok: counts.ok,
    wrong: counts.wrong,
    errors: counts.errors,
    error_codes: errorCodes,
    timeouts: counts.timeouts,
    lost,
    gateway_requests_total: gatewayCalls,
    throughput_calls_per_s: Number((counts.sent / loadS).toFixed(1)),
    gateway_cpu_ms_per_call: Number(((cpuLoad * 1000) / Math.max(1, counts.sent)).toFixed(3)),
    gateway_cpu_share: Number((cpuLoad / loadS).toFixed(2)),
    latency_ms: { p50: +pct(latencies, 0.5).toFixed(2), p90: +pct(latencies, 0.9).toFixed(2), p99: +pct(latencies, 0.99).toFixed(2), max: +(latencies.at(-1) ?? 0).toFixed(2) },
    gateway_rss_mib: {
      idle: +samples[0].gateway.toFixed(1),
      load_min: +Math.min(...load.map((s) => s.gateway)).toFixed(1),
      load_max: +Math.max(...load.map((s) => s.gateway)).toFixed(1),
      load_last: +(load.at(-1)?.gateway ?? 0).toFixed(1),
      peak_hwm: 0,
    },
    upstreams_rss_mib_max: +Math.max(...samples.map((s) => s.upstreams)).toFixed(1),
    gateway_exit: exit,
    gateway_stop_ms: stopMs,
    rss_timeline: samples.map((s) => ({ t: Math.round(s.t), phase: s.phase, gateway_mib: +s.gateway.toFixed(1), upstreams_mib: +s.upstreams.toFixed(1) })),
  };
  res.gateway_rss_mib.peak_hwm = +(kb(pid, 'VmHWM') / 1024).toFixed(1); // 0 once it exited: kept from the last sample below
  if (!res.gateway_rss_mib.peak_hwm) res.gateway_rss_mib.peak_hwm = Math.max(...samples.map((s) => s.gateway)).toFixed(1) * 1;

  console.log(`raxe HTTP gateway load: ${SESSIONS} sessions, upstream ${UPSTREAM} (server-everything echo), ${L2 ? 'L1+L2' : 'L1 only'}, ${res.duration_s} s`);
  console.log(`  sessions connected in ${res.connect_all_ms} ms (each with its own upstream${UPSTREAM === 'stdio' ? ' process' : ' session'})`);
  console.log(`  calls: ${res.calls} sent, ${res.ok} ok, ${res.wrong} wrong, ${res.errors} errors ${JSON.stringify(errorCodes)}, ${res.timeouts} timed out`);
  console.log(`  throughput: ${res.throughput_calls_per_s} calls/s; gateway CPU ${res.gateway_cpu_ms_per_call} ms per call (${Math.round(res.gateway_cpu_share * 100)}% of one core; 2 cores shared with the client and the upstreams)`);
  console.log(`  latency (callTool round trip): p50 ${res.latency_ms.p50} ms, p90 ${res.latency_ms.p90} ms, p99 ${res.latency_ms.p99} ms, max ${res.latency_ms.max} ms`);
  console.log(`  gateway RSS: idle ${res.gateway_rss_mib.idle} MiB, under load ${res.gateway_rss_mib.load_min}-${res.gateway_rss_mib.load_max} MiB (last ${res.gateway_rss_mib.load_last}); upstreams together up to ${res.upstreams_rss_mib_max} MiB`);
  console.log('  RSS over time (s: gateway MiB):');
  for (let i = 0; i < res.rss_timeline.length; i += 8) {
    console.log('    ' + res.rss_timeline.slice(i, i + 8).map((s) => `${String(s.t).padStart(3)}s ${s.phase[0]} ${String(s.gateway_mib).padStart(6)}`).join('  '));
  }
  console.log(`  gateway /stats counted ${gatewayCalls} requests in the load phase (client sent ${counts.sent})`);
  console.log(`  stopped on SIGTERM in ${stopMs} ms, exit ${JSON.stringify(exit)}`);
  const problems = [];
  if (lost !== 0 || counts.timeouts !== 0) problems.push(`${lost + counts.timeouts} responses lost`);
  if (counts.wrong) problems.push(`${counts.wrong} wrong responses`);
  if (counts.errors) problems.push(`${counts.errors} error responses`);
  if (gatewayCalls !== counts.sent) problems.push(`the gateway counted ${gatewayCalls} requests, the client sent ${counts.sent}`);
  if (exit.code !== 0) problems.push(`the gateway exited with ${JSON.stringify(exit)}`);
  console.log(problems.length ? `FAIL: ${problems.join('; ')}` : `OK: no response lost (${counts.sent} sent = ${counts.ok} answered correctly)`);
  if (JSON_OUT) writeFileSync(String(JSON_OUT), JSON.stringify(res, null, 2) + '\n');
  process.exitCode = problems.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
