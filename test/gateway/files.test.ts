// Files the gateway writes: the audit log and the tool pins are 0600 in a
// 0700 directory (so is the .bak of audit --fix --write, in cli.test.ts);
// the audit log is written off the request path, rotates by size, loses no
// line when the process exits with lines still queued (not even in the
// middle of a batch), and keeps resource URIs without query or userinfo.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { FileAuditSink, rotateFiles } from '../../src/mcp/node/audit-log.js';
import { FilePinStore } from '../../src/mcp/node/stores.js';
import { redactUri } from '../../src/mcp/gateway/report.js';
import { createLogger } from '../../src/mcp/log.js';
import type { AuditEvent } from '../../src/mcp/gateway/audit.js';
import { auditEvents, FIXTURES, removeTemps, ROOT, rpcError, startGateway, tempDir, writeConfig } from './helpers.js';

afterAll(() => removeTemps());

const quiet = createLogger('error', () => {});
const mode = (p: string) => statSync(p).mode & 0o777;
const event = (i: number): AuditEvent => ({ ts: new Date(0).toISOString(), upstream: 'u', method: 'tools/call', point: 'rate_limit', action: 'block', rule_ids: ['rate_limit'], severity: 'none', tool: `t${i}` });
const lines = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean);

describe('the audit log', () => {
  it('is written off the request path: write() returns before the line is on disk; flush() stores it, 0600 in a 0700 dir', async () => {
    const dir = join(tempDir(), 'raxe');
    const path = join(dir, 'gateway-audit.jsonl');
    const sink = new FileAuditSink(path, quiet);
    sink.write(event(1));
    expect(existsSync(path) ? readFileSync(path, 'utf8') : '').toBe('');
    await sink.flush();
    expect(lines(path).map((l) => JSON.parse(l).tool)).toEqual(['t1']);
    expect(mode(path)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    await sink.close();
  });

  it('tightens a log an older raxe created 0644', async () => {
    const path = join(tempDir(), 'old.jsonl');
    writeFileSync(path, '', { mode: 0o644 });
    const sink = new FileAuditSink(path, quiet);
    sink.write(event(1));
    await sink.close();
    expect(mode(path)).toBe(0o600);
  });

  it('rotates by size, keeping `files` files in all, each within the limit, the newest lines kept', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.jsonl');
    const sink = new FileAuditSink(path, quiet, { maxBytes: 4096, files: 3 });
    for (let i = 0; i < 200; i++) sink.write(event(i));
    await sink.close();
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'a.jsonl.1', 'a.jsonl.2']);
    for (const f of readdirSync(dir)) {
      expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(4096);
      expect(mode(join(dir, f))).toBe(0o600);
    }
    const kept = [...lines(`${path}.2`), ...lines(`${path}.1`), ...lines(path)].map((l) => Number(JSON.parse(l).tool.slice(1)));
    expect(kept[kept.length - 1]).toBe(199);
    expect(kept).toEqual(kept.map((_, k) => kept[0] + k)); // consecutive: nothing lost inside what is kept
  });

  it('rotateFiles keeps one file when asked to keep one', () => {
    const path = join(tempDir(), 'b.jsonl');
    writeFileSync(path, 'x\n');
    rotateFiles(path, 1);
    expect(existsSync(path)).toBe(false);
  });

  it('loses no line when the process exits with lines queued, even in the middle of a batch', () => {
    const dir = tempDir();
    const script = join(dir, 'exit.mjs');
    buildSync({
      stdin: {
        contents: `
          import { FileAuditSink } from './src/mcp/node/audit-log.ts';
          const sink = new FileAuditSink(process.argv[2], { debug() {}, info() {}, warn() {}, error() {} });
          for (let i = 0; i < 50000; i++) sink.write({ ts: 'x', upstream: 'u', method: 'm', point: 'p', action: 'block', rule_ids: [], severity: 'none', tool: 't' + i });
          // let the first batch start, then exit without waiting for it
          setImmediate(() => process.exit(0));`,
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'error',
    });
    for (const log of [join(dir, 'one.jsonl'), join(dir, 'two.jsonl')]) {
      expect(spawnSync(process.execPath, [script, log]).status).toBe(0);
      const tools = lines(log).map((l) => JSON.parse(l).tool);
      expect(tools.length).toBe(50000);
      expect(new Set(tools).size).toBe(50000);
    }
  });
});

describe('URIs in decisions', () => {
  it('redactUri drops userinfo, query and fragment, and leaves names alone', () => {
    expect(redactUri('test://one?api_key=sk-live-123')).toBe('test://one?redacted');
    expect(redactUri('https://user:pw@host.example:8443/a/b?x=1#f')).toBe('https://host.example:8443/a/b?redacted');
    expect(redactUri('file:///home/me/notes.md#secret')).toBe('file:///home/me/notes.md?redacted');
    expect(redactUri('postgres://admin:hunter2@db/prod')).toBe('postgres://db/prod');
    expect(redactUri('read_file')).toBe('read_file');
    expect(redactUri('weather:now')).toBe('weather:now');
  });

  it('the audit log and the decision line keep a blocked resource URI without its query or password', async () => {
    const xdg = tempDir();
    const cfg = writeConfig(tempDir(), {
      gateway: { l2_enabled: false, default_policy: { on_threat: 'block', severity_threshold: 'LOW' } },
      upstreams: [{ name: 'abusive', command: process.execPath, args: [join(FIXTURES, 'abusive.mjs')] }],
    });
    const gw = await startGateway({ args: ['-c', cfg], xdg });
    await gw.client.listTools(); // (pins the tools: the pin file is written)
    const uri = 'db://user:hunter2@host/a/b/inject.json?api_key=sk-live-9f8e7d';
    const e = await rpcError(gw.client.readResource({ uri }));
    expect(e.code).toBe(-32001);
    const stderr = await gw.close();
    const log = join(xdg, 'raxe', 'gateway-audit.jsonl');
    const text = readFileSync(log, 'utf8');
    expect(auditEvents(text).some((ev) => ev.tool === 'db://host/a/b/inject.json?redacted')).toBe(true);
    for (const secret of ['hunter2', 'sk-live', 'api_key']) {
      expect(text).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
    expect(mode(log)).toBe(0o600);
    expect(mode(join(xdg, 'raxe'))).toBe(0o700);
    expect(mode(join(xdg, 'raxe', 'tool-pins.json'))).toBe(0o600);
  });
});

describe('tool pins', () => {
  it('are written 0600 in a 0700 directory', () => {
    const dir = join(tempDir(), 'raxe');
    const store = new FilePinStore(join(dir, 'tool-pins.json'), quiet);
    store.save('u@1', { upstream: 'u', launch: 'x', server: 's', tools: {} } as never);
    expect(mode(join(dir, 'tool-pins.json'))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });
});
