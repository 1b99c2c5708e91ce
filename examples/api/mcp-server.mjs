// raxe's MCP server (scan_prompt, list_threat_families, get_rule_info) on stdio,
// as `raxe mcp serve` runs it: point an MCP host at `node mcp-server.mjs`
import { createServer } from 'raxe/mcp';

const server = await createServer({ logLevel: 'warn' }); // logs go to stderr
await server.run(); // until the host closes stdin
