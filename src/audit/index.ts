/**
 * `raxe mcp audit`: security review of MCP client configs (Claude Desktop,
 * Cursor, VS Code).
 *
 *   json.ts       a JSON/JSONC parser that keeps line:column and duplicate keys
 *   config.ts     client config text -> server entries (zod-validated)
 *   launch.ts     what an entry runs: shells, npx/uvx/docker, the gateway's -u upstreams
 *   view.ts       an entry as the checks see it
 *   checks/       one pure check per file (shell, filesystem, secrets, docker,
 *                 remote, pinning, duplicates, tools, gateway)
 *   audit.ts      runs the checks, orders and counts findings
 *   tools.ts      --scan-tools without a runtime: what to start, how to scan listings
 *   fix.ts        --fix: entries rewritten to run behind `raxe mcp gateway`
 *   discover.ts   where each client keeps its config, per OS
 *   report/       one file per output format: table, json, sarif
 *   node/         the Node adapter: reading files, starting servers, the CLI action
 *
 * Everything outside node/ is free of Node APIs: it receives text and
 * returns findings.
 */
export { parseJson, JsonSyntaxError } from './json.js';
export type { JsonNode, Pos, ParsedJson } from './json.js';
export { parseClientConfig, clientFromPath, ConfigFileError } from './config.js';
export type { ConfigFile, ServerEntry, DuplicateKey } from './config.js';
export { analyzeLaunch, launchesOf, quoteCommand, gatewayCommand, shellWord } from './launch.js';
export type { Launch, Package, Wrapper } from './launch.js';
export { normalizePath, sensitivePath } from './paths.js';
export { viewServer } from './view.js';
export type { ServerView } from './view.js';
export { CHECKS } from './checks/index.js';
export type { Check, SecretScan, SecretHit, ToolInventory, ListedItem } from './checks/index.js';
export { audit, viewsOf, fails, summarize } from './audit.js';
export type { AuditResult } from './audit.js';
export { probeTargets, scanListing, substitute } from './tools.js';
export type { ProbeTarget, Listing } from './tools.js';
export { fixConfig, gatewayEntryArgs, RAXE_ON_PATH } from './fix.js';
export type { Launcher, FixResult } from './fix.js';
export { configLocations } from './discover.js';
export type { Place } from './discover.js';
export { buildReport, renderJson } from './report/json.js';
export { renderTable } from './report/table.js';
export { buildSarif, renderSarif, sarifLevel } from './report/sarif.js';
export { AuditReportSchema, FindingSchema, AUDIT_SEVERITIES, ServerEntrySchema } from './schema.js';
export type { AuditReport, Finding, AuditSeverity, Client } from './schema.js';
