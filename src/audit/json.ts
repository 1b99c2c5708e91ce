/**
 * A JSON parser that keeps positions: every value knows its line and column,
 * objects keep every key in order (duplicates included, which JSON.parse
 * silently collapses), and a syntax error names line:column. Comments and
 * trailing commas (VS Code's JSONC) are accepted and their first position is
 * recorded, so a caller can refuse them where a client would. Linear time;
 * no recursion deeper than MAX_DEPTH.
 */

export interface Pos {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export type JsonNode =
  | { kind: 'object'; pos: Pos; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; pos: Pos; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; pos: Pos; start: number; end: number; value: string }
  | { kind: 'number'; pos: Pos; start: number; end: number; value: number }
  | { kind: 'boolean'; pos: Pos; start: number; end: number; value: boolean }
  | { kind: 'null'; pos: Pos; start: number; end: number };

export interface JsonMember {
  key: string;
  keyPos: Pos;
  /** Offset of the key's opening quote. */
  keyStart: number;
  value: JsonNode;
}

export interface ParsedJson {
  root: JsonNode;
  /** Where the first comment or trailing comma is (JSONC only), or null for plain JSON. */
  jsonc: { pos: Pos; what: 'comment' | 'trailing comma' } | null;
}

/** A syntax error at a position. */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly pos: Pos) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_DEPTH = 256;

/** Line-start offsets, for offset -> line:column. */
function lineIndex(text: string): (offset: number) => Pos {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the file';
  if (ch === '\n' || ch === '\r') return 'a line break';
  return JSON.stringify(ch);
}

/**
 * Parses `text` (a leading BOM is skipped). Throws JsonSyntaxError naming the
 * position and what was expected.
 *
 * @example parseJson('{"a": 1,}').jsonc  // { what: 'trailing comma', pos: { line: 1, column: 8 } }
 */
export function parseJson(text: string): ParsedJson {
  const at = lineIndex(text);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let jsonc: ParsedJson['jsonc'] = null;
  const fail = (msg: string, offset = i): never => {
    throw new JsonSyntaxError(msg, at(offset));
  };

  const skip = (): void => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && text[i + 1] === '/') {
        jsonc ??= { pos: at(i), what: 'comment' };
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        jsonc ??= { pos: at(i), what: 'comment' };
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('unterminated /* comment');
        i = end + 2;
      } else return;
    }
  };

  const str = (): string => {
    const open = i;
    i++; // the opening quote
    let out = '';
    let run = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string (missing closing ")', open);
      const code = text.charCodeAt(i);
      if (code === 34) break;
      if (code < 0x20) fail(`${describe(text[i])} inside a string (escape it as \\n or end the string first)`);
      if (code === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(`invalid escape \\${e ?? ''} in a string (a Windows path needs "\\\\" for each backslash)`);
        run = i;
        continue;
      }
      i++;
    }
    out += text.slice(run, i);
    i++; // the closing quote
    return out;
  };

  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    skip();
    const start = i;
    const pos = at(i);
    const c = text[i];
    if (c === '{') {
      i++;
      const members: JsonMember[] = [];
      skip();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', pos, start, end: i, members };
      }
      for (;;) {
        skip();
        if (text[i] === '}' && members.length > 0) {
          jsonc ??= { pos: at(i), what: 'trailing comma' };
          i++;
          break;
        }
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe(text[i])}`);
        const keyStart = i;
        const keyPos = at(i);
        const key = str();
        skip();
        if (text[i] !== ':') fail(`expected ":" after the property name "${key}", found ${describe(text[i])}`);
        i++;
        members.push({ key, keyPos, keyStart, value: value(depth + 1) });
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          break;
        }
        fail(`expected "," or "}" after the value of "${key}", found ${describe(text[i])}`);
      }
      return { kind: 'object', pos, start, end: i, members };
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', pos, start, end: i, items };
      }
      for (;;) {
        skip();
        if (text[i] === ']' && items.length > 0) {
          jsonc ??= { pos: at(i), what: 'trailing comma' };
          i++;
          break;
        }
        items.push(value(depth + 1));
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          break;
        }
        fail(`expected "," or "]" in an array, found ${describe(text[i])}`);
      }
      return { kind: 'array', pos, start, end: i, items };
    }
    if (c === '"') {
      const v = str();
      return { kind: 'string', pos, start, end: i, value: v };
    }
    const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    num.lastIndex = i;
    const m = num.exec(text);
    if (m && m[0] !== '-') {
      i += m[0].length;
      return { kind: 'number', pos, start, end: i, value: Number(m[0]) };
    }
    for (const [word, node] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return node === null ? { kind: 'null', pos, start, end: i } : { kind: 'boolean', pos, start, end: i, value: node };
      }
    }
    if (c === "'") return fail('strings need double quotes (") in JSON, not single quotes');
    if (c === undefined) return fail('unexpected end of the file (expected a value)');
    return fail(`expected a value, found ${describe(c)}`);
  };

  const root = value(0);
  skip();
  if (i < text.length) fail(`unexpected ${describe(text[i])} after the end of the JSON value`);
  return { root, jsonc };
}

/** The plain value of a node; for duplicate keys the last one wins, as with JSON.parse. */
export function toValue(n: JsonNode): unknown {
  switch (n.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const m of n.members) {
        if (m.key === '__proto__') Object.defineProperty(o, m.key, { value: toValue(m.value), enumerable: true, configurable: true, writable: true });
        else o[m.key] = toValue(m.value);
      }
      return o;
    }
    case 'array':
      return n.items.map(toValue);
    case 'null':
      return null;
    default:
      return n.value;
  }
}

/** The member that JSON.parse would keep for `key` (the last one), if any. */
export function member(n: JsonNode | undefined, key: string): JsonMember | undefined {
  if (n?.kind !== 'object') return undefined;
  for (let k = n.members.length - 1; k >= 0; k--) if (n.members[k].key === key) return n.members[k];
  return undefined;
}

/** The node at a path of keys and indexes, or undefined. */
export function nodeAt(root: JsonNode, path: readonly PropertyKey[]): JsonNode | undefined {
  let n: JsonNode | undefined = root;
  for (const p of path) {
    if (!n) return undefined;
    if (n.kind === 'object') n = member(n, String(p))?.value;
    else if (n.kind === 'array' && typeof p === 'number') n = n.items[p];
    else return undefined;
  }
  return n;
}
