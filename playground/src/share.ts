/**
 * Sharing through the URL fragment: `#r=<rule>&t=<text>`, each UTF-8 then
 * base64url. The fragment never reaches a server, so a shared rule and test
 * text stay between the people who pass the link around.
 */

export interface Shared {
  rule?: string;
  text?: string;
}

/** UTF-8 text -> base64url without padding. */
export function toBase64Url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) -> UTF-8 text; null when it is not valid. */
export function fromBase64Url(s: string): string | null {
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The fragment (without "#") for a rule and a test text. */
export function encodeShare(s: Shared): string {
  const parts: string[] = [];
  if (s.rule !== undefined) parts.push(`r=${toBase64Url(s.rule)}`);
  if (s.text !== undefined) parts.push(`t=${toBase64Url(s.text)}`);
  return parts.join('&');
}

/** Reads `#r=...&t=...`; unknown or undecodable parts are ignored. */
export function decodeShare(hash: string): Shared {
  const out: Shared = {};
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const value = fromBase64Url(part.slice(eq + 1));
    if (value === null) continue;
    const key = part.slice(0, eq);
    if (key === 'r') out.rule = value;
    else if (key === 't') out.text = value;
  }
  return out;
}
