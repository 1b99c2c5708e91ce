/**
 * insecure-http and url-credentials: remote servers (url entries, and URLs
 * handed to bridges like mcp-remote) over plain http:// to another machine,
 * or with credentials in the URL (user:password@, ?token=, ?api_key=).
 */
import { isLocalHost, safeOrigin, urlCredentials, urlsIn } from '../url.js';
import { at, type Check } from './types.js';
import type { Finding } from '../schema.js';
import type { ServerView } from '../view.js';

/** The URLs a server talks to: its url, and http(s) URLs in its arguments. */
function urlsOf(v: ServerView): Array<{ url: string; where: string }> {
  const d = v.entry.data;
  const out: Array<{ url: string; where: string }> = [];
  const u = d.url ?? d.serverUrl;
  if (u) out.push({ url: u, where: 'Remote server' });
  for (const l of v.launches) for (const a of l.serverArgs) for (const x of urlsIn(a)) out.push({ url: x, where: 'Server argument' });
  return out;
}

export const httpCheck: Check = {
  id: 'insecure-http',
  name: 'InsecureHttpTransport',
  title: 'Remote server over plain http://',
  help: 'Plain HTTP to another machine lets anyone on the path read tool calls and results and inject responses. Use https:// (plain http is fine for localhost only).',
  severity: 'HIGH',
  run({ views }) {
    const out: Finding[] = [];
    for (const v of views) {
      const seen = new Set<string>();
      for (const { url, where } of urlsOf(v)) {
        let u: URL;
        try {
          u = new URL(url);
        } catch {
          continue;
        }
        if (u.protocol !== 'http:' || isLocalHost(u.hostname)) continue;
        const origin = safeOrigin(url);
        if (seen.has(origin)) continue;
        seen.add(origin);
        out.push(at(v, 'insecure-http', 'HIGH', `${where} uses plain HTTP (${origin})`, 'Use https://; plain http is only safe for localhost'));
      }
    }
    return out;
  },
};

export const urlCredentialsCheck: Check = {
  id: 'url-credentials',
  name: 'CredentialsInUrl',
  title: 'Credentials in a server URL',
  help: 'A token in a URL ends up in logs, proxies and shell history. Send it in a header (VS Code: "headers": {"Authorization": "Bearer ${input:token}"}) and rotate the exposed one.',
  severity: 'HIGH',
  run({ views }) {
    const out: Finding[] = [];
    for (const v of views) {
      const seen = new Set<string>();
      for (const { url, where } of urlsOf(v)) {
        const creds = urlCredentials(url);
        if (!creds.length) continue;
        const issue = `${where} URL carries credentials (${creds.join(', ')}) for ${safeOrigin(url)}`;
        if (seen.has(issue)) continue;
        seen.add(issue);
        out.push(at(v, 'url-credentials', 'HIGH', issue, 'Pass credentials in a header or an environment variable, not in the URL; rotate them'));
      }
    }
    return out;
  },
};
