// The pure parts of the HTTP gateway, in process: SSE framing, the guards
// (Origin, Host, token, protocol version, body limit) and the Streamable HTTP
// upstream channel against a scripted fetch.
import { describe, expect, it } from 'vitest';
import { SseParser, sseEvent } from '../../src/mcp/gateway/http-sse.js';
import { HttpUpstreamChannel } from '../../src/mcp/gateway/http-upstream.js';
import { UpstreamSchema } from '../../src/mcp/gateway/config.js';
import { bearerChecker, hostProblem, originProblem, protocolProblem, readBody } from '../../src/http/guards.js';
import { createLogger } from '../../src/mcp/log.js';
import { until } from './helpers.js';

const quiet = createLogger('error', () => {});

describe('SSE framing', () => {
  const parse = (chunks: string[], max = 1 << 20) => {
    const events: { event: string; data: string; id?: string }[] = [];
    const big: number[] = [];
    const p = new SseParser(max, { event: (e) => events.push(e), tooLarge: (n) => big.push(n) });
    for (const c of chunks) p.push(c);
    p.end();
    return { events, big };
  };

  it('round-trips messages across any chunking', () => {
    const msgs = [{ jsonrpc: '2.0', id: 1, result: { text: 'a\nb: c' } }, { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } }];
    const text = msgs.map(sseEvent).join('');
    for (const size of [1, 2, 7, 50, text.length]) {
      const chunks = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(parse(chunks).events.map((e) => JSON.parse(e.data))).toEqual(msgs);
    }
  });

  it('follows the event-stream format: CRLF, comments, multi-line data, ids, no dispatch without data', () => {
    const { events } = parse([': keep-alive\r\n\r\nid: 1\r\ndata:\r\n\r\n', 'event: message\nid: 7\ndata: {"a":\ndata: 1}\n\n', 'event: other\ndata: x\n\ndata: last']);
    expect(events).toEqual([
      { event: 'message', data: '{"a":\n1}', id: '7' },
      { event: 'other', data: 'x' },
      { event: 'message', data: 'last' },
    ]);
  });

  it('drops an event over the limit, and a line that never ends, and goes on', () => {
    const { events, big } = parse([`data: ${'x'.repeat(100)}\n\n`, 'data: ok\n\n', 'y'.repeat(300), 'z\n\ndata: after\n\n'], 64);
    expect(events.map((e) => e.data)).toEqual(['ok', 'after']);
    expect(big.length).toBe(2);
  });
});

describe('guards', () => {
  it('Origin: none, loopback and listed origins pass; others and "null" do not', () => {
    expect(originProblem(null, [])).toBeNull();
    for (const o of ['http://localhost', 'http://localhost:6274', 'https://127.0.0.1:8443', 'http://[::1]:3000', 'http://app.localhost']) expect(originProblem(o, []), o).toBeNull();
    for (const o of ['http://evil.example', 'null', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io', 'file://', 'chrome-extension://abc']) {
      expect(originProblem(o, []), o).toMatch(/not allowed/);
    }
    expect(originProblem('https://App.Example.com', ['https://app.example.com/'])).toBeNull();
    expect(originProblem('https://anything.test', ['*'])).toBeNull();
  });

  it('Host: loopback names (any port) and listed names pass', () => {
    expect(hostProblem('127.0.0.1:8080', [])).toBeNull();
    expect(hostProblem('localhost', [])).toBeNull();
    expect(hostProblem('[::1]:8080', [])).toBeNull();
    expect(hostProblem(null, [])).toBeNull();
    expect(hostProblem('evil.example:8080', [])).toMatch(/not allowed/);
    expect(hostProblem('gw.internal:8080', ['gw.internal'])).toBeNull();
  });

  it('bearer token: exact match only', async () => {
    const ok = bearerChecker('s3cret');
    expect(await ok('Bearer s3cret')).toBe(true);
    expect(await ok('bearer   s3cret ')).toBe(true);
    for (const bad of [null, '', 'Bearer', 'Bearer s3cre', 'Bearer s3crett', 'Basic s3cret', 's3cret', 'Bearer S3CRET']) expect(await ok(bad), String(bad)).toBe(false);
  });

  it('MCP-Protocol-Version: absent or supported', () => {
    expect(protocolProblem(null)).toBeNull();
    expect(protocolProblem('2025-06-18')).toBeNull();
    expect(protocolProblem('2025-03-26')).toBeNull();
    expect(protocolProblem('2099-01-01')).toMatch(/Unsupported MCP-Protocol-Version "2099-01-01" \(supported: /);
  });

  it('reads a body under the limit, refuses one over it (declared or not)', async () => {
    const req = (body: string, headers: Record<string, string> = {}) => new Request('http://x/', { method: 'POST', body, headers });
    expect(await readBody(req('{"a":1}'), 10)).toEqual({ text: '{"a":1}' });
    expect(await readBody(req('x'.repeat(11)), 10)).toEqual({ tooLarge: 11 });
    expect(await readBody(req('é'.repeat(6)), 10)).toEqual({ tooLarge: 12 }); // bytes, not characters
    const stream = new ReadableStream({ start: (c) => { c.enqueue(new Uint8Array(8)); c.enqueue(new Uint8Array(8)); c.close(); } });
    expect(await readBody(new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit), 10)).toEqual({ tooLarge: 16 });
  });
});

describe('Streamable HTTP upstream channel', () => {
  type Call = { method: string; headers: Record<string, string>; body?: string };
  /** A scripted server: `answer` decides each response. */
  function harness(answer: (c: Call, n: number) => Response | Promise<Response>) {
    const calls: Call[] = [];
    const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
      const c: Call = { method: init?.method ?? 'GET', headers: Object.fromEntries((new Headers(init?.headers) as unknown as Iterable<[string, string]>)), body: init?.body as string | undefined };
      calls.push(c);
      return answer(c, calls.length);
    }) as typeof fetch;
    const cfg = UpstreamSchema.parse({ name: 'remote', url: 'http://127.0.0.1:1/mcp', headers: { 'X-Key': 'k1' } });
    const ch = new HttpUpstreamChannel(cfg, { logger: quiet, maxBytes: 1 << 20, fetch: fetchFn, retryMs: 10 });
    const lines: any[] = [];
    const exits: string[] = [];
    ch.onLine = (l) => lines.push(JSON.parse(l));
    ch.onExit = (r) => exits.push(r);
    return { ch, calls, lines, exits };
  }
  /** The channel works asynchronously (fetch, SSE parsing): wait for what it must have done. */
  const lines = (h: { lines: unknown[] }, n: number) => until(() => h.lines.length >= n, `${n} line(s) from the channel`, 30_000, 5);
  const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
  const initResult = { jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-03-26', capabilities: {} } };

  it('handles JSON and SSE answers, and sends the session id and the negotiated version after initialize', async () => {
    const h = harness((c) => {
      if (c.method === 'GET') return new Response(null, { status: 405 });
      const m = JSON.parse(c.body!);
      if (m.method === 'initialize') return Response.json(initResult, { headers: { 'mcp-session-id': 'sess-1' } });
      if (!('id' in m)) return new Response(null, { status: 202 });
      const sse = sseEvent({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } }) + sseEvent({ jsonrpc: '2.0', id: m.id, result: { ok: true } });
      return new Response(sse, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
    });
    await h.ch.start();
    h.ch.send(INIT);
    await lines(h, 1);
    h.ch.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    h.ch.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    await lines(h, 3);
    await until(() => h.calls.some((c) => c.method === 'GET'), 'the GET stream to be tried', 30_000, 5);
    expect(h.lines).toEqual([initResult, { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } }, { jsonrpc: '2.0', id: 2, result: { ok: true } }]);
    expect(h.calls[0].headers).toMatchObject({ 'x-key': 'k1', accept: 'application/json, text/event-stream', 'content-type': 'application/json' });
    expect(h.calls[0].headers['mcp-session-id']).toBeUndefined();
    for (const c of h.calls.slice(1)) expect(c.headers).toMatchObject({ 'x-key': 'k1', 'mcp-session-id': 'sess-1', 'mcp-protocol-version': '2025-03-26' });
    expect(h.calls.some((c) => c.method === 'GET')).toBe(true); // the GET stream was tried (405: none)
    await h.ch.close();
    expect(h.calls.at(-1)).toMatchObject({ method: 'DELETE', headers: { 'mcp-session-id': 'sess-1' } });
  });

  it('fails one request on an HTTP error, and ends the channel when the session expired (404)', async () => {
    const h = harness((c) => {
      const m = c.body ? JSON.parse(c.body) : {};
      if (m.method === 'initialize') return Response.json(initResult, { headers: { 'mcp-session-id': 's' } });
      if (m.method === 'boom') return new Response('upstream exploded', { status: 500 });
      if (m.method === 'auth') return new Response('no', { status: 401 });
      return new Response('gone', { status: 404 });
    });
    await h.ch.start();
    h.ch.send(INIT);
    await lines(h, 1);
    h.ch.send(JSON.stringify({ jsonrpc: '2.0', id: 'b', method: 'boom' }));
    h.ch.send(JSON.stringify({ jsonrpc: '2.0', id: 'a', method: 'auth' }));
    await lines(h, 3);
    expect(h.lines[1]).toMatchObject({ id: 'b', error: { code: -32003, message: 'upstream remote answered HTTP 500: upstream exploded' } });
    expect(h.lines[2].error.message).toMatch(/HTTP 401 \(check the upstream's headers/);
    expect(h.exits).toEqual([]);
    h.ch.send(JSON.stringify({ jsonrpc: '2.0', id: 'c', method: 'tools/list' }));
    await until(() => h.exits.length > 0, 'the channel to end', 30_000, 5);
    expect(h.exits).toEqual(['session expired (HTTP 404)']);
  });

  it('reports an unreachable server as the upstream going away', async () => {
    const h = harness(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    });
    await h.ch.start();
    h.ch.send(INIT);
    await until(() => h.exits.length > 0, 'the channel to end', 30_000, 5);
    expect(h.exits).toEqual(['cannot reach http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1']);
  });

  it('refuses a url that is not http(s)', async () => {
    const cfg = UpstreamSchema.parse({ name: 'x', url: 'ftp://127.0.0.1/mcp' });
    await expect(new HttpUpstreamChannel(cfg, { logger: quiet, maxBytes: 100 }).start()).rejects.toThrow(/must be http:\/\/ or https:\/\//);
  });
});
