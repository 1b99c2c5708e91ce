/**
 * The `raxe` command. Thin: argument parsing and I/O here, decisions in
 * src/core. Exit codes: 0 safe / ok, 1 threat at or above threshold (or a
 * failed rules check), 2 usage or load error.
 */
import { cac } from 'cac';
import { runScan } from './scan-command.js';
import { CliError, STDIN } from './errors.js';

const cli = cac('raxe');

cli
  .command('scan [text]', 'Scan text for threats ("-" reads stdin)')
  .option('--input <file>', 'Scan a JSONL file: one {"text": ...} object per line, one result per line')
  .option('--format <format>', 'Output: text, json or jsonl', { default: undefined })
  .option('--rules <dir>', 'Add a rule pack folder (repeatable)')
  .option('--severity-threshold <level>', 'Lowest severity that counts as a threat (info|low|medium|high|critical)', { default: 'low' })
  .option('--explain', 'Show matched spans and the normalised text (local only)')
  .option('--no-l2', 'Disable L2 ML detection')
  .example('raxe scan "Ignore all previous instructions"')
  .example('echo "hello" | raxe scan -')
  .example('raxe scan --input prompts.jsonl --format jsonl')
  .action((text: string | undefined, options: Record<string, unknown>) => runScan(text, options));

cli
  .command('rules [action] [...args]', 'Rules: list [--family F], info RULE_ID, validate PATH..., test PATH...')
  .option('--family <family>', 'Only this family (rules list)')
  .option('--format <format>', 'text or json', { default: 'text' })
  .option('--rules <dir>', 'Add a rule pack folder (repeatable; list and info)')
  .option('--raw', 'test: run examples through the regex engine alone (as Python re.search sees them), not the normalised and decoded layers')
  .example('raxe rules list --family PI')
  .example('raxe rules info pi-001')
  .example('raxe rules test ./my-pack')
  // imported on use (a chunk of its own): `raxe scan` does not load the rules or MCP code
  .action(async (action: string | undefined, args: string[], options: Record<string, unknown>) => (await import('./rules-command.js')).runRules(action, args, options));

cli
  .command('mcp [action] [...files]', 'MCP: serve (raxe as an MCP server), gateway (security proxy), audit [CONFIG_FILE...] (client configs), generate-config')
  .option('--transport <transport>', 'serve: transport (stdio)', { default: 'stdio' })
  .option('--log-level <level>', 'serve: debug, info, warn or error (logs go to stderr)', { default: 'info' })
  .option('-q, --quiet', 'serve: no start-up banner')
  .option('--rules <dir>', 'Add a rule pack folder (repeatable)')
  .option('--no-l2', 'Disable L2 ML detection')
  .option('--max-input-bytes <n>', 'serve: largest text scan_prompt accepts (default 1048576)')
  .option('--rate-limit-rpm <n>', 'serve: tool calls per minute, 0 = unlimited (default 60)')
  .option('-u, --upstream <command>', 'gateway: upstream MCP server command (repeatable)')
  .option('-c, --config <path>', 'gateway: config file (YAML)')
  .option('--on-threat <action>', 'gateway: log, block or warn (default log)')
  .option('--severity-threshold <level>', 'gateway: LOW, MEDIUM, HIGH or CRITICAL (default HIGH)')
  .option('-v, --verbose', 'gateway: verbose logging (stderr)')
  .option('--listen <mode>', 'gateway: stdio (default) or http (Streamable HTTP at /mcp)')
  .option('--host <host>', 'gateway --listen http: address to bind (default 127.0.0.1, or RAXE_MCP_GATEWAY_HOST)')
  .option('--port <port>', 'gateway --listen http: port (default 8080, or RAXE_MCP_GATEWAY_PORT; 0 picks a free one)')
  .option('-o, --output <path>', 'generate-config: output path (default mcp-security.yaml, - for stdout)')
  .option('--force', 'generate-config: overwrite an existing file')
  .option('--json', 'audit: output JSON')
  .option('--format <format>', 'audit: table, json or sarif (default table)')
  .option('--fail-on <level>', 'audit: exit 1 at or above critical, high, medium, low or info; none never (default high)')
  .option('--scan-tools', 'audit: start each stdio server and scan its tool, prompt and resource descriptions')
  .option('--timeout <seconds>', 'audit: time each server gets with --scan-tools (default 15)')
  .option('--fix', 'audit: print the configs with every stdio server behind raxe mcp gateway')
  .option('--write', 'audit: with --fix, write the files back (the originals are kept as FILE.bak)')
  .example('raxe mcp serve')
  .example('raxe mcp gateway -u "npx @modelcontextprotocol/server-filesystem /tmp" --on-threat block')
  .example('raxe mcp gateway --listen http --port 8080 -c mcp-security.yaml')
  .example('raxe mcp generate-config -o mcp-security.yaml')
  .example('raxe mcp audit ~/.config/Claude/claude_desktop_config.json --format sarif')
  .action(async (action: string | undefined, files: string[], options: Record<string, unknown>) => (await import('./mcp-command.js')).runMcp(action, options, files));

cli
  .command('playground', 'Serve the browser rule playground on 127.0.0.1 (scanning runs in the page)')
  .option('--port <port>', 'Port to listen on (0 picks a free one; default 7411)')
  .example('raxe playground --port 8080')
  // imported on use: only this command needs the HTTP server
  .action(async (options: Record<string, unknown>) => (await import('./playground-command.js')).runPlayground(options));

cli.help();
cli.version('0.1.0');

async function main(): Promise<void> {
  try {
    // cac drops a lone "-" (stdin); pass it through as a token of our own
    cli.parse(process.argv.map((a) => (a === '-' ? STDIN : a)), { run: false });
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) throw new CliError(`unknown command "${cli.args[0]}" (try raxe --help)`, 2);
      if (!cli.options.help && !cli.options.version) cli.outputHelp();
      return;
    }
    await cli.runMatchedCommand();
  } catch (e) {
    if (e instanceof CliError) {
      if (e.message) process.stderr.write(`raxe: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    const msg = e instanceof Error ? e.message : String(e);
    // cac reports usage problems as plain errors
    process.stderr.write(`raxe: ${msg}\n`);
    process.exitCode = 2;
  }
}

await main();
