// The Streamable HTTP transport rules of `raxe mcp gateway --listen http`,
// with raw fetch against the real server (server-everything and a counter
// fixture as stdio upstreams): the session lifecycle, status codes, Origin and
// Host checks, the size limit, SSE answers, GET streams, idle expiry.
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTACK, INIT, PROTOCOL, alive, counter, everything, inSession, killAll, messagesOf, post, rawSession, removeTemps, startGateway, tempDir, until,
  type HttpGw,
} from './helpers.js';

let gw: HttpGw; // everything + counter, block, 64 KiB limit
let open: HttpGw; // counter; allowed_origins configured; sessions idle for 1.5 s expire

const call = (id: number | string, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
});

beforeAll(async () => {
  [gw, open] = await Promise.all([
    startGateway({
      config: {
        gateway: { max_message_bytes: 65536, default_policy: { on_threat: 'block', rate_limit_rpm: 0 } },
        upstreams: [everything, counter],
      },
    }),
    startGateway({
      config: { gateway: { allowed_origins: ['https://app.example.com'], session_idle_s: 1.5, default_policy: { rate_limit_rpm: 0 } }, upstreams: [counter] },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([gw?.stop(), open?.stop()]);
  killAll();
  removeTemps();
});

describe('session lifecycle', () => {
  it('issues Mcp-Session-Id on initialize and requires it after', async () => {
    const res = await post(gw.url, INIT);
    expect(res.status).toBe(200);
    const sid = res.headers.get('mcp-session-id');
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    const [init] = await messagesOf(res);
    expect(init.result.serverInfo.name).toBe('raxe-mcp-gateway');
    expect(init.result.protocolVersion).toBe(PROTOCOL);

    // reuse: the same session answers
    const list = await post(gw.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, inSession(sid!));
    expect(list.status).toBe(200);
    const [tools] = await messagesOf(list);
    expect(tools.result.tools.map((t: any) => t.name)).toEqual(expect.arrayContaining(['echo', 'count']));

    // missing: 400; unknown: 404
    const missing = await post(gw.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.message).toMatch(/Mcp-Session-Id/);
    const unknown = await post(gw.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, inSession('00000000-0000-4000-8000-000000000000'));
    expect(unknown.status).toBe(404);

    // DELETE ends it: 404 after
    const del = await fetch(gw.url, { method: 'DELETE', headers: inSession(sid!) });
    expect(del.status).toBe(200);
    const after = await post(gw.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, inSession(sid!));
    expect(after.status).toBe(404);
    const delAgain = await fetch(gw.url, { method: 'DELETE', headers: inSession(sid!) });
    expect(delAgain.status).toBe(404);
  });

  it('refuses initialize inside a session or in a batch', async () => {
    const sid = await rawSession(gw.url);
    expect((await post(gw.url, { ...INIT, id: 9 }, inSession(sid))).status).toBe(400);
    expect((await post(gw.url, [INIT, { jsonrpc: '2.0', method: 'notifications/initialized' }])).status).toBe(400);
    await fetch(gw.url, { method: 'DELETE', headers: inSession(sid) });
  });

  it('answers notifications and responses with 202, and checks MCP-Protocol-Version', async () => {
    const sid = await rawSession(gw.url);
    const note = await post(gw.url, { jsonrpc: '2.0', method: 'notifications/roots/list_changed' }, inSession(sid));
    expect(note.status).toBe(202);
    expect(await note.text()).toBe('');
    const resp = await post(gw.url, { jsonrpc: '2.0', id: 'nobody-asked', result: {} }, inSession(sid));
    expect(resp.status).toBe(202);
    const bad = await post(gw.url, { jsonrpc: '2.0', id: 1, method: 'ping' }, inSession(sid, { 'mcp-protocol-version': '1999-01-01' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/Unsupported MCP-Protocol-Version "1999-01-01"/);
    // absent: 2025-03-26 is assumed
    const none = await post(gw.url, { jsonrpc: '2.0', id: 2, method: 'ping' }, { 'mcp-session-id': sid });
    expect(none.status).toBe(200);
    await fetch(gw.url, { method: 'DELETE', headers: inSession(sid) });
  });

  it('expires idle sessions (404 after) and releases their upstream processes', async () => {
    const sid = await rawSession(open.url);
    const [r] = await messagesOf(await post(open.url, call(1, 'count'), inSession(sid)));
    const { pid } = JSON.parse(r.result.content[0].text);
    expect(alive(pid)).toBe(true);
    // a request in flight keeps the session alive past its idle limit
    const [w] = await messagesOf(await post(open.url, call(2, 'wait', { ms: 2500 }), inSession(sid)));
    expect(w.result.content[0].text).toBe('waited 2500 ms');
    // then idle for longer than session_idle_s (1.5 s; swept every 0.75 s): wait for the sweep
    // to end it, watching /stats (which does not touch the session) — not the clock
    await until(async () => {
      const s = (await (await fetch(`${open.base}/stats`)).json()).sessions;
      return s.expired >= 1 && s.active === 0;
    }, 'the idle session to expire', 60_000, 100);
    const after = await post(open.url, call(3, 'count'), inSession(sid));
    expect(after.status).toBe(404);
    await until(() => !alive(pid), `the expired session's upstream (pid ${pid}) to exit`, 60_000);
    const stats = await (await fetch(`${open.base}/stats`)).json();
    expect(stats.sessions.expired).toBeGreaterThanOrEqual(1);
  });
});

describe('HTTP rules', () => {
  it('405 for other methods, 406 without an acceptable type, 415 without JSON, 400 for bad JSON', async () => {
    const put = await fetch(gw.url, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
    expect((await fetch(gw.url, { method: 'HEAD' })).status).toBe(405);
    expect((await post(gw.url, INIT, { accept: 'text/html' })).status).toBe(406);
    expect((await post(gw.url, INIT, { 'content-type': 'text/plain' })).status).toBe(415);
    const bad = await post(gw.url, '{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe(-32700);
    const notRpc = await post(gw.url, { hello: 'world' });
    expect(notRpc.status).toBe(400);
    expect((await notRpc.json()).error.code).toBe(-32600);
    expect((await fetch(`${gw.base}/nope`)).status).toBe(404);
  });

  it('413 for a body over max_message_bytes, whether declared or streamed', async () => {
    const sid = await rawSession(gw.url);
    const text = (n: number) => 'The quarterly report is attached. '.repeat(Math.ceil(n / 34)).slice(0, n);
    const big = JSON.stringify(call(1, 'echo', { message: text(70_000) }));
    const declared = await post(gw.url, big, inSession(sid));
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe(-32004);
    // chunked, without Content-Length: cut off while reading
    const bytes = new TextEncoder().encode(big);
    const body = new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 8192) c.enqueue(bytes.subarray(i, i + 8192));
        c.close();
      },
    });
    const streamed = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...inSession(sid) }, body, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    // under the limit: fine
    const [ok] = await messagesOf(await post(gw.url, call(2, 'echo', { message: text(60_000) }), inSession(sid)));
    expect(ok.result.content[0].text).toBe(`Echo: ${text(60_000)}`);
    await fetch(gw.url, { method: 'DELETE', headers: inSession(sid) });
  });

  it('answers requests as SSE (progress first) or JSON, as Accept allows', async () => {
    const sid = await rawSession(gw.url);
    const sse = await post(gw.url, call(1, 'trigger-long-running-operation', { duration: 0.6, steps: 3 }, { progressToken: 'tok' }), inSession(sid));
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await messagesOf(sse);
    expect(events.map((m) => m.method ?? 'response')).toEqual(['notifications/progress', 'notifications/progress', 'notifications/progress', 'response']);
    expect(events.slice(0, 3).map((m) => [m.params.progressToken, m.params.progress])).toEqual([['tok', 1], ['tok', 2], ['tok', 3]]);
    expect(events[3].id).toBe(1);
    // JSON only
    const json = await post(gw.url, call(2, 'echo', { message: 'hi' }), inSession(sid, { accept: 'application/json' }));
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await json.json()).result.content[0].text).toBe('Echo: hi');
    // a batch (2025-03-26) answered as one JSON array
    const batch = await post(gw.url, [call('a', 'echo', { message: '1' }), { jsonrpc: '2.0', id: 'b', method: 'ping' }], inSession(sid, { accept: 'application/json' }));
    const answers = await batch.json();
    expect(answers.map((m: any) => m.id).sort()).toEqual(['a', 'b']);
    // an injected call is blocked over HTTP too
    const [blocked] = await messagesOf(await post(gw.url, call(3, 'echo', { message: ATTACK }), inSession(sid)));
    expect(blocked.error.code).toBe(-32001);
    expect(JSON.stringify(blocked)).not.toContain('system prompt'); // no matched text
    await fetch(gw.url, { method: 'DELETE', headers: inSession(sid) });
  });

  it('refuses a request id already in flight in the session', async () => {
    const sid = await rawSession(gw.url);
    // request 7 is held by the upstream until the test releases it: in flight for sure
    const gate = join(tempDir(), 'release');
    const first = post(gw.url, call(7, 'hold', { file: gate }), inSession(sid));
    await until(() => existsSync(`${gate}.held`), 'request 7 to reach the upstream', 60_000, 20);
    const dup = await post(gw.url, call(7, 'echo', { message: 'x' }), inSession(sid));
    expect(dup.status).toBe(400);
    writeFileSync(gate, '');
    const [ok] = await messagesOf(await first);
    expect(ok.result.content[0].text).toBe('released');
    await fetch(gw.url, { method: 'DELETE', headers: inSession(sid) });
  });

  it('serves one GET stream per session (409 for a second), which gets server notifications', async () => {
    const sid = await rawSession(gw.url);
    const ac = new AbortController();
    const get = await fetch(gw.url, { headers: inSession(sid, { accept: 'text/event-stream' }), signal: ac.signal });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const second = await fetch(gw.url, { headers: inSession(sid, { accept: 'text/event-stream' }) });
    expect(second.status).toBe(409);
    expect((await fetch(gw.url, { headers: inSession(sid, { accept: 'application/json' }) })).status).toBe(406);
    // server-everything logs to the client when asked: those notifications come on the GET stream
    const reader = get.body!.getReader();
    let seen = '';
    const reading = (async () => {
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        seen += dec.decode(value);
        if (seen.includes('notifications/message')) return;
      }
    })();
    await messagesOf(await post(gw.url, call(1, 'toggle-simulated-logging'), inSession(sid)));
    await until(() => seen.includes('notifications/message'), 'a log notification on the GET stream', 60_000);
    ac.abort();
    await reading.catch(() => {});
    await fetch(gw.url, { method: 'DELETE', headers: inSession(sid) });
  });
});

describe('Origin and Host (DNS rebinding)', () => {
  it('accepts no Origin and loopback origins; refuses others with 403', async () => {
    expect((await post(gw.url, INIT, { origin: 'http://localhost:6274' })).status).toBe(200);
    expect((await post(gw.url, INIT, { origin: 'http://127.0.0.1' })).status).toBe(200);
    const evil = await post(gw.url, INIT, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.message).toMatch(/Origin "http:\/\/evil.example" is not allowed/);
    expect((await post(gw.url, INIT, { origin: 'null' })).status).toBe(403);
    // /stats and /healthz too
    expect((await fetch(`${gw.base}/stats`, { headers: { origin: 'https://attacker.test' } })).status).toBe(403);
  });

  it('accepts the configured allowed_origins, with CORS headers', async () => {
    const res = await post(open.url, INIT, { origin: 'https://app.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/mcp-session-id/);
    await messagesOf(res);
    const pre = await fetch(open.url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/mcp-session-id/);
    expect((await post(open.url, INIT, { origin: 'https://other.example.com' })).status).toBe(403);
  });

  it('refuses a foreign Host header (a re-bound name) on the loopback listener', async () => {
    const port = Number(new URL(gw.base).port);
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/stats', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status(`evil.example:${port}`)).toBe(403);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
  });
});

describe('health and stats', () => {
  it('GET /healthz and GET /stats (aggregated over sessions)', async () => {
    const h = await (await fetch(`${gw.base}/healthz`)).json();
    expect(h.status).toBe('ok');
    const s = await (await fetch(`${gw.base}/stats`)).json();
    expect(s.requests_total).toBeGreaterThan(5);
    expect(s.requests_blocked).toBeGreaterThanOrEqual(1);
    expect(s.upstreams.everything.requests).toBeGreaterThan(0);
    expect(s.upstreams.everything.blocked).toBeGreaterThanOrEqual(1);
    expect(s.sessions.created).toBeGreaterThan(3);
    expect(s.http.request_latency_ms.count).toBeGreaterThan(0);
    expect(s.http.responses_by_status['200']).toBeGreaterThan(0);
  });
});
