#!/usr/bin/env node
// The HTTP gateway as a fleet, loopback only and bounded: the same client
// load (N SDK sessions calling a shared counter upstream's `count` as fast
// as they can, for D seconds) through
//   1. one instance, local state                       (the baseline)
//   2. one instance, Redis state                       (every call takes its rate-limit token from Redis)
//   3. two instances behind nginx, Redis state         (examples/fleet/nginx.conf)
// and, in process, the time one rate-limit decision takes from local buckets
// and from Redis (RedisState.take, sequential), i.e. what Redis adds per call.
// Every scenario has the same limit (9,999 rpm per session: never reached).
//
//   node bench/fleet.js                      # 16 sessions, 10 s each
//   node bench/fleet.js --sessions=32 --duration=20
// Needs a build (npm run build), redis-server and nginx (Debian packages).
// Prints figures and ratios against scenario 1; never fails on timing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const COUNTER = path.join(ROOT, 'test/http/fixtures/counter.mjs');
const opt = (name, dflt) => {
  const a = process.argv.slice(2).find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const SESSIONS = Math.min(64, Math.max(1, Number(opt('sessions', 16))));
const DURATION_S = Math.min(60, Math.max(1, Number(opt('duration', 10))));
const MAX_CALLS = 200_000;
const NGINX = spawnSync('sh', ['-c', 'command -v nginx || echo /usr/sbin/nginx']).stdout.toString().trim();

const tmp = mkdtempSync(path.join(tmpdir(), 'raxe-bench-fleet-'));
const children = [];
const cleanup = () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

function start(cmd, args, ready, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    const check = (c) => {
      out += c;
      const m = ready.exec(out);
      if (m) resolve({ proc: p, m });
    };
    p.stdout.on('data', check);
    p.stderr.on('data', check);
    p.once('exit', (code) => reject(new Error(`${cmd} exited (${code}): ${out.slice(-1500)}`)));
  });
}

async function gateway(name, state) {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const cfg = path.join(dir, 'gw.yaml');
  writeFileSync(cfg, [
    'gateway:', '  listen: http', '  port: 0', `  instance_id: ${name}`, `  state: ${state}`, '  trusted_proxies: ["127.0.0.1"]',
    '  default_policy:', '    on_threat: block', '    rate_limit_rpm: 9999',
    'upstreams:', '  - name: counter', `    command: ${process.execPath}`, `    args: [${JSON.stringify(COUNTER)}]`, '    share: true', '',
  ].join('\n'));
  const { proc, m } = await start(process.execPath, [CLI, 'mcp', 'gateway', '-c', cfg, '--no-l2'], /listening on (http:\/\/127\.0\.0\.1:(\d+))\/mcp/, { XDG_CONFIG_HOME: dir });
  return { proc, base: m[1], url: `${m[1]}/mcp` };
}

async function stop(p) {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await gone;
}

/** N sessions calling `count` until the time or call budget is spent: calls/s and latency percentiles. */
async function load(url) {
  const clients = await Promise.all([...Array(SESSIONS)].map(async () => {
    const c = new Client({ name: 'bench-fleet', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(url)));
    await c.callTool({ name: 'count', arguments: {} }); // warm: the tool list, the upstream
    return c;
  }));
  const lat = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + DURATION_S * 1000;
  await Promise.all(clients.map(async (c) => {
    while (performance.now() < end && lat.length < MAX_CALLS) {
      const s = performance.now();
      try {
        const r = await c.callTool({ name: 'count', arguments: {} });
        if (r.isError) errors++;
      } catch {
        errors++;
      }
      lat.push(performance.now() - s);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  lat.sort((a, b) => a - b);
  const q = (x) => lat[Math.min(lat.length - 1, Math.floor(x * lat.length))];
  return { calls: lat.length, rate: lat.length / secs, p50: q(0.5), p99: q(0.99), errors };
}

/** RedisState.take vs local buckets, in process: µs per decision (sequential), and p50/p99. */
async function takeBench(redisUrl) {
  const out = path.join(tmp, 'state.mjs');
  await build({ entryPoints: [path.join(ROOT, 'bench/fleet-state-entry.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'warning', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  const { LocalState, RedisState, nodeRedisPort, createLogger } = await import(out);
  const log = createLogger('error', () => {});
  const time = async (state, n) => {
    const ts = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await state.take(`addr:10.0.${i % 250}.1`, 'counter', 9999);
      ts.push(performance.now() - s);
    }
    ts.sort((a, b) => a - b);
    return { p50: ts[Math.floor(n / 2)] * 1000, p99: ts[Math.floor(n * 0.99)] * 1000, mean: (ts.reduce((a, b) => a + b, 0) / n) * 1000 };
  };
  const local = new LocalState();
  const redis = new RedisState({ port: nodeRedisPort(redisUrl, log), local: new LocalState(), logger: log, url: redisUrl });
  for (let i = 0; i < 200 && !redis.health().connected; i++) await new Promise((r) => setTimeout(r, 10));
  await time(redis, 500); // warm: connection, script load
  const res = { local: await time(local, 5000), redis: await time(redis, 5000), connected: redis.health().connected };
  await redis.close();
  return res;
}

const fmt = (r) => `${r.rate.toFixed(0).padStart(6)} calls/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   (${r.calls} calls, ${r.errors} errors)`;

console.log(`raxe fleet bench: ${SESSIONS} sessions, ${DURATION_S} s per scenario, L1 only, shared counter upstream; load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
const rport = await freePort();
await start('redis-server', ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], /Ready to accept connections/);
const redisUrl = `redis://127.0.0.1:${rport}`;

const one = await gateway('solo', 'local');
const r1 = await load(one.url);
await stop(one.proc);
console.log(`1. one instance, local state            ${fmt(r1)}`);

const oneR = await gateway('soloredis', redisUrl);
const r2 = await load(oneR.url);
await stop(oneR.proc);
console.log(`2. one instance, Redis state            ${fmt(r2)}   x${(r2.rate / r1.rate).toFixed(2)} calls/s, +${(r2.p50 - r1.p50).toFixed(2)} ms p50`);

const [a, b] = await Promise.all([gateway('a', redisUrl), gateway('b', redisUrl)]);
const nport = await freePort();
const ndir = path.join(tmp, 'nginx');
mkdirSync(path.join(ndir, 'logs'), { recursive: true });
mkdirSync(path.join(ndir, 'tmp'), { recursive: true });
writeFileSync(path.join(ndir, 'nginx.conf'), readFileSync(path.join(ROOT, 'examples/fleet/nginx.conf'), 'utf8')
  .replaceAll('127.0.0.1:8080', `127.0.0.1:${nport}`).replaceAll('127.0.0.1:8081', new URL(a.base).host).replaceAll('127.0.0.1:8082', new URL(b.base).host));
const nginx = spawn(NGINX, ['-p', ndir, '-c', path.join(ndir, 'nginx.conf'), '-e', path.join(ndir, 'logs/error.log'), '-g', `daemon off; pid ${path.join(ndir, 'nginx.pid')};`], { stdio: 'ignore' });
children.push(nginx);
for (let i = 0; ; i++) {
  try {
    await fetch(`http://127.0.0.1:${nport}/healthz`);
    break;
  } catch {
    if (i > 300) throw new Error('nginx does not answer');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const r3 = await load(`http://127.0.0.1:${nport}/mcp`);
console.log(`3. two instances + nginx, Redis state   ${fmt(r3)}   x${(r3.rate / r1.rate).toFixed(2)} calls/s vs 1`);
nginx.kill('SIGQUIT');
await Promise.all([stop(a.proc), stop(b.proc)]);

const t = await takeBench(redisUrl);
console.log(`rate-limit decision, in process (5,000 sequential): local ${t.local.p50.toFixed(1)} µs p50 / ${t.local.p99.toFixed(1)} µs p99; ` +
  `Redis ${t.redis.p50.toFixed(1)} µs p50 / ${t.redis.p99.toFixed(1)} µs p99 (mean ${t.redis.mean.toFixed(1)} µs): Redis adds ~${(t.redis.mean - t.local.mean).toFixed(0)} µs per call${t.connected ? '' : ' [Redis was not connected: figures are of the fallback]'}`);
process.exit(0);
