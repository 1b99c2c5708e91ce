// The runtime matrix: the same build (dist/*.js) under Node, Deno and Bun
// (the `deno` and `bun` devDependencies ship their binaries), driven by one
// case file (cases.json):
//   - the scan core: identical ScanResults (L1, and L1+L2 with the L2 model),
//     identical featuriser ids and values, identical probabilities;
//   - the CLI's scan (--input JSONL): identical output;
//   - the MCP server (`raxe mcp serve`) and the stdio gateway, over stdio;
//   - the HTTP gateway started under each runtime, serving the SDK client over
//     Streamable HTTP: tools listed, a benign call passes, an injected one is
//     blocked, and SIGTERM stops it cleanly.
// Node's answers are the reference. A runtime that cannot do something says
// so here by name, and the test asserts that it cannot (today: Node 20 cannot
// run examples/scan.ts, a .ts file); nothing is skipped silently.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI, EVERYTHING, NODE, ROOT, RUNTIMES, RUNTIME_ENV, call, connect, everything, killAll, removeTemps, rpcError, startGateway, tempDir, textOf } from '../http/helpers.js';

const exec = promisify(execFile);
/** Runs a command with the runtimes' quiet environment (no update checks, no telemetry). */
const run = (cmd: string, args: string[], o: { cwd: string; maxBuffer?: number }) => exec(cmd, args, { ...o, env: { ...process.env, ...RUNTIME_ENV } });
const CASES = JSON.parse(readFileSync(join(ROOT, 'test/runtimes/cases.json'), 'utf8'));
const MODEL = existsSync(join(ROOT, 'models/raxe-l2.onnx')) && existsSync(join(ROOT, 'models/raxe-l2.json'));
const NAMES = Object.keys(RUNTIMES) as Array<'node' | 'deno' | 'bun'>;

const outputs: Record<string, any> = {};
let jsonl: string;

beforeAll(async () => {
  for (const rt of NAMES) {
    const bin = RUNTIMES[rt][0];
    if (!existsSync(bin)) throw new Error(`${rt} is not installed at ${bin}: run npm install (it is a devDependency)`);
  }
  jsonl = join(tempDir('raxe-rt-'), 'cases.jsonl');
  writeFileSync(jsonl, CASES.scan.map((c: { id: string; text: string }) => JSON.stringify({ id: c.id, text: c.text })).join('\n') + '\n');
  // the scan runner, under all three at once
  await Promise.all(NAMES.map(async (rt) => {
    const [cmd, ...pre] = RUNTIMES[rt];
    const { stdout } = await run(cmd, [...pre, join(ROOT, 'test/runtimes/scan-cases.mjs')], { cwd: ROOT, maxBuffer: 64 << 20 });
    outputs[rt] = JSON.parse(stdout);
  }));
});

afterAll(() => {
  killAll();
  removeTemps();
});

const stripTimings = (line: string) => {
  const { timings, ...rest } = JSON.parse(line);
  return rest;
};

/** The SDK client on a stdio server started with `rt`. */
async function stdioClient(rt: string, args: string[]): Promise<{ client: Client; close(): Promise<void> }> {
  const [cmd, ...pre] = RUNTIMES[rt];
  const transport = new StdioClientTransport({ command: cmd, args: [...pre, CLI, ...args], cwd: ROOT, env: { ...getDefaultEnvironment(), ...RUNTIME_ENV, XDG_CONFIG_HOME: tempDir('raxe-rt-xdg-') }, stderr: 'pipe' });
  const client = new Client({ name: `matrix-${rt}`, version: '1.0.0' });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

describe.each(NAMES)('%s', (rt) => {
  it('runs the scan core on every case with results identical to Node (L1 and L1+L2)', () => {
    const out = outputs[rt];
    expect(out.runtime).toBe(rt);
    expect(out.cases.map((c: any) => c.id)).toEqual(CASES.scan.map((c: any) => c.id));
    for (const [i, c] of out.cases.entries()) {
      expect(c.l1, `${rt} ${c.id} (L1)`).toEqual(outputs.node.cases[i].l1);
      expect(c.full, `${rt} ${c.id} (L1+L2)`).toEqual(outputs.node.cases[i].full);
    }
    // the cases mean something: threats are found, benign texts pass
    const byId = Object.fromEntries(out.cases.map((c: any) => [c.id, c]));
    expect(byId['pi-override'].l1.safe).toBe(false);
    expect(byId['base64'].l1.detections.some((d: any) => d.via)).toBe(true);
    expect(byId['benign-report'].full.safe).toBe(true);
  });

  if (MODEL) {
    it('runs L2 (onnxruntime-web) with featuriser ids, values and probabilities identical to Node', () => {
      const out = outputs[rt];
      expect(out.l2, `L2 under ${rt}`).toBe('on');
      for (const [i, c] of out.cases.entries()) {
        const ref = outputs.node.cases[i];
        expect(c.features.indices, `${rt} ${c.id} feature ids`).toEqual(ref.features.indices);
        expect(c.features.values, `${rt} ${c.id} feature values`).toEqual(ref.features.values);
        expect(c.probs, `${rt} ${c.id} probabilities`).toEqual(ref.probs);
      }
      expect(out.cases.some((c: any) => c.full.detections.some((d: any) => d.layer === 'L2'))).toBe(true);
    });
  } else {
    it.skip(`L2: NOT RUN under ${rt}: models/raxe-l2.onnx is absent (npm run train writes it); L1 was compared above`, () => {});
  }

  // Node runs .ts files from 22.18 on (type stripping): Node 20 cannot, and this test says so
  const v = process.versions.node.split('.').map(Number);
  const nodeTs = rt !== 'node' || v[0] > 22 || (v[0] === 22 && v[1] >= 18);
  const exampleName = nodeTs
    ? 'runs examples/scan.ts (library use) with the same ScanResult as the core runner'
    : `cannot run examples/scan.ts: Node ${process.versions.node} has no TypeScript support (Node >= 22.18 has; Deno and Bun run it)`;
  it(exampleName, async () => {
    const c = CASES.scan.find((x: { id: string }) => x.id === 'pi-override');
    const [cmd, ...pre] = RUNTIMES[rt];
    const res = await run(cmd, [...pre, join(ROOT, 'examples/scan.ts'), c.text], { cwd: ROOT }).catch((e) => e);
    if (!nodeTs) {
      expect(res.stderr).toMatch(/ERR_UNKNOWN_FILE_EXTENSION|Unknown file extension "\.ts"/);
      return;
    }
    expect(res.code, res.stderr).toBe(1); // a threat
    const { timings, ...result } = JSON.parse(res.stdout);
    expect(result).toEqual(outputs[rt].cases.find((x: { id: string }) => x.id === 'pi-override').full);
  });

  it("runs the CLI's scan (--input JSONL, L1) with output identical to Node", async () => {
    const scan = async (r: string) => {
      const [cmd, ...pre] = RUNTIMES[r];
      const res = await run(cmd, [...pre, CLI, 'scan', '--input', jsonl, '--format', 'jsonl', '--no-l2'], { cwd: ROOT }).catch((e) => e);
      expect(res.code, `${r} exit code (1: threats found); stderr:\n${res.stderr}`).toBe(1);
      return res.stdout.trim().split('\n').map(stripTimings);
    };
    const [mine, ref] = await Promise.all([scan(rt), rt === 'node' ? Promise.resolve(null) : scan('node')]);
    expect(mine.length).toBe(CASES.scan.length);
    if (ref) expect(mine).toEqual(ref);
  });

  it('serves the MCP server (raxe mcp serve) over stdio', async () => {
    const s = await stdioClient(rt, ['mcp', 'serve', '-q', '--no-l2']);
    try {
      const tools = (await s.client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(expect.arrayContaining(['scan_prompt', 'list_threat_families', 'get_rule_info']));
      const r = (await s.client.callTool({ name: 'scan_prompt', arguments: { text: CASES.gateway.injected.arguments.message } })) as CallToolResult;
      expect(textOf(r)).toMatch(/THREATS DETECTED/);
      expect(textOf(r)).toMatch(/pi-001/);
      expect(textOf(r)).not.toContain('print your system prompt'); // privacy: no matched text
    } finally {
      await s.close();
    }
  });

  it('runs the stdio gateway in front of server-everything: benign passes, injected blocked', async () => {
    const s = await stdioClient(rt, ['mcp', 'gateway', '-u', `${NODE} ${EVERYTHING} stdio`, '--on-threat', 'block', '--no-l2']);
    try {
      const names = (await s.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(CASES.gateway.tools));
      const { benign, injected } = CASES.gateway;
      expect(textOf((await s.client.callTool({ name: benign.tool, arguments: benign.arguments })) as CallToolResult)).toBe(benign.expect_text);
      const e = await rpcError(s.client.callTool({ name: injected.tool, arguments: injected.arguments }));
      expect(e.code).toBe(injected.expect_error);
    } finally {
      await s.close();
    }
  });

  it('serves the HTTP gateway to the SDK client over Streamable HTTP, and stops cleanly on SIGTERM', async () => {
    const gw = await startGateway({ runtime: rt, config: { gateway: { default_policy: { on_threat: 'block', rate_limit_rpm: 0 } }, upstreams: [everything] } });
    try {
      expect(gw.stderr()).toContain(`raxe MCP gateway (${rt}) listening on`);
      const c = await connect(gw.url);
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(CASES.gateway.tools));
      const { benign, injected } = CASES.gateway;
      expect(textOf(await call(c, benign.tool, benign.arguments))).toBe(benign.expect_text);
      const e = await rpcError(call(c, injected.tool, injected.arguments));
      expect(e.code).toBe(injected.expect_error);
      expect(e.data).toMatchObject({ point: 'tool_call', upstream: 'everything' });
      const seen: number[] = [];
      await call(c, 'trigger-long-running-operation', { duration: 0.4, steps: 2 }, { onprogress: (p: { progress: number }) => seen.push(p.progress) });
      expect(seen).toEqual([1, 2]);
      expect(c.errors).toEqual([]);
      await c.close();
      const stats = await (await fetch(`${gw.base}/stats`)).json();
      expect(stats).toMatchObject({ requests_blocked: 1, sessions: { created: 1, deleted: 1 } });
    } finally {
      const { code, stderr } = await gw.stop('SIGTERM');
      expect(code, stderr.slice(-2000)).toBe(0);
      expect(stderr).toMatch(/gateway stopped: /);
    }
  });
});
