/**
 * Node: the gateway's state as its config says (gateway.state, or
 * RAXE_MCP_GATEWAY_REDIS_URL): local — pins in tool-pins.json and the audit
 * log under the state dir — or Redis, with those same files as the local
 * fallback and mirror (../gateway/state).
 */
import { join } from 'node:path';
import type { GatewayFile } from '../gateway/config.js';
import { LocalState, RedisState, type GatewayState } from '../gateway/state/index.js';
import type { Logger } from '../log.js';
import { nodeRedisPort } from './redis-port.js';
import { FileAuditSink, FilePinStore } from './stores.js';

/** The state of a gateway whose files live in `dir`. */
export function createGatewayState(config: GatewayFile, dir: string, log: Logger): GatewayState {
  const g = config.gateway;
  const local = new LocalState({
    pins: new FilePinStore(join(dir, 'tool-pins.json'), log),
    audit: g.telemetry_enabled ? new FileAuditSink(g.audit_log ?? join(dir, 'gateway-audit.jsonl'), log, { sinkUrl: g.sink_url, maxBytes: g.audit_log_max_bytes, files: g.audit_log_files }) : undefined,
  });
  if (!g.state || g.state === 'local') return local;
  return new RedisState({ port: nodeRedisPort(g.state, log), local, logger: log, url: g.state });
}
