// The HTTP gateway's fetch app in front of a Streamable HTTP server, on Deno or Bun:
//   deno run -A http-gateway.mjs http://127.0.0.1:9000/mcp      (or: bun http-gateway.mjs URL)
// then point the MCP host at http://127.0.0.1:8080/mcp
import { createScanner } from 'raxe';
import { createHttpGateway, GatewayConfig } from 'raxe/http';

const config = GatewayConfig.from({ upstreams: [{ name: 'docs', url: process.argv[2] ?? 'http://127.0.0.1:9000/mcp' }] });
const gateway = createHttpGateway({ config, scanner: await createScanner() });
const port = Number(globalThis.process?.env?.PORT ?? 8080);
if (globalThis.Deno) Deno.serve({ hostname: '127.0.0.1', port }, (req, info) => gateway.fetch(req, { remoteAddress: info.remoteAddr.hostname }));
else Bun.serve({ hostname: '127.0.0.1', port, fetch: (req, server) => gateway.fetch(req, { remoteAddress: server.requestIP(req)?.address }) });
console.error(`raxe HTTP gateway on http://127.0.0.1:${port}/mcp`);
