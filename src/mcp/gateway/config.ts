/**
 * Gateway configuration: the spec's YAML file (`gateway:` and `upstreams:`),
 * RAXE_MCP_GATEWAY_* environment variables and command-line flags, merged
 * with precedence flags > env > file > defaults. zod is the source of truth;
 * errors name the field. No file access here (the adapter reads the file).
 */
import { z } from 'zod';
import { parseDocument, LineCounter } from 'yaml';

const Action = z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['log', 'warn', 'block']));
const Threshold = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']));

export const PolicySchema = z.strictObject({
  on_threat: Action.optional(),
  /**
   * What to do with content that could not be scanned completely (decoder or
   * time budget exhausted, a text-typed blob that is not text): log, warn or
   * block. Default: the on_threat action, so block under block.
   */
  on_unscanned: Action.optional(),
  severity_threshold: Threshold.optional(),
  /**
   * Requests per minute per client (0 = unlimited). On an upstream: the
   * limit of requests routed to it. Unset everywhere: the stdio gateway does
   * not limit its one host; the HTTP gateway uses HTTP_DEFAULT_RPM.
   */
  rate_limit_rpm: z.number().int().min(0).max(9999).optional(),
  /** Tool names (or globs with *) the host may see and call; others are withheld. */
  allow_tools: z.array(z.string()).optional(),
  /** Tool names (or globs) withheld and refused. */
  deny_tools: z.array(z.string()).optional(),
});
export type Policy = z.infer<typeof PolicySchema>;

export const UpstreamSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'upstream names may hold only letters, digits, "_" and "-"'),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    /**
     * Pass the gateway's whole environment to the upstream (on for -u upstreams:
     * an MCP host sets env on the gateway entry for the server behind it).
     * Otherwise the upstream gets a small safe set plus `env`, like the SDK.
     */
    inherit_env: z.boolean().default(false),
    cwd: z.string().optional(),
    url: z.string().url().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    scan_tool_calls: z.boolean().default(true),
    scan_tool_responses: z.boolean().default(true),
    scan_resources: z.boolean().default(true),
    scan_prompts: z.boolean().default(true),
    scan_descriptions: z.boolean().default(true),
    timeout_s: z.number().positive().max(3600).optional(),
    policy: PolicySchema.optional(),
  })
  .refine((u) => !!u.command !== !!u.url, { message: 'an upstream needs exactly one of command (stdio) or url (Streamable HTTP)' });
export type UpstreamConfig = z.infer<typeof UpstreamSchema>;

export const GatewaySectionSchema = z.strictObject({
  listen: z.enum(['stdio', 'http']).default('stdio'),
  host: z.string().optional(),
  port: z.number().int().min(0).max(65535).optional(),
  token: z.string().optional(),
  allowed_origins: z.array(z.string()).optional(),
  default_policy: PolicySchema.default({}),
  telemetry_enabled: z.boolean().default(true),
  l2_enabled: z.boolean().default(true),
  request_timeout_s: z.number().positive().max(3600).default(30),
  max_message_bytes: z.number().int().positive().default(10 * 1024 * 1024),
  audit_log: z.string().optional(),
  state_dir: z.string().optional(),
  sink_url: z.string().url().optional(),
  rules: z.array(z.string()).default([]),
  session_idle_s: z.number().positive().default(1800),
});

export const GatewayFileSchema = z.strictObject({
  gateway: GatewaySectionSchema.default(GatewaySectionSchema.parse({})),
  upstreams: z.array(UpstreamSchema).default([]),
});
export type GatewayFile = z.infer<typeof GatewayFileSchema>;

/** The effective policy of an upstream (its overrides over the gateway default). */
export interface EffectivePolicy {
  on_threat: 'log' | 'warn' | 'block';
  /** The action for content that could not be scanned completely (default: on_threat). */
  on_unscanned: 'log' | 'warn' | 'block';
  severity_threshold: 'INFO' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  /** Unset: no limit on stdio, HTTP_DEFAULT_RPM over HTTP (see limits.ts). */
  rate_limit_rpm: number | undefined;
  allow_tools?: string[];
  deny_tools?: string[];
}

export function effectivePolicy(file: GatewayFile, up: UpstreamConfig | undefined): EffectivePolicy {
  const d = file.gateway.default_policy;
  const o = up?.policy ?? {};
  const onThreat = o.on_threat ?? d.on_threat ?? 'log';
  return {
    on_threat: onThreat,
    on_unscanned: o.on_unscanned ?? d.on_unscanned ?? onThreat,
    severity_threshold: o.severity_threshold ?? d.severity_threshold ?? 'HIGH',
    rate_limit_rpm: o.rate_limit_rpm ?? d.rate_limit_rpm,
    allow_tools: o.allow_tools ?? d.allow_tools,
    deny_tools: o.deny_tools ?? d.deny_tools,
  };
}

/** A problem in the configuration, naming the file position and field. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses and validates a config file's text; throws ConfigError naming file:line:col and field. */
export function parseConfigText(text: string, path: string): GatewayFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(doc.errors.map((e) => {
      // with prettyErrors off, linePos is not filled in: compute it from the offset
      const p = e.linePos?.[0] ?? (e.pos ? lc.linePos(e.pos[0]) : undefined);
      return `${path}${p ? `:${p.line}:${p.col}` : ''}: YAML: ${e.message.split('\n')[0]}`;
    }));
  }
  const res = GatewayFileSchema.safeParse(doc.toJS() ?? {});
  if (res.success) return res.data;
  const where = (path_: (string | number)[], key = false): string => {
    let node: { range?: [number, number, number] } | undefined;
    if (key) {
      // an unknown key: point at the key itself, not at the mapping holding it
      const parent = (path_.length ? doc.getIn(path_.slice(0, -1), true) : doc.contents) as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | undefined;
      node = parent?.items?.find((it) => it.key?.value === path_[path_.length - 1])?.key;
    }
    node ??= doc.getIn(path_, true) as { range?: [number, number, number] } | undefined;
    const pos = node?.range ? lc.linePos(node.range[0]) : undefined;
    return pos ? `:${pos.line}:${pos.col}` : '';
  };
  const fieldName = (path_: (string | number)[]) => path_.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  throw new ConfigError(res.error.issues.flatMap((i) => {
    const path_ = i.path as (string | number)[];
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => `${path}${where([...path_, k], true)}: ${fieldName([...path_, k])}: unknown key`);
    }
    return [`${path}${where(path_)}: ${fieldName(path_) || '(top level)'}: ${i.message}`];
  }));
}

/** Environment variables the gateway reads (the spec's table, plus the HTTP token). */
export function applyEnv(file: GatewayFile, env: Record<string, string | undefined>): GatewayFile {
  const g = { ...file.gateway, default_policy: { ...file.gateway.default_policy } };
  const bool = (name: string, v: string): boolean => {
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    throw new ConfigError([`${name}: expected true or false (got "${v}")`]);
  };
  const e = (k: string) => env[`RAXE_MCP_GATEWAY_${k}`];
  if (e('PORT') !== undefined) {
    const p = Number(e('PORT'));
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new ConfigError([`RAXE_MCP_GATEWAY_PORT: expected a port number (got "${e('PORT')}")`]);
    g.port = p;
  }
  if (e('HOST') !== undefined) g.host = e('HOST');
  if (e('TOKEN') !== undefined) g.token = e('TOKEN');
  if (e('TELEMETRY') !== undefined) g.telemetry_enabled = bool('RAXE_MCP_GATEWAY_TELEMETRY', e('TELEMETRY')!);
  if (e('L2') !== undefined) g.l2_enabled = bool('RAXE_MCP_GATEWAY_L2', e('L2')!);
  if (e('ON_THREAT') !== undefined) {
    const r = Action.safeParse(e('ON_THREAT'));
    if (!r.success) throw new ConfigError([`RAXE_MCP_GATEWAY_ON_THREAT: expected log, warn or block (got "${e('ON_THREAT')}")`]);
    g.default_policy.on_threat = r.data;
  }
  if (e('SEVERITY_THRESHOLD') !== undefined) {
    const r = Threshold.safeParse(e('SEVERITY_THRESHOLD'));
    if (!r.success) throw new ConfigError([`RAXE_MCP_GATEWAY_SEVERITY_THRESHOLD: expected LOW, MEDIUM, HIGH or CRITICAL (got "${e('SEVERITY_THRESHOLD')}")`]);
    g.default_policy.severity_threshold = r.data;
  }
  return { ...file, gateway: g };
}

/** Splits a command line like a POSIX shell would for simple quoting ('...', "...", \\). */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: string | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (q) throw new ConfigError([`unterminated ${q} quote in upstream command: ${cmd}`]);
  if (has || cur) out.push(cur);
  return out;
}

/** An upstream name from its command: "npx @modelcontextprotocol/server-filesystem /tmp" -> "filesystem". */
export function nameFromCommand(argv: string[]): string {
  const skip = new Set(['npx', 'uvx', 'node', 'python', 'python3', 'deno', 'bun', 'bunx', 'pnpm', 'dlx', 'run', 'exec']);
  const word = argv.find((a) => !a.startsWith('-') && !skip.has(a.split(/[\\/]/).pop() ?? a)) ?? argv[0] ?? 'upstream';
  // a path to a script: the package folder, not "index.js" or "dist"
  const generic = /^(index|main|cli|server|bin|dist|build|lib|src|out)(\.[cm]?[jt]s|\.py)?$/;
  const segs = word.replace(/@[^/@]*$/, '').split(/[\\/]/).filter(Boolean);
  while (segs.length > 1 && generic.test(segs[segs.length - 1])) segs.pop();
  let base = segs[segs.length - 1] ?? word;
  base = base.replace(/\.([cm]?[jt]s|py)$/, '').replace(/^(mcp-server-|server-)/, '').replace(/-mcp(-server)?$/, '');
  return base.replace(/[^A-Za-z0-9_-]/g, '_') || 'upstream';
}

/** Flags, as the CLI parsed them. */
export interface GatewayFlags {
  upstream?: string[];
  onThreat?: string;
  severityThreshold?: string;
  l2?: boolean;
  listen?: string;
  host?: string;
  port?: number;
  /** --rate-limit-rpm: the default policy's requests per minute per client. */
  rateLimitRpm?: number;
}

/** Applies flags (highest precedence); `-u` commands are added as upstreams. */
export function applyFlags(file: GatewayFile, f: GatewayFlags): GatewayFile {
  const g = { ...file.gateway, default_policy: { ...file.gateway.default_policy } };
  if (f.onThreat !== undefined) {
    const r = Action.safeParse(f.onThreat);
    if (!r.success) throw new ConfigError([`--on-threat: expected log, warn or block (got "${f.onThreat}")`]);
    g.default_policy.on_threat = r.data;
  }
  if (f.severityThreshold !== undefined) {
    const r = Threshold.safeParse(f.severityThreshold);
    if (!r.success) throw new ConfigError([`--severity-threshold: expected LOW, MEDIUM, HIGH or CRITICAL (got "${f.severityThreshold}")`]);
    g.default_policy.severity_threshold = r.data;
  }
  if (f.l2 === false) g.l2_enabled = false;
  if (f.rateLimitRpm !== undefined) {
    const r = PolicySchema.shape.rate_limit_rpm.safeParse(f.rateLimitRpm);
    if (!r.success) throw new ConfigError([`--rate-limit-rpm: expected a whole number from 0 to 9999 (got "${f.rateLimitRpm}")`]);
    g.default_policy.rate_limit_rpm = r.data;
  }
  if (f.listen !== undefined) {
    if (f.listen !== 'stdio' && f.listen !== 'http') throw new ConfigError([`--listen: expected stdio or http (got "${f.listen}")`]);
    g.listen = f.listen;
  }
  if (f.host !== undefined) g.host = f.host;
  if (f.port !== undefined) g.port = f.port;
  const ups = [...file.upstreams];
  const names = new Set(ups.map((u) => u.name));
  for (const cmd of f.upstream ?? []) {
    const argv = splitCommand(cmd);
    if (argv.length === 0) throw new ConfigError(['-u: empty upstream command']);
    let name = nameFromCommand(argv);
    for (let k = 2; names.has(name); k++) name = `${nameFromCommand(argv)}-${k}`;
    names.add(name);
    ups.push(UpstreamSchema.parse({ name, command: argv[0], args: argv.slice(1), inherit_env: true }));
  }
  const dup = ups.map((u) => u.name).find((n, i, a) => a.indexOf(n) !== i);
  if (dup) throw new ConfigError([`upstreams: the name "${dup}" is used twice`]);
  return { gateway: g, upstreams: ups };
}

/** The documented sample written by `raxe mcp generate-config`. */
export const SAMPLE_CONFIG = `# RAXE MCP Security Gateway Configuration

gateway:
  listen: stdio
  default_policy:
    on_threat: log        # log, block, or warn
    severity_threshold: HIGH  # LOW, MEDIUM, HIGH, CRITICAL
    rate_limit_rpm: 60

  telemetry_enabled: true
  l2_enabled: true

upstreams:
  - name: filesystem
    command: npx
    args:
      - "@modelcontextprotocol/server-filesystem"
      - "/path/to/safe/directory"
    scan_tool_calls: true
    scan_tool_responses: true
    scan_resources: true

  - name: git
    command: npx
    args:
      - "@modelcontextprotocol/server-git"
    scan_tool_calls: true
    scan_tool_responses: true
    # Override policy for this upstream
    policy:
      on_threat: block
      severity_threshold: MEDIUM
`;
