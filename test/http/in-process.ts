// The HTTP gateway app in process, as a plain fetch handler (no server, no
// processes): upstreams are SDK servers on in-memory transports, the clock
// is injected. Shared by app.test.ts and sessions.test.ts.
import { expect } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { createHttpGateway, type HttpGateway } from '../../src/http/app.js';
import { GatewayFileSchema } from '../../src/mcp/gateway/config.js';
import type { UpstreamChannel } from '../../src/mcp/gateway/upstream.js';
import { createLogger } from '../../src/mcp/log.js';
import { loadScanner } from '../../src/cli/load-scanner.js';
import { INIT, PROTOCOL } from './helpers.js';

export const quiet = createLogger('error', () => {});
const { scanner } = await loadScanner([], { l2: false });

/** What the tests see of the upstreams: closes, pauses, and the calls of `wait` still open. */
export interface Upstreams {
  closed: string[];
  /** True while the gateway is not reading this channel (backpressure). */
  paused: boolean[];
  /** Releases every `wait` call in flight. */
  release(): void;
  /** `wait` calls in flight. */
  waiting: number;
}

/**
 * An upstream: an SDK server over an in-memory pair. Tools: echo {text},
 * notify (a list_changed), wait (answers when released), flood {count, kb}
 * (log messages of kb KiB to the host, then "flooded"). The channel buffers
 * what the server sends while the gateway has paused it.
 */
function memoryChannel(u: Upstreams): UpstreamChannel {
  const server = new McpServer({ name: 'memory', version: '1.0.0' }, { capabilities: { logging: {} } });
  const waiters: Array<() => void> = [];
  const prev = u.release;
  u.release = () => {
    prev();
    for (const w of waiters.splice(0)) w();
  };
  server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('notify', {}, async () => {
    server.sendToolListChanged();
    return { content: [{ type: 'text', text: 'sent' }] };
  });
  server.registerTool('wait', {}, () => new Promise((r) => {
    u.waiting++;
    waiters.push(() => {
      u.waiting--;
      r({ content: [{ type: 'text', text: 'released' }] });
    });
  }));
  server.registerTool('flood', { inputSchema: { count: z.number(), kb: z.number() } }, async ({ count, kb }) => {
    for (let i = 0; i < count; i++) await server.server.sendLoggingMessage({ level: 'info', data: `${i} ${'x'.repeat(kb * 1024)}` });
    return { content: [{ type: 'text', text: 'flooded' }] };
  });
  const [mine, theirs] = InMemoryTransport.createLinkedPair();
  const slot = u.paused.length;
  u.paused.push(false);
  let held: JSONRPCMessage[] = [];
  const ch: UpstreamChannel = {
    async start() {
      mine.onmessage = (m) => (u.paused[slot] ? held.push(m) : ch.onLine?.(JSON.stringify(m)));
      await server.connect(theirs);
      await mine.start();
    },
    send: (line) => void mine.send(JSON.parse(line)),
    pause: () => void (u.paused[slot] = true),
    resume: () => {
      u.paused[slot] = false;
      const out = held;
      held = [];
      for (const m of out) ch.onLine?.(JSON.stringify(m));
    },
    async close() {
      u.closed.push('closed');
      await server.close();
    },
  };
  return ch;
}

export type Harness = ReturnType<typeof make>;

let current: HttpGateway | undefined;
/** Closes the gateway the last make() built (call in afterEach). */
export async function closeCurrent(): Promise<void> {
  await current?.close();
  current = undefined;
}

/** A gateway in front of the memory upstream; `over` goes into `gateway:`, `upstream` into the upstream entry. */
export function make(over: Record<string, unknown> = {}, opts: Partial<Parameters<typeof createHttpGateway>[0]> = {}, upstream: Record<string, unknown> = {}) {
  const ups: Upstreams = { closed: [], paused: [], release: () => {}, waiting: 0 };
  let clock = 1_000_000;
  const config = GatewayFileSchema.parse({
    gateway: { listen: 'http', default_policy: { on_threat: 'block', rate_limit_rpm: 0 }, ...over },
    upstreams: [{ name: 'mem', command: 'unused', ...upstream }],
  });
  const g = createHttpGateway({ config, scanner, logger: quiet, stdioChannel: () => memoryChannel(ups), now: () => clock, keepAliveMs: 0, ...opts });
  current = g;
  const req = (method: string, body?: unknown, headers: Record<string, string> = {}, address = '127.0.0.1') =>
    g.fetch(new Request('http://127.0.0.1:8080/mcp', {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }), { remoteAddress: address });
  const init = async (address = '127.0.0.1') => {
    const r = await req('POST', INIT, {}, address);
    expect(r.status).toBe(200);
    await r.text();
    return r.headers.get('mcp-session-id')!;
  };
  const h = (sid: string) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL });
  const call = (sid: string, id: number, name: string, args: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    req('POST', { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }, { ...h(sid), ...headers });
  return { g, ups, closed: ups.closed, req, init, h, call, advance: (ms: number) => (clock += ms) };
}
