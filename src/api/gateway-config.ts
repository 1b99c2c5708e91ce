/**
 * `GatewayConfig` without a file system (exported by `raxe/http`; `raxe/mcp`
 * adds `load(path)`): a gateway configuration from an object or from the
 * YAML text of an mcp-security.yaml, validated by the same schema as the
 * file, with errors that name the field. Web APIs only.
 */
import type { z } from 'zod';
import { applyEnv, ConfigError, GatewayFileSchema, parseConfigText, type GatewayFile } from '../mcp/gateway/config.js';

/** The config file's shape as written (fields with defaults may be left out). */
export type GatewayConfigInput = z.input<typeof GatewayFileSchema>;

const fieldName = (path: PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');

export const WebGatewayConfig = {
  /**
   * Validates a configuration object (the file's shape: `gateway`,
   * `upstreams`) and fills in the defaults. RAXE_MCP_GATEWAY_* variables
   * apply only when `env` is given. Throws ConfigError naming each bad field.
   *
   * @example
   *   GatewayConfig.from({ upstreams: [{ name: 'fs', command: 'npx', args: ['@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'] }] })
   */
  from(input: GatewayConfigInput, env?: Record<string, string | undefined>): GatewayFile {
    const res = GatewayFileSchema.safeParse(input ?? {});
    if (!res.success) {
      throw new ConfigError(res.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => `${fieldName([...i.path, k])}: unknown key`)
          : [`${fieldName(i.path) || '(top level)'}: ${i.message}`]));
    }
    return env ? applyEnv(res.data, env) : res.data;
  },
  /** Parses the YAML text of a config file (`path` names it in errors); env as in `from`. */
  parse(text: string, path = 'mcp-security.yaml', env?: Record<string, string | undefined>): GatewayFile {
    const file = parseConfigText(text, path);
    return env ? applyEnv(file, env) : file;
  },
};
