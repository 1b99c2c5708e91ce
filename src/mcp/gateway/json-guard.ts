/**
 * Guards for untrusted JSON-RPC text, in bounded memory and without
 * recursion:
 *
 * - `MessageSniffer` reads the top level of a message that is too large to
 *   parse (fed chunk by chunk while it is discarded) and recovers its `id`
 *   and `method`, so an oversized request is answered with its own id at
 *   once (-32004), not with `id: null` that leaves the sender waiting. The
 *   SDK writes `id` last (`{...request, jsonrpc, id}`), so the whole
 *   message is read; only a few hundred bytes are kept.
 * - `depthExceeds` checks a parsed value's nesting iteratively: a message
 *   nested deeper than MAX_JSON_DEPTH is refused before anything recursive
 *   (JSON.stringify, structuredClone, schema validation) touches it.
 */

/**
 * Deepest nesting accepted in a message. Real MCP messages nest a few
 * levels, JSON Schemas of tool inputs a few dozen at most; the recursive
 * serialisers every message passes through (JSON.stringify on the way out,
 * structuredClone, canonical JSON of pins) overflow the stack somewhere past
 * a few thousand levels. 256 is far from both.
 */
export const MAX_JSON_DEPTH = 256;

/** Longest `id` (as JSON text) recovered from an oversized message; a longer one cannot be answered by id. */
export const MAX_SNIFFED_ID_CHARS = 256;

/** What the top level of a message said. */
export interface Sniffed {
  /** The request id (string or number); undefined when none was found or it was not a usable id. */
  id?: string | number;
  /** The method, when it had one (requests and notifications). */
  method?: string;
  /** It carried `result` or `error` (a response). */
  response: boolean;
}

const enum K {
  QUOTE = 0x22,
  BACKSLASH = 0x5c,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
  LBRACKET = 0x5b,
  RBRACKET = 0x5d,
  COLON = 0x3a,
  COMMA = 0x2c,
}

const CAPTURE_KEYS = new Set(['id', 'method', 'result', 'error']);
const MAX_KEY = 8;
const MAX_METHOD = 256;

/**
 * Reads the top level of one JSON object from byte chunks (linear, O(1)
 * memory). Call `push` for each chunk, then `result()`.
 *
 *   const s = new MessageSniffer();
 *   s.push(new TextEncoder().encode('{"method":"tools/call","params":{...},"id":7}'));
 *   s.result(); // { id: 7, method: 'tools/call', response: false }
 */
export class MessageSniffer {
  #depth = 0;
  #inString = false;
  #escape = false;
  /** At depth 1: the next string is a key. */
  #expectKey = false;
  /** At depth 1: after a colon, before the value. */
  #expectValue = false;
  #key: number[] | null = null;
  #keyOverflow = false;
  #lastKey = '';
  /** Bytes of the value being captured (string or literal), or null. */
  #value: number[] | null = null;
  #valueIsString = false;
  #valueOverflow = false;
  #started = false;
  #found: { id?: string; method?: string; response: boolean } = { response: false };

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.#inString) {
        this.#stringByte(c);
        continue;
      }
      if (this.#value !== null && !this.#valueIsString) {
        // a literal value (number, true, false, null) ends at a delimiter
        if (c === K.COMMA || c === K.RBRACE || c === K.RBRACKET || c <= 0x20) this.#endValue();
        else {
          this.#keep(this.#value, c);
          continue;
        }
      }
      switch (c) {
        case K.QUOTE:
          this.#inString = true;
          if (this.#depth === 1 && this.#expectKey) {
            this.#key = [];
            this.#keyOverflow = false;
          } else if (this.#depth === 1 && this.#expectValue) this.#startValue(true);
          break;
        case K.LBRACE:
        case K.LBRACKET:
          if (this.#depth === 0 && !this.#started) {
            this.#started = true;
            this.#expectKey = c === K.LBRACE;
          }
          if (this.#depth === 1) this.#expectValue = false; // a compound value: nothing to keep
          this.#depth++;
          break;
        case K.RBRACE:
        case K.RBRACKET:
          this.#depth--;
          break;
        case K.COLON:
          if (this.#depth === 1) {
            this.#expectKey = false;
            this.#expectValue = true;
          }
          break;
        case K.COMMA:
          if (this.#depth === 1) {
            this.#expectKey = true;
            this.#expectValue = false;
          }
          break;
        default:
          if (this.#depth === 1 && this.#expectValue && c > 0x20) {
            this.#startValue(false);
            if (this.#value) this.#keep(this.#value, c);
          }
      }
    }
  }

  #stringByte(c: number): void {
    if (this.#escape) this.#escape = false;
    else if (c === K.BACKSLASH) this.#escape = true;
    else if (c === K.QUOTE) {
      this.#inString = false;
      if (this.#key) {
        this.#lastKey = this.#keyOverflow ? '' : String.fromCharCode(...this.#key);
        if (this.#lastKey === 'result' || this.#lastKey === 'error') this.#found.response = true;
        this.#key = null;
      } else if (this.#value) this.#endValue();
      return;
    }
    if (this.#key) {
      if (this.#key.length < MAX_KEY) this.#key.push(c);
      else this.#keyOverflow = true;
    } else if (this.#value) this.#keep(this.#value, c);
  }

  #startValue(isString: boolean): void {
    this.#expectValue = false;
    if (!CAPTURE_KEYS.has(this.#lastKey) || this.#lastKey === 'result' || this.#lastKey === 'error') return;
    this.#value = [];
    this.#valueIsString = isString;
    this.#valueOverflow = false;
  }

  #keep(buf: number[], c: number): void {
    const max = this.#lastKey === 'method' ? MAX_METHOD : MAX_SNIFFED_ID_CHARS;
    if (buf.length < max) buf.push(c);
    else this.#valueOverflow = true;
  }

  #endValue(): void {
    const v = this.#value!;
    this.#value = null;
    if (this.#valueOverflow) return;
    const raw = new TextDecoder().decode(Uint8Array.from(v));
    const text = this.#valueIsString ? `"${raw}"` : raw;
    if (this.#lastKey === 'id') this.#found.id = text;
    else if (this.#lastKey === 'method') this.#found.method = text;
  }

  /** What was found so far (call after the last chunk). */
  result(): Sniffed {
    const out: Sniffed = { response: this.#found.response };
    const id = parseJson(this.#found.id);
    if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) out.id = id;
    const method = parseJson(this.#found.method);
    if (typeof method === 'string') out.method = method;
    return out;
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sniffs a whole text (for callers that have it as a string). */
export function sniff(text: string): Sniffed {
  const s = new MessageSniffer();
  s.push(new TextEncoder().encode(text));
  return s.result();
}

/**
 * True when `value` nests deeper than `max` arrays/objects. Iterative and
 * stops as soon as the limit is passed, so a 20,000-level message costs
 * `max` steps down one branch, not a stack overflow.
 */
export function depthExceeds(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: Array<{ v: object; d: number }> = [{ v: value, d: 1 }];
  while (stack.length) {
    const { v, d } = stack.pop()!;
    if (d > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push({ v: c, d: d + 1 });
  }
  return false;
}

/** The id of a parsed message, when it is one a response can carry. */
export function idOf(msg: unknown): string | number | null {
  const id = (msg as { id?: unknown } | null)?.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}
