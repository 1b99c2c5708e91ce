/** `raxe mcp serve`, gateway, audit, pins and generate-config: the command specs. Their code is in mcp-run.ts, imported on use, so `raxe scan` never compiles the MCP SDK or the gateway. */
import { NO_L2_OPTION, RULES_OPTION, type CommandSpec, type OptionSpec } from './command.js';

const run = () => import('./mcp-run.js');

const LOG_LEVEL: OptionSpec = { flags: '--log-level <level>', description: 'debug, info, warn or error (logs go to stderr)', default: 'info' };
const QUIET: OptionSpec = { flags: '-q, --quiet', description: 'No start-up banner or other info lines: warnings and errors only' };

export const mcpCommands: CommandSpec[] = [
  {
    name: 'mcp serve',
    description: 'raxe as an MCP server on stdio: tools scan_prompt, list_threat_families, get_rule_info',
    options: [
      { flags: '--transport <transport>', description: 'Transport: stdio (for HTTP use raxe mcp gateway --listen http)', default: 'stdio' },
      LOG_LEVEL,
      QUIET,
      RULES_OPTION,
      NO_L2_OPTION,
      { flags: '--max-input-bytes <n>', description: 'Largest text scan_prompt accepts, in UTF-8 bytes (1 to 67108864)', default: 1024 * 1024 },
      { flags: '--rate-limit-rpm <n>', description: 'Tool calls per minute; 0 = unlimited', default: 60 },
    ],
    examples: ['raxe mcp serve', 'raxe mcp serve --rules ./my-pack --rate-limit-rpm 120 -q'],
    run: async (_, o) => (await run()).serve(o),
  },
  {
    name: 'mcp gateway',
    description: 'The MCP security gateway: a proxy that scans the traffic between an MCP host and its servers',
    options: [
      { flags: '-u, --upstream <command>', description: 'Upstream MCP server command line (repeatable)' },
      { flags: '-c, --config <path>', description: 'Gateway config file (YAML; see raxe mcp generate-config)' },
      { flags: '--on-threat <action>', description: 'log, block or warn (default: log, or the config file, or RAXE_MCP_GATEWAY_ON_THREAT)' },
      { flags: '--severity-threshold <level>', description: 'LOW, MEDIUM, HIGH or CRITICAL (default: HIGH, or the config file, or RAXE_MCP_GATEWAY_SEVERITY_THRESHOLD)' },
      { flags: '--rate-limit-rpm <n>', description: 'Requests per minute per client and per upstream, 0 = unlimited (default: the config file\'s default_policy; unset: no limit on stdio, 1200 per client over HTTP)' },
      { flags: '--max-message-bytes <n>', description: 'Largest message relayed, in bytes (default: 10485760, or the config file)' },
      NO_L2_OPTION,
      RULES_OPTION,
      { flags: '--listen <mode>', description: 'stdio, or http for Streamable HTTP at /mcp (default: stdio, or the config file)' },
      { flags: '--host <host>', description: 'With --listen http: address to bind (default: 127.0.0.1, or RAXE_MCP_GATEWAY_HOST)' },
      { flags: '--port <port>', description: 'With --listen http: port, 0 picks a free one (default: 8080, or RAXE_MCP_GATEWAY_PORT)' },
      { flags: '-v, --verbose', description: 'Verbose logging (same as --log-level debug)' },
      { flags: '--log-level <level>', description: 'debug, info, warn or error (logs go to stderr; default: info)' },
      QUIET,
    ],
    examples: [
      'raxe mcp gateway -u "npx -y @modelcontextprotocol/server-filesystem@2026.8.31 /tmp" --on-threat block',
      'raxe mcp gateway -c mcp-security.yaml --rate-limit-rpm 600',
      'raxe mcp gateway --listen http --port 8080 -c mcp-security.yaml',
    ],
    run: async (_, o) => (await run()).gateway(o),
  },
  {
    name: 'mcp audit',
    args: '[...files]',
    description: 'Audit MCP client configs (Claude Desktop, Cursor, VS Code...; the usual places when no file is given)',
    options: [
      { flags: '--format <format>', description: 'table, json or sarif', default: 'table' },
      { flags: '--json', description: 'Same as --format json' },
      { flags: '--fail-on <level>', description: 'Exit 1 at or above critical, high, medium, low or info; none: never', default: 'high' },
      { flags: '--scan-tools', description: 'Start each stdio server of the files named and scan its tool, prompt and resource descriptions' },
      { flags: '--allow-risky', description: 'With --scan-tools, also start servers run through a shell, with host privileges, or flagged CRITICAL' },
      { flags: '--timeout <seconds>', description: 'With --scan-tools: time each server gets', default: 15 },
      { flags: '--fix', description: 'Print the configs with every stdio server behind raxe mcp gateway (this raxe, by absolute path)' },
      { flags: '--write', description: 'With --fix: write the files back (the originals are kept as FILE.bak)' },
      RULES_OPTION,
      NO_L2_OPTION,
    ],
    examples: ['raxe mcp audit ~/.config/Claude/claude_desktop_config.json --format sarif', 'raxe mcp audit .cursor/mcp.json --fix --write'],
    run: async ([files], o) => (await import('../audit/node/command.js')).runAudit(files as string[], o),
  },
  {
    name: 'mcp pins',
    args: '[action] [...names]',
    description: 'Review and accept tool-definition changes the gateway flagged: list | diff | accept [UPSTREAM] [TOOL] | reset [UPSTREAM]',
    options: [
      { flags: '-c, --config <path>', description: "Gateway config file: its gateway.state_dir holds the pins, or with gateway.state: redis://... the fleet's pins in Redis (default: the user config dir)" },
      { flags: '--json', description: 'list: output JSON' },
    ],
    examples: ['raxe mcp pins list', 'raxe mcp pins diff filesystem', 'raxe mcp pins accept filesystem read_file'],
    run: async ([action, names], o) => (await import('./pins-command.js')).runPins([action as string, ...((names as string[]) ?? [])].filter((x) => x !== undefined), o),
  },
  {
    name: 'mcp generate-config',
    description: 'Write a sample gateway config (mcp-security.yaml) and print the host entry that runs it',
    options: [
      { flags: '-o, --output <path>', description: 'Where to write it ("-": stdout)', default: 'mcp-security.yaml' },
      { flags: '--force', description: 'Overwrite an existing file' },
    ],
    examples: ['raxe mcp generate-config -o mcp-security.yaml'],
    run: async (_, o) => (await run()).generateConfig(o),
  },
];
