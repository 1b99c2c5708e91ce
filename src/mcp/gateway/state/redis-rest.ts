/**
 * A RedisPort over HTTP, for runtimes without TCP sockets (Cloudflare
 * Workers): each command is POSTed as a JSON array to the endpoint, which
 * answers {"result": ...} or {"error": "..."} — the REST protocol of
 * Upstash and of compatible proxies in front of a Redis of your own.
 * fetch only (Web APIs).
 */
import type { RedisPort } from './types.js';

export interface RestRedisOptions {
  /** The endpoint (https://…); a token goes in `token`, never in the URL. */
  url: string;
  token?: string;
  fetch?: typeof fetch;
}

/** A RedisPort that sends each command as one HTTP request. */
export function restRedisPort(o: RestRedisOptions): RedisPort {
  const f = o.fetch ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) };
  return {
    async send(args) {
      const res = await f(o.url, { method: 'POST', headers, body: JSON.stringify(args) });
      const body = (await res.json().catch(() => ({}))) as { result?: unknown; error?: unknown };
      if (!res.ok || body.error !== undefined) throw new Error(String(body.error ?? `HTTP ${res.status}`));
      return body.result ?? null;
    },
    async close() {},
  };
}
