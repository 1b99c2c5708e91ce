/** URL checks shared by the remote-server and secrets checks. Web URL API only. */

/** A URL's origin for reports: scheme, host and port, never credentials, path or query. */
export function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url.replace(/[?#].*$/, '').replace(/\/\/[^/@]*@/, '//');
  }
}

/** Is the host this machine (localhost, 127.0.0.0/8, ::1, *.localhost)? */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0.0.0.0';
}

const CREDENTIAL_PARAMS = /^(token|access[_-]?token|auth[_-]?token|id[_-]?token|api[_-]?key|apikey|x[_-]?api[_-]?key|key|secret|client[_-]?secret|password|passwd|pwd|pass|auth|sig|signature|session|jwt|bearer)$/i;

/** The kinds of credentials a URL carries: "user:password@", "?token=". Empty when none. */
export function urlCredentials(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (u.password) out.push('user:password@');
  else if (u.username) out.push('user@ (a token in the user name)');
  for (const k of new Set(u.searchParams.keys())) if (CREDENTIAL_PARAMS.test(k) && u.searchParams.get(k)) out.push(`?${k}=`);
  return out;
}

/** Every http(s) URL in a text (arguments of `mcp-remote` and the like). */
export function urlsIn(text: string): string[] {
  return text.match(/\bhttps?:\/\/[^\s"'<>]+/gi) ?? [];
}
