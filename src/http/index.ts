/**
 * The HTTP gateway: MCP's Streamable HTTP transport in front of the
 * gateway's upstreams, as a Hono app.
 *
 * - app.ts        the app: a plain `fetch` handler (Web APIs only)
 * - session.ts    one client session: its Gateway and the routing of its streams
 * - sessions.ts   all sessions: bounded creation, idle expiry, summed stats
 * - guards.ts     Origin/Host, bearer token, protocol version, body size
 * - sse-writer.ts an outgoing SSE stream as a Response body
 * - serve.ts      the contract of a runtime's serve shim
 * - serve-node.ts, serve-deno.ts, serve-bun.ts   the shims (tiny)
 * - run.ts        `raxe mcp gateway --listen http`: the app wired to this machine
 *
 * Embedding (any runtime):
 *
 *   const gw = createHttpGateway({ config, scanner, logger });
 *   Deno.serve(gw.fetch);            // or Bun.serve({ fetch: gw.fetch }), or a shim
 */
export { createHttpGateway } from './app.js';
export type { HttpGateway, HttpGatewayOptions } from './app.js';
export { HttpSession, Exchange } from './session.js';
export { SessionStore } from './sessions.js';
export { bearerChecker, hostProblem, isLoopback, originProblem, protocolProblem, readBody } from './guards.js';
export { SseWriter } from './sse-writer.js';
export type { ConnInfo, FetchHandler, RunningServer, Serve, ServeOptions } from './serve.js';
