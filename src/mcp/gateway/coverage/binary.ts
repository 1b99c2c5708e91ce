/**
 * base64 payloads in MCP messages (`blob` of resource contents, `data` of
 * image and audio content): what a model could read in them as text.
 *
 * - text-typed (text/*, JSON, XML, YAML, JavaScript, SVG...): decoded as
 *   UTF-8 and scanned; when the bytes are not UTF-8 the payload cannot be
 *   scanned completely, so it is unscanned (the policy's on_unscanned);
 * - other types, or none: the first bytes are sniffed; UTF-8 text is decoded
 *   and scanned (a host may show it as text), anything else is binary media
 *   and is not scanned (raxe scans text; instructions drawn in an image are
 *   out of its reach);
 * - not base64 at all: scanned as the text it is.
 */

/** How many decoded bytes decide "binary or text" for an untyped payload. */
export const SNIFF_BYTES = 4096;

const TEXT_MIME = /^(?:text\/|message\/|application\/(?:json|xml|javascript|ecmascript|x-javascript|yaml|x-yaml|toml|x-toml|sql|graphql|x-sh|x-shellscript|x-python|x-httpd-php|x-www-form-urlencoded|csv|rtf|ld\+json|x-ndjson|ndjson|markdown|x-markdown)\b|application\/[\w.+-]*\+(?:json|xml|yaml)\b|image\/svg\+xml\b)/i;

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export type BinaryOutcome =
  | { kind: 'text'; text: string }
  | { kind: 'binary' }
  | { kind: 'unscannable'; reason: 'undecodable_text' };

/** Is this mimeType one whose content is text? */
export function isTextMime(mimeType: unknown): boolean {
  return typeof mimeType === 'string' && TEXT_MIME.test(mimeType.trim());
}

function bytesOf(b64: string): Uint8Array | null {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** UTF-8 text without NULs (binary formats are full of them), or null. */
function utf8(bytes: Uint8Array, partial = false): string | null {
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
    return s.includes('\u0000') ? null : s;
  } catch {
    return null;
  }
}

/** What a base64 payload holds, given its declared mimeType. */
export function decodeBinary(payload: string, mimeType: unknown): BinaryOutcome {
  if (!BASE64.test(payload)) return { kind: 'text', text: payload };
  const clean = /\s/.test(payload) ? payload.replace(/\s+/g, '') : payload;
  const text = isTextMime(mimeType);
  if (!text) {
    // sniff a prefix first: images and archives fail on their first bytes, so they are never decoded whole
    const head = bytesOf(clean.slice(0, Math.ceil(SNIFF_BYTES / 3) * 4));
    if (!head || utf8(head, true) === null) return { kind: 'binary' };
  }
  const bytes = bytesOf(clean);
  if (!bytes) return { kind: 'text', text: payload };
  const decoded = utf8(bytes);
  if (decoded !== null) return { kind: 'text', text: decoded };
  return text ? { kind: 'unscannable', reason: 'undecodable_text' } : { kind: 'binary' };
}
