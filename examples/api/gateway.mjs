// The MCP security gateway on stdio in front of one server, blocking threats:
//   node gateway.mjs node ./my-server.js
// (GatewayConfig.load('mcp-security.yaml') reads a config file instead)
import { createGateway, GatewayConfig } from 'raxe/mcp';

const [command, ...args] = process.argv.slice(2);
const config = GatewayConfig.from({
  gateway: { default_policy: { on_threat: 'block', severity_threshold: 'HIGH' }, l2_enabled: false },
  upstreams: [{ name: 'tools', command, args }],
});
const gateway = await createGateway(config, { logLevel: 'warn' });
await gateway.run(); // until the host closes stdin
const stats = gateway.getStats();
console.error(`requests blocked: ${stats.requests_blocked}, threats detected: ${stats.threats_detected}`);
