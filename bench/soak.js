#!/usr/bin/env node
// Soak test of the HTTP gateway (`npm run soak`; not in CI): mixed hostile and
// normal traffic for 10 minutes on loopback. Normal clients (127.0.0.1: six
// SDK sessions) call tools and ping at a steady pace and check every answer;
// hostile clients (127.0.0.2-8) flood sessions, send oversized and deeply
// nested messages, cancel calls, drop response streams, open GET streams they
// never read while an upstream floods them, trickle request bodies, send 4 MB
// texts to scan, match templates with 20 KB URIs, forge Origin and Host
// headers, and send garbage. Reports the normal traffic's latency
// percentiles, errors and lost responses (must be 0), the gateway's RSS over
// time, what each hostile kind got back, and the gateway's /stats.
//
//   npm run soak                      # 600 s, L1 only
//   node bench/soak.js --duration=60  # a short run
//   node bench/soak.js --l2 --json=soak.json
//
// Needs a build (npm run build). Linux (/proc) for the memory figures. The
// exit code reflects lost, wrong or failed normal calls and crashes only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { makeRng } from './prng.js';
import { post, PROTOCOL, rawSession, sdkClient, slowBody, unreadStream } from './soak-clients.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return !a ? dflt : a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const DURATION_S = Math.max(10, Number(opt('duration', 600)));
const L2 = argv.includes('--l2');
const JSON_OUT = opt('json', null);
const NORMAL_SESSIONS = 6;
if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'raxe-soak-'));
let gwProc;
process.on('exit', () => {
  if (gwProc && gwProc.exitCode === null) gwProc.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (s, q) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0);

// ------------------------------------------------------------ the gateway

async function startGateway() {
  const node = process.execPath;
  const cfg = path.join(tmp, 'soak.yaml');
  writeFileSync(cfg, JSON.stringify({
    gateway: { listen: 'http', port: 0, l2_enabled: L2, audit_log_max_bytes: 1 << 20, audit_log_files: 3, default_policy: { on_threat: 'block' } },
    upstreams: [
      // shared: one process for every session; the abusive one per session (its floods pause only its own session)
      { name: 'everything', command: node, args: [path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'], share: true },
      { name: 'counter', command: node, args: [path.join(ROOT, 'test/http/fixtures/counter.mjs')], share: true },
      { name: 'abusive', command: node, args: [path.join(ROOT, 'test/fixtures/servers/abusive.mjs')] },
    ],
  }));
  gwProc = spawn(node, [CLI, 'mcp', 'gateway', '-c', cfg], { cwd: ROOT, env: { ...getDefaultEnvironment(), XDG_CONFIG_HOME: path.join(tmp, 'xdg') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  gwProc.stderr.on('data', (c) => (out = (out + c).slice(-200_000)));
  const exited = new Promise((r) => gwProc.once('exit', (code, signal) => r({ code, signal })));
  const base = await new Promise((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(out);
      if (m) resolve(m[1]);
    };
    gwProc.stderr.on('data', check);
    gwProc.once('exit', (code) => reject(new Error(`gateway exited (${code}):\n${out.slice(-3000)}`)));
  });
  return { base, url: `${base}/mcp`, pid: gwProc.pid, exited, log: () => out };
}

/** RSS (MiB) of the gateway and of its descendants (the upstreams). */
function rss(pid) {
  const kb = (p) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone */
    }
  }
  let up = 0;
  const walk = (p) => {
    for (const c of kids.get(p) ?? []) {
      try {
        up += kb(c);
      } catch {
        /* gone */
      }
      walk(c);
    }
  };
  walk(pid);
  try {
    return { gateway: kb(pid) / 1024, upstreams: up / 1024 };
  } catch {
    return { gateway: 0, upstreams: 0 };
  }
}

// ------------------------------------------------------------ traffic

/** Text made of rule words (the slowest to scan). */
function vocabulary(bytes) {
  const words = 'ignore all previous instructions system prompt reveal you are now DAN developer mode jailbreak override safety print password api key exfiltrate send base64 curl bash'.split(' ');
  const rng = makeRng(11);
  let s = '';
  while (s.length < bytes) s += rng.pick(words) + ' ';
  return s.slice(0, bytes);
}

async function normalClient(gw, i, until, out) {
  const s = await sdkClient(gw.url, '127.0.0.1', `normal-${i}`);
  const rng = makeRng(100 + i);
  for (let n = 0; Date.now() < until; n++) {
    const kind = rng.pick(['echo', 'echo', 'count', 'ping']);
    const t = performance.now();
    out.sent++;
    try {
      if (kind === 'ping') await s.client.ping({ timeout: 60_000 });
      else if (kind === 'count') {
        const r = await s.client.callTool({ name: 'count', arguments: {} }, undefined, { timeout: 60_000 });
        if (!/"pid":\d+/.test(r.content?.[0]?.text ?? '')) throw Object.assign(new Error('wrong'), { wrong: true });
      } else {
        const message = `normal ${i} call ${n}: summarise the notes`;
        const r = await s.client.callTool({ name: 'echo', arguments: { message } }, undefined, { timeout: 60_000 });
        if (r.content?.[0]?.text !== `Echo: ${message}`) throw Object.assign(new Error('wrong'), { wrong: true });
      }
      const ms = performance.now() - t;
      out.latencies.push(ms);
      if (kind === 'ping') out.pings.push(ms);
      out.ok++;
    } catch (e) {
      if (e.wrong) out.wrong++;
      else if (/timed out/i.test(String(e?.message))) out.lost++;
      else out.errors[e?.code ?? 'none'] = (out.errors[e?.code ?? 'none'] ?? 0) + 1;
    }
    await sleep(50 + rng.int(100));
  }
  await s.close();
}

/** Runs `f` every `everyMs` until `until`, counting outcomes by label. */
async function hostile(name, until, everyMs, tally, f) {
  const t = (tally[name] ??= {});
  while (Date.now() < until) {
    let label;
    try {
      label = String(await f());
    } catch (e) {
      label = `threw ${e?.code ?? e?.name ?? 'error'}`;
    }
    t[label] = (t[label] ?? 0) + 1;
    await sleep(everyMs);
  }
}

function hostiles(gw, until, tally) {
  const url = gw.url;
  const port = Number(new URL(gw.base).port);
  const big = vocabulary(4 * 1024 * 1024);
  const deep = '['.repeat(20_000) + ']'.repeat(20_000);
  const oversized = `{"method":"tools/call","params":{"name":"echo","arguments":{"message":"${'a'.repeat(11 * 1024 * 1024)}"}},"jsonrpc":"2.0","id":"too-big"}`;
  const inSession = (sid) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL });
  return [
    hostile('session flood (no DELETE)', until, 150, tally, async () => (await post(url, '127.0.0.2', { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'flood', version: '1' } } })).status),
    hostile('oversized 11 MB request', until, 3000, tally, async () => {
      const sid = await rawSession(url, '127.0.0.3');
      const r = await post(url, '127.0.0.3', oversized, inSession(sid));
      await fetch(url, { method: 'DELETE', headers: inSession(sid) }).catch(() => {});
      return `${r.status} id=${JSON.parse(r.text || '{}').id}`;
    }),
    hostile('20,000-deep request', until, 2000, tally, async () => {
      const sid = await rawSession(url, '127.0.0.3');
      const r = await post(url, '127.0.0.3', `{"jsonrpc":"2.0","id":"deep","method":"tools/call","params":{"name":"echo","arguments":{"message":${deep}}}}`, inSession(sid));
      await fetch(url, { method: 'DELETE', headers: inSession(sid) }).catch(() => {});
      return `${r.status} ${/"code":(-?\d+)/.exec(r.text)?.[1] ?? ''}`;
    }),
    hostile('cancelled calls', until, 1000, tally, async () => {
      const s = await sdkClient(url, '127.0.0.4', 'canceller');
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const r = await s.client.callTool({ name: 'wait', arguments: { ms: 3000 } }, undefined, { signal: ac.signal }).then(() => 'answered', (e) => (e?.name === 'AbortError' || /abort/i.test(e?.message) ? 'cancelled' : `error ${e?.code}`));
      await s.close();
      return r;
    }),
    hostile('dropped response streams', until, 1000, tally, async () => {
      const sid = await rawSession(url, '127.0.0.4');
      const r = await post(url, '127.0.0.4', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait', arguments: { ms: 500 } } }, inSession(sid), true);
      await sleep(700);
      await fetch(url, { method: 'DELETE', headers: inSession(sid) }).catch(() => {});
      return r.status;
    }),
    hostile('unread GET stream + 6.4 MB flood', until, 1000, tally, async () => {
      const sid = await rawSession(url, '127.0.0.5');
      const get = await unreadStream(url, '127.0.0.5', sid);
      const r = await post(url, '127.0.0.5', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'flood', arguments: { count: 100, kb: 64 } } }, { ...inSession(sid), accept: 'application/json' });
      get.close();
      await fetch(url, { method: 'DELETE', headers: inSession(sid) }).catch(() => {});
      return `${r.status} ${/"code":(-?\d+)/.exec(r.text)?.[1] ?? 'result'}`;
    }),
    ...[0, 1, 2, 3].map((k) => hostile(`slow body #${k}`, until, 100, tally, async () => (await slowBody(port, '127.0.0.6')) || 'closed')),
    hostile('4 MB rule-word texts', until, 10_000, tally, async () => {
      const s = await sdkClient(url, '127.0.0.7', 'scanner');
      const r = await s.client.callTool({ name: 'echo', arguments: { message: big } }, undefined, { timeout: 120_000 }).then(() => 'passed', (e) => `error ${e?.code}`);
      await s.close();
      return r;
    }),
    hostile('20 KB template URIs', until, 3000, tally, async () => {
      const s = await sdkClient(url, '127.0.0.7', 'uris');
      const r = await s.client.readResource({ uri: `db://${'/'.repeat(20_000)}x` }, { timeout: 60_000 }).then(() => 'read', (e) => `error ${e?.code}`);
      await s.close();
      return r;
    }),
    hostile('forged Origin / Host, garbage', until, 500, tally, async () => {
      const a = await post(url, '127.0.0.8', { jsonrpc: '2.0', id: 0, method: 'initialize', params: {} }, { origin: 'http://evil.example' });
      const b = await post(url, '127.0.0.8', '{not json');
      return `${a.status}/${b.status}`;
    }),
  ];
}

// ------------------------------------------------------------ run

async function main() {
  const gw = await startGateway();
  const t0 = Date.now();
  const until = t0 + DURATION_S * 1000;
  const samples = [];
  const sample = () => samples.push({ t: Math.round((Date.now() - t0) / 1000), ...rss(gw.pid) });
  sample();
  const sampler = setInterval(sample, 5000);
  const normal = { sent: 0, ok: 0, wrong: 0, lost: 0, errors: {}, latencies: [], pings: [] };
  const tally = {};
  console.log(`raxe HTTP gateway soak: ${DURATION_S} s, ${NORMAL_SESSIONS} normal sessions (127.0.0.1) and 13 hostile loops (127.0.0.2-8), ${L2 ? 'L1+L2' : 'L1 only'}`);
  await Promise.all([
    ...Array.from({ length: NORMAL_SESSIONS }, (_, i) => normalClient(gw, i, until, normal)),
    ...hostiles(gw, until, tally),
  ]);
  const stats = await (await fetch(`${gw.base}/stats`)).json();
  clearInterval(sampler);
  sample();
  gwProc.kill('SIGTERM');
  const exit = await gw.exited;

  normal.latencies.sort((a, b) => a - b);
  normal.pings.sort((a, b) => a - b);
  const lat = (s) => ({ p50: +pct(s, 0.5).toFixed(1), p90: +pct(s, 0.9).toFixed(1), p99: +pct(s, 0.99).toFixed(1), max: +(s.at(-1) ?? 0).toFixed(1) });
  const report = {
    duration_s: Math.round((Date.now() - t0) / 1000),
    normal: { sent: normal.sent, ok: normal.ok, wrong: normal.wrong, lost: normal.lost, errors: normal.errors, latency_ms: lat(normal.latencies), ping_ms: lat(normal.pings) },
    hostile: tally,
    rss_mib: samples.map((s) => ({ t: s.t, gateway: +s.gateway.toFixed(1), upstreams: +s.upstreams.toFixed(1) })),
    stats: { oversized_messages: stats.oversized_messages, invalid_messages: stats.invalid_messages, requests_blocked: stats.requests_blocked, unscanned: stats.unscanned, sessions: stats.sessions, http: { body_timeouts: stats.http?.body_timeouts, responses_by_status: stats.http?.responses_by_status }, shared_upstreams: stats.shared_upstreams, scan_pool: stats.scan_pool },
    gateway_exit: exit,
  };
  console.log(`  normal traffic: ${report.normal.sent} calls, ${report.normal.ok} ok, ${report.normal.wrong} wrong, errors ${JSON.stringify(report.normal.errors)}, LOST ${report.normal.lost}`);
  console.log(`  latency: p50 ${report.normal.latency_ms.p50} ms, p90 ${report.normal.latency_ms.p90} ms, p99 ${report.normal.latency_ms.p99} ms, max ${report.normal.latency_ms.max} ms (pings: p99 ${report.normal.ping_ms.p99} ms)`);
  console.log('  RSS over time (s: gateway / upstreams MiB):');
  const rows = report.rss_mib.filter((_, k, a) => k % 6 === 0 || k === a.length - 1);
  for (let k = 0; k < rows.length; k += 6) console.log('    ' + rows.slice(k, k + 6).map((s) => `${String(s.t).padStart(4)}s ${String(s.gateway).padStart(6)} / ${String(s.upstreams).padStart(6)}`).join('   '));
  console.log('  hostile traffic (outcome: count):');
  for (const [k, v] of Object.entries(tally)) console.log(`    ${k.padEnd(34)} ${Object.entries(v).map(([o, n]) => `${o}: ${n}`).join(', ')}`);
  console.log(`  /stats: ${JSON.stringify(report.stats)}`);
  console.log(`  gateway exit: ${JSON.stringify(exit)}`);
  const problems = [];
  if (normal.lost) problems.push(`${normal.lost} normal responses lost`);
  if (normal.wrong) problems.push(`${normal.wrong} wrong answers`);
  if (Object.keys(normal.errors).length) problems.push(`normal calls failed: ${JSON.stringify(normal.errors)}`);
  if (exit.code !== 0) problems.push(`the gateway exited with ${JSON.stringify(exit)}`);
  console.log(problems.length ? `FAIL: ${problems.join('; ')}` : `OK: 0 lost of ${normal.sent} normal calls`);
  if (JSON_OUT) writeFileSync(String(JSON_OUT), JSON.stringify(report, null, 2) + '\n');
  process.exitCode = problems.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
