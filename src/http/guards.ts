/**
 * The HTTP gateway's checks before any MCP logic runs: Origin and Host
 * (DNS rebinding), the bearer token (compared in constant time), the
 * MCP-Protocol-Version header, and a request body read under a size limit.
 * Each returns what is wrong, so the app can answer with the right status.
 * What they return goes into error bodies: it names the rule, never the
 * value the client sent (a reflected header is an injection channel).
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { MessageSniffer, type Sniffed } from '../mcp/gateway/json-guard.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for names that only ever mean this machine. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h) || h.endsWith('.localhost');
}

/**
 * The client's address: the peer, or — when the peer is a trusted proxy —
 * the rightmost X-Forwarded-For entry that is not a trusted proxy (entries
 * left of it were written by the client and prove nothing).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | null, trusted: readonly string[]): string | undefined {
  const bare = (a: string) => a.trim().replace(/^::ffff:/, '').replace(/^\[(.*)\]$/, '$1');
  if (peer === undefined || trusted.length === 0 || !forwardedFor || !trusted.includes(bare(peer))) return peer;
  const hops = forwardedFor.split(',').map(bare).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.includes(hops[i])) return hops[i];
  return peer;
}

/**
 * The Origin rule: a request without Origin (not from a browser) passes; a
 * browser's passes when its origin is on this machine (http(s)://localhost,
 * 127.0.0.1, [::1], any port) or listed in `allowed` ("*" allows any).
 * Returns null when allowed, else the reason.
 */
export function originProblem(origin: string | null, allowed: readonly string[]): string | null {
  if (origin === null) return null;
  if (allowed.includes('*')) return null;
  const want = origin.trim().toLowerCase().replace(/\/+$/, '');
  if (allowed.some((a) => a.trim().toLowerCase().replace(/\/+$/, '') === want)) return null;
  let url: URL;
  try {
    url = new URL(want);
  } catch {
    return 'this Origin is not allowed';
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && isLoopback(url.hostname)) return null;
  return 'this Origin is not allowed (add it to gateway.allowed_origins to let that page connect)';
}

/**
 * The Host rule (DNS rebinding): a page that re-binds its own name to the
 * gateway's address still sends its own name as Host (and no Origin on
 * same-origin GETs), so only loopback names and `extra` pass — on a
 * non-loopback bind `extra` holds the machine's own names and addresses
 * and gateway.allowed_hosts.
 */
export function hostProblem(host: string | null, extra: readonly string[]): string | null {
  if (host === null || host === '') return null; // HTTP/1.0: no Host header
  const name = host.toLowerCase().replace(/:\d+$/, '');
  if (isLoopback(name) || extra.some((e) => e.toLowerCase() === name)) return null;
  return 'this Host is not allowed (the names the gateway answers to are loopback names, this machine\'s addresses and gateway.allowed_hosts)';
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or the first
 * differing byte of what the client sent.
 */
export function bearerChecker(token: string): (authorization: string | null) => Promise<boolean> {
  const expected = sha256(token);
  return async (authorization) => {
    const m = /^Bearer[ \t]+(.+)$/i.exec(authorization?.trim() ?? '');
    const [a, b] = await Promise.all([expected, sha256(m ? m[1].trim() : '')]);
    let diff = m ? 0 : 1;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  };
}

/** Null when the MCP-Protocol-Version header is absent (2025-03-26 is assumed) or supported. */
export function protocolProblem(version: string | null): string | null {
  if (version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return null;
  return `Unsupported MCP-Protocol-Version (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`;
}

export type Body = { text: string } | { tooLarge: number; head: Sniffed } | { timedOut: true };

/**
 * How far past the limit an oversized body is still read (and thrown away)
 * to find its id: the SDK writes `id` after the params, so answering the
 * right request means reading to the end. A body declared larger than this
 * is refused unread (its id stays unknown).
 */
export const OVERSIZE_READ_FACTOR = 4;

/**
 * Reads a request body as text under a size limit and a deadline. A body
 * over `max` bytes is read on (up to OVERSIZE_READ_FACTOR times the limit)
 * only to recover its id, never kept; a body not complete after
 * `timeoutMs` (a client trickling bytes to hold a connection) is given up.
 */
export async function readBody(req: Request, max: number, timeoutMs = 10_000): Promise<Body> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > max * OVERSIZE_READ_FACTOR) return { tooLarge: declared, head: { response: false } };
  if (!req.body) return { text: '' };
  const reader = req.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  const parts: Uint8Array[] = [];
  let size = 0;
  let sniffer: MessageSniffer | null = null;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === 'timeout') {
        await reader.cancel().catch(() => {});
        return { timedOut: true };
      }
      if (next.done) break;
      const value = next.value;
      size += value.byteLength;
      if (sniffer) sniffer.push(value);
      else if (size > max) {
        sniffer = new MessageSniffer();
        for (const p of parts) sniffer.push(p);
        sniffer.push(value);
        parts.length = 0;
      } else parts.push(value);
      if (size > max * OVERSIZE_READ_FACTOR) {
        await reader.cancel().catch(() => {});
        break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  if (sniffer) return { tooLarge: size, head: sniffer.result() };
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return { text: new TextDecoder().decode(all) };
}
