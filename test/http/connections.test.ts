// The HTTP gateway as a server, end to end: connections are capped (in all
// and per address), a client that trickles its headers or its body is cut
// off after seconds (not Node's five minutes), an oversized POST is refused
// with 413 under its own id and counted, and upstreams marked `share: true`
// run once for every session (the counter fixture reports its pid) while the
// others run per session.
import { afterAll, describe, expect, it } from 'vitest';
import { connect as tcp, type Socket } from 'node:net';
import { call, connect, counter, INIT, killAll, POST_HEADERS, removeTemps, rpcError, startGateway, textOf, until } from './helpers.js';

afterAll(() => {
  killAll();
  removeTemps();
});

/** A raw TCP connection to the gateway; `closed` resolves when the server ends it. */
function socket(port: number): Promise<{ s: Socket; closed: Promise<void>; data: () => string }> {
  return new Promise((resolve, reject) => {
    const s = tcp(port, '127.0.0.1');
    let data = '';
    s.on('data', (c) => (data += c.toString('utf8')));
    const closed = new Promise<void>((r) => s.once('close', () => r()));
    s.once('error', () => {});
    s.once('connect', () => resolve({ s, closed, data: () => data }));
    s.once('error', reject);
  });
}

describe('slow clients and connection caps', () => {
  it('cuts a client that trickles its headers, and one that trickles its body (408), after the configured seconds', async () => {
    const gw = await startGateway({ config: { gateway: { http_header_timeout_s: 1, http_body_timeout_s: 1 }, upstreams: [counter] } });
    try {
      const port = Number(new URL(gw.base).port);
      const headers = await socket(port);
      headers.s.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // and never the rest
      const body = await socket(port);
      body.s.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":`);
      await Promise.all([headers.closed, body.closed]); // (vitest's own timeout is the bound: Node alone held them ~5 min)
      expect(body.data()).toMatch(/^HTTP\/1.1 408/);
      await until(async () => (await (await fetch(`${gw.base}/stats`)).json()).http.body_timeouts === 1, 'the body timeout counted');
    } finally {
      await gw.stop();
    }
  });

  it('closes connections past max_connections_per_client as they arrive; the others are served', async () => {
    const gw = await startGateway({ config: { gateway: { max_connections_per_client: 3 }, upstreams: [counter] } });
    try {
      const port = Number(new URL(gw.base).port);
      const open = [await socket(port), await socket(port), await socket(port)];
      const fourth = await socket(port);
      await fourth.closed;
      for (const o of open) o.s.destroy();
      await Promise.all(open.map((o) => o.closed));
      await until(async () => (await fetch(`${gw.base}/healthz`).then((r) => r.status, () => 0)) === 200, 'served again');
    } finally {
      await gw.stop();
    }
  });
});

describe('oversized POST', () => {
  it('is refused 413 under the id it carried (read from its end) and counted in /stats', async () => {
    const gw = await startGateway({ config: { gateway: { max_message_bytes: 100_000 }, upstreams: [counter] } });
    try {
      const sid = (await (await fetch(gw.url, { method: 'POST', headers: POST_HEADERS, body: JSON.stringify(INIT) })).headers.get('mcp-session-id'))!;
      const body = `{"method":"tools/call","params":{"name":"count","arguments":{"pad":"${'x'.repeat(150_000)}"}},"jsonrpc":"2.0","id":"big-1"}`;
      const r = await fetch(gw.url, { method: 'POST', headers: { ...POST_HEADERS, 'mcp-session-id': sid }, body });
      expect(r.status).toBe(413);
      expect(await r.json()).toMatchObject({ id: 'big-1', error: { code: -32004 } });
      const stats = await (await fetch(`${gw.base}/stats`)).json();
      expect(stats.oversized_messages).toBe(1);
    } finally {
      await gw.stop();
    }
  });
});

describe('shared upstreams', () => {
  it('share: true runs one process for every session; the others get their own', async () => {
    const gw = await startGateway({ config: { upstreams: [{ ...counter, share: true }, { ...counter, name: 'own' }] } });
    try {
      const [a, b] = await Promise.all([connect(gw.url), connect(gw.url)]);
      const pid = async (c: typeof a, tool: string) => JSON.parse(textOf(await call(c, tool))).pid as number;
      const tools = (await a.client.listTools()).tools.map((t) => t.name).sort();
      expect(tools).toEqual(['counter__count', 'counter__hold', 'counter__wait', 'own__count', 'own__hold', 'own__wait']);
      expect(await pid(a, 'counter__count')).toBe(await pid(b, 'counter__count'));
      expect(await pid(a, 'own__count')).not.toBe(await pid(b, 'own__count'));
      // each session's calls are answered to it, concurrently, through the one process
      const results = await Promise.all([...Array(20)].map((_, i) => call(i % 2 ? a : b, 'counter__wait', { ms: 1 + (i % 3) })));
      expect(results.map(textOf).every((t) => /^waited \d ms$/.test(t))).toBe(true);
      const stats = await (await fetch(`${gw.base}/stats`)).json();
      expect(stats.shared_upstreams.counter).toMatchObject({ state: 'ready', sessions: 2 });
      // closing one session leaves the shared process to the other
      await a.close();
      expect(await pid(b, 'counter__count')).toBeGreaterThan(0);
      await b.close();
    } finally {
      await gw.stop();
    }
  });

  it('a shared upstream offers no subscriptions and is not asked for the host\'s capabilities', async () => {
    const gw = await startGateway({ config: { upstreams: [{ name: 'everything', command: process.execPath, args: [(await import('./helpers.js')).EVERYTHING, 'stdio'], share: true }] } });
    try {
      const c = await connect(gw.url, { capabilities: { sampling: {}, roots: {} } });
      expect(c.client.getServerCapabilities()?.resources?.subscribe).toBeUndefined();
      const e = await rpcError(c.client.subscribeResource({ uri: 'demo://resource/static/document/architecture.md' }));
      expect(e.code).toBe(-32601);
      // sampling: the shared server was told no host can sample, so its tool fails without asking this one
      let asked = 0;
      c.client.setRequestHandler((await import('@modelcontextprotocol/sdk/types.js')).CreateMessageRequestSchema, async () => {
        asked++;
        return { role: 'assistant', content: { type: 'text', text: 'x' }, model: 'm' };
      });
      await call(c, 'trigger-sampling-request', { prompt: 'hi', maxTokens: 5 }).catch(() => null);
      expect(asked).toBe(0);
      await c.close();
    } finally {
      await gw.stop();
    }
  });
});
