// Clients for bench/soak.js: a fetch over node:http from a chosen loopback
// address (so the gateway sees distinct clients: 127.0.0.1 normal,
// 127.0.0.2.. hostile), the official SDK client on it, and the raw requests
// the hostile loops send.
import { request } from 'node:http';
import { connect as tcp } from 'node:net';
import { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const PROTOCOL = '2025-06-18';
export const INIT = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'soak', version: '1' } } };
export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A fetch whose connections come from `localAddress` (bodies stream: SSE works). */
export function fetchFrom(localAddress) {
  return (input, init = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input.url ?? String(input));
      const headers = Object.fromEntries(new Headers(init.headers ?? {}));
      const onAbort = () => req.destroy(new DOMException('aborted', 'AbortError'));
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? 'GET', headers, localAddress }, (res) => {
        res.once('close', () => init.signal?.removeEventListener('abort', onAbort));
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        const nobody = res.statusCode === 204 || res.statusCode === 304 || (init.method ?? 'GET') === 'HEAD';
        resolve(new Response(nobody ? null : Readable.toWeb(res), { status: res.statusCode, headers: h }));
      });
      req.on('error', (e) => {
        init.signal?.removeEventListener('abort', onAbort);
        reject(e);
      });
      init.signal?.addEventListener('abort', onAbort, { once: true });
      req.end(init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body));
    });
}

/** The SDK client over Streamable HTTP from `localAddress`. */
export async function sdkClient(url, localAddress, name = 'soak') {
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: fetchFrom(localAddress) });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    async close() {
      await transport.terminateSession().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}

/** One POST from `localAddress`; resolves with status and the body text (or '' when `drop` aborts it after the headers). */
export async function post(url, localAddress, body, headers = {}, drop = false) {
  const ac = new AbortController();
  const res = await fetchFrom(localAddress)(url, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body), signal: ac.signal });
  if (drop) {
    ac.abort();
    return { status: res.status, text: '', sid: res.headers.get('mcp-session-id') };
  }
  return { status: res.status, text: await res.text().catch(() => ''), sid: res.headers.get('mcp-session-id') };
}

/** A raw session: initialize + initialized; the session id. */
export async function rawSession(url, localAddress) {
  const r = await post(url, localAddress, INIT);
  if (r.status !== 200 || !r.sid) return null;
  await post(url, localAddress, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': r.sid, 'mcp-protocol-version': PROTOCOL });
  return r.sid;
}

/** Opens a GET stream and never reads it; returns a function that closes it. */
export async function unreadStream(url, localAddress, sid) {
  const ac = new AbortController();
  const res = await fetchFrom(localAddress)(url, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL }, signal: ac.signal });
  return { status: res.status, close: () => ac.abort() };
}

/** A connection that sends headers and a little of its body, then nothing; resolves when the server ends it. */
export function slowBody(port, localAddress) {
  return new Promise((resolve) => {
    const s = tcp({ port, host: '127.0.0.1', localAddress });
    let data = '';
    s.on('data', (c) => (data += c));
    s.on('error', () => {});
    s.on('connect', () => s.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: 5000\r\n\r\n{"jsonrpc":`));
    s.on('close', () => resolve(data.slice(0, 12)));
  });
}
