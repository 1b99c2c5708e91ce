#!/usr/bin/env node
// MCP gateway benchmark: what `raxe mcp gateway` adds to a tools/call, against
// a direct SDK client connection to the same upstream server.
//
//   node bench/gateway.js                   # 1,000 calls per payload per path
//   node bench/gateway.js --calls=2000      # more calls (at least 500)
//   node bench/gateway.js --json=out.json   # also write the figures as JSON
//
// Payloads: server-everything's `echo` (a small request and result) and our
// fixture's `big` (test/fixtures/servers/flaky.mjs: a 100 KB benign result the
// gateway has to scan). Each round trip is client.callTool() to its resolved
// result. Direct and gateway calls alternate one by one, so drifts in machine
// load hit both alike. "added" is gateway minus direct at the same quantile.
// Throughput is calls per second with 16 calls in flight (each call is two
// messages through the gateway: the request and the result). "gw CPU µs/call"
// is the gateway process's own CPU time (user + system) per call during that
// throughput run: unlike latency it hardly depends on machine load. Peak RSS
// is the gateway process's VmHWM (/proc/<pid>/status). Both Linux only.
//
// The gateway runs with rate_limit_rpm 0 (a temp config file) and its audit
// log and pins in a temp dir. Needs a build (npm run build). The exit code
// reflects crashes and wrong results only, never timing.

import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'raxe.js');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const FIXTURE = path.join(ROOT, 'test/fixtures/servers/flaky.mjs');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (!a) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const CALLS = Math.max(500, Number(opt('calls', 1000)));
const WARMUP = 100;
const THROUGHPUT_CALLS = 3000;
const CONCURRENCY = 16;
const JSON_OUT = opt('json', null);
const TARGET_ADDED_P50_MS = 1;

// Gateway configurations: L1 only, and L1+L2 (the L2 session is warmed up before measuring).
const CONFIGS = [
  { label: 'L1 only', args: ['--no-l2'] },
  { label: 'L1+L2', args: [] },
];

const SMALL = 'Please summarise the attached meeting notes in three bullet points.';
const PAYLOADS = [
  { label: 'echo (small)', upstream: 'everything', tool: 'echo', args: { message: SMALL }, check: (t) => t === `Echo: ${SMALL}` },
  { label: 'big (100 KB result)', upstream: 'fixture', tool: 'big', args: { kb: 100 }, check: (t) => t.length === 100 * 1024 },
];

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const fmt = (x, d = 3) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'raxe-gw-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { ...getDefaultEnvironment(), XDG_CONFIG_HOME: path.join(tmp, 'xdg') };

async function connect(command, args, label) {
  const transport = new StdioClientTransport({ command, args, cwd: ROOT, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (c) => (stderr += c));
  const client = new Client({ name: 'raxe-gateway-bench', version: '1.0.0' });
  const t0 = performance.now();
  try {
    await client.connect(transport);
  } catch (e) {
    process.stderr.write(stderr);
    throw new Error(`${label} did not start: ${e.message}`);
  }
  await client.listTools();
  return { client, transport, startupMs: performance.now() - t0, stderr: () => stderr };
}

function startGateway(cfg) {
  const config = path.join(tmp, 'gateway.yaml');
  const q = (s) => JSON.stringify(s);
  fs.writeFileSync(
    config,
    [
      'gateway:',
      '  default_policy:',
      '    on_threat: block',
      '    rate_limit_rpm: 0',
      `  state_dir: ${q(path.join(tmp, 'state'))}`,
      'upstreams:',
      '  - name: everything',
      `    command: ${q(process.execPath)}`,
      `    args: [${q(EVERYTHING)}, "stdio"]`,
      '  - name: fixture',
      `    command: ${q(process.execPath)}`,
      `    args: [${q(FIXTURE)}]`,
      '',
    ].join('\n'),
  );
  return connect(process.execPath, [BIN, 'mcp', 'gateway', '-c', config, ...cfg.args], `gateway (${cfg.label})`);
}

async function roundTrip(client, p) {
  const t0 = performance.now();
  const r = await client.callTool({ name: p.tool, arguments: p.args });
  const dt = performance.now() - t0;
  const text = r.content?.[0]?.type === 'text' ? r.content[0].text : '';
  if (r.isError || !p.check(text)) throw new Error(`${p.label}: unexpected result ${JSON.stringify(r).slice(0, 300)}`);
  return dt;
}

async function throughput(client, p) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_CALLS) {
        next++;
        await roundTrip(client, p);
      }
    }),
  );
  return (THROUGHPUT_CALLS * 1000) / (performance.now() - t0);
}

/** CPU time (user + system, ms) the process has used so far, from /proc (Linux only). */
function cpuMs(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return undefined;
  }
}

function peakRss(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(s);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function benchConfig(cfg, direct) {
  const gw = await startGateway(cfg);
  try {
    for (let i = 0; i < WARMUP; i++) {
      for (const p of PAYLOADS) {
        await roundTrip(direct[p.upstream].client, p);
        await roundTrip(gw.client, p);
      }
    }
    const times = PAYLOADS.map(() => ({ direct: new Float64Array(CALLS), gateway: new Float64Array(CALLS) }));
    for (let i = 0; i < CALLS; i++) {
      for (let j = 0; j < PAYLOADS.length; j++) {
        const p = PAYLOADS[j];
        // alternate which path goes first
        if (i % 2 === 0) {
          times[j].direct[i] = await roundTrip(direct[p.upstream].client, p);
          times[j].gateway[i] = await roundTrip(gw.client, p);
        } else {
          times[j].gateway[i] = await roundTrip(gw.client, p);
          times[j].direct[i] = await roundTrip(direct[p.upstream].client, p);
        }
      }
    }
    const rows = [];
    for (let j = 0; j < PAYLOADS.length; j++) {
      const p = PAYLOADS[j];
      const d = Float64Array.from(times[j].direct).sort();
      const g = Float64Array.from(times[j].gateway).sort();
      const tpDirect = await throughput(direct[p.upstream].client, p);
      const cpu0 = cpuMs(gw.transport.pid);
      const tpGateway = await throughput(gw.client, p);
      const cpu1 = cpuMs(gw.transport.pid);
      rows.push({
        config: cfg.label,
        payload: p.label,
        calls: CALLS,
        direct_p50_ms: quantile(d, 0.5),
        direct_p99_ms: quantile(d, 0.99),
        gateway_p50_ms: quantile(g, 0.5),
        gateway_p99_ms: quantile(g, 0.99),
        added_p50_ms: quantile(g, 0.5) - quantile(d, 0.5),
        added_p99_ms: quantile(g, 0.99) - quantile(d, 0.99),
        ratio_p50: quantile(g, 0.5) / quantile(d, 0.5),
        direct_calls_per_s: tpDirect,
        gateway_calls_per_s: tpGateway,
        gateway_msgs_per_s: tpGateway * 2,
        gateway_cpu_us_per_call: cpu0 === undefined ? undefined : ((cpu1 - cpu0) * 1000) / THROUGHPUT_CALLS,
      });
    }
    const rssMb = peakRss(gw.transport.pid);
    return { rows, rssMb, startupMs: gw.startupMs };
  } catch (e) {
    process.stderr.write(gw.stderr());
    throw e;
  } finally {
    await gw.client.close();
  }
}

function table(rows) {
  const cols = [
    ['config', (r) => r.config, 'l'],
    ['payload', (r) => r.payload, 'l'],
    ['calls', (r) => String(r.calls), 'r'],
    ['direct p50', (r) => fmt(r.direct_p50_ms), 'r'],
    ['gw p50', (r) => fmt(r.gateway_p50_ms), 'r'],
    ['added p50', (r) => fmt(r.added_p50_ms), 'r'],
    ['direct p99', (r) => fmt(r.direct_p99_ms), 'r'],
    ['gw p99', (r) => fmt(r.gateway_p99_ms), 'r'],
    ['added p99', (r) => fmt(r.added_p99_ms), 'r'],
    ['x p50', (r) => fmt(r.ratio_p50, 2), 'r'],
    ['direct calls/s', (r) => fmt(r.direct_calls_per_s, 0), 'r'],
    ['gw calls/s', (r) => fmt(r.gateway_calls_per_s, 0), 'r'],
    ['gw msgs/s', (r) => fmt(r.gateway_msgs_per_s, 0), 'r'],
    ['gw CPU µs/call', (r) => fmt(r.gateway_cpu_us_per_call, 0), 'r'],
  ];
  const cells = rows.map((r) => cols.map(([, f]) => f(r)));
  const w = cols.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (vals) => vals.map((v, i) => (cols[i][2] === 'l' ? v.padEnd(w[i]) : v.padStart(w[i]))).join('  ');
  return [line(cols.map(([h]) => h)), w.map((n) => '-'.repeat(n)).join('  '), ...cells.map(line)].join('\n');
}

console.log('raxe MCP gateway benchmark: tools/call through `raxe mcp gateway` vs a direct SDK client (stdio)');
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, ${CALLS} calls per payload per path after ${WARMUP} warm-up calls; latencies in ms`);

const direct = {
  everything: await connect(process.execPath, [EVERYTHING, 'stdio'], 'server-everything'),
  fixture: await connect(process.execPath, [FIXTURE], 'fixture'),
};
const rows = [];
const procs = [];
try {
  for (const cfg of CONFIGS) {
    const r = await benchConfig(cfg, direct);
    rows.push(...r.rows);
    procs.push({ config: cfg.label, startup_ms: r.startupMs, peak_rss_mb: r.rssMb });
    console.error(`  ${cfg.label} (gateway ${cfg.args.join(' ')}): started in ${r.startupMs.toFixed(0)} ms, peak RSS ${fmt(r.rssMb, 1)} MB`);
  }
} finally {
  await Promise.all(Object.values(direct).map((d) => d.client.close()));
}

console.log('\n' + table(rows));
console.log('');
for (const p of procs) console.log(`gateway peak RSS (${p.config}): ${p.peak_rss_mb === undefined ? 'n/a (no /proc)' : `${p.peak_rss_mb.toFixed(1)} MB (VmHWM)`}`);
const small = rows.find((r) => r.config === 'L1 only' && r.payload.startsWith('echo'));
if (small) {
  const ok = small.added_p50_ms < TARGET_ADDED_P50_MS;
  console.log(`target: < ${TARGET_ADDED_P50_MS} ms added at p50 (L1, small): ${fmt(small.added_p50_ms)} ms added (${fmt(small.ratio_p50, 2)}x direct) ${ok ? 'PASS' : 'MISS'}`);
}
if (JSON_OUT) fs.writeFileSync(String(JSON_OUT), JSON.stringify({ node: process.version, calls: CALLS, rows, gateways: procs }, null, 2) + '\n');
