/**
 * The Lua scripts the Redis state runs (each atomic on the server: two
 * instances taking from one bucket at once never both get the last token).
 */

/**
 * A token bucket in a hash {t: tokens, a: last update in ms}: refilled at
 * ARGV[1] (rpm) tokens a minute up to rpm, on Redis's own clock (TIME), so
 * instances with skewed clocks agree. Returns {1, 0} when a token was taken,
 * {0, seconds to wait} otherwise. An idle bucket expires after 61 s, when
 * it would be full again anyway.
 */
export const TOKEN_BUCKET = `
local rpm = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then tokens = rpm; at = now end
tokens = math.min(rpm, tokens + math.max(0, now - at) * rpm / 60000)
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(now))
redis.call('PEXPIRE', KEYS[1], 61000)
if ok == 1 then return {1, 0} end
return {0, math.ceil((1 - tokens) * 60 / rpm)}
`;

/** Replaces the hash KEYS[1] with the field/value pairs in ARGV (a pin record, whole). */
export const REPLACE_HASH = `
redis.call('DEL', KEYS[1])
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;

/** Adds the field/increment pairs in ARGV to the hash KEYS[1] (counters). */
export const ADD_COUNTERS = `
for i = 1, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;
