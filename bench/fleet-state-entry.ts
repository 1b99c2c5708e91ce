// What bench/fleet.js times in process (bundled by it with esbuild).
export { LocalState, RedisState } from '../src/mcp/gateway/state/index.js';
export { nodeRedisPort } from '../src/mcp/node/redis-port.js';
export { createLogger } from '../src/mcp/log.js';
