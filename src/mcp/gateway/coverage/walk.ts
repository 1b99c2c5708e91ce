/**
 * Compiles the coverage table (./table.ts) into path tries and walks
 * messages with them: every string leaf of a part lands at its scan point
 * unless its field is exempt. The walk is iterative (a message nested 100,000
 * levels deep does not overflow the stack) and linear in the message.
 */
import { COVERAGE, type FieldRule, type MessageCoverage, type Part, type ScanPoint } from './table.js';
import { decodeBinary } from './binary.js';

export interface Node {
  /** The point set on this node (inherited by its subtree when set). */
  point?: ScanPoint;
  /** The reason this subtree is not scanned. */
  exempt?: string;
  /** Named fields. */
  fields: Map<string, Node>;
  /** Array elements (`[]`). */
  items?: Node;
  /** Record entries (`*`): the key is scanned too. */
  record?: Node;
  /** `**`: everything below, whatever its shape. */
  any?: boolean;
  /** Fields not named are not relayed (so not scanned). */
  rest?: string;
  /** A base64 payload (declared in the table; the walk decodes by structure, see below). */
  binary?: boolean;
  /** An identifier: also scanned as words. */
  ident?: boolean;
}

/** A compiled part: its root node, the part's default point, or the reason it is exempt. */
export interface CompiledPart {
  root: Node;
  point: ScanPoint;
  exempt?: string;
}

/** Path segments: names, "[]" after a name, "*", "**", and ["quoted.keys"]. */
export function parsePath(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path.startsWith('["', i)) {
      const end = path.indexOf('"]', i + 2);
      if (end < 0) throw new Error(`coverage path ${path}: unterminated ["...`);
      out.push(path.slice(i + 2, end));
      i = end + 2;
    } else if (path.startsWith('[]', i)) {
      out.push('[]');
      i += 2;
    } else if (path[i] === '.') i++;
    else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

const newNode = (): Node => ({ fields: new Map() });

function compilePart(part: Part): CompiledPart {
  const root = newNode();
  if ('exempt' in part) return { root, point: 'response', exempt: part.exempt };
  root.point = part.point;
  if (part.rest) root.rest = part.rest.exempt;
  for (const [path, rule] of Object.entries(part.fields)) {
    let n = root;
    for (const seg of parsePath(path)) {
      if (seg === '**') {
        n.any = true;
        break;
      }
      if (seg === '[]') n = n.items ??= newNode();
      else if (seg === '*') n = n.record ??= newNode();
      else {
        let c = n.fields.get(seg);
        if (!c) n.fields.set(seg, (c = newNode()));
        n = c;
      }
    }
    apply(n, rule);
  }
  return { root, point: part.point };
}

function apply(n: Node, rule: FieldRule): void {
  if (typeof rule === 'string') n.point = rule;
  else if ('exempt' in rule) n.exempt = rule.exempt;
  else if ('ident' in rule) {
    n.point = rule.ident;
    n.ident = true;
  } else {
    n.point = rule.binary;
    n.binary = true;
  }
}

/** Longest identifier also read as words (names are short; a long key is text anyway). */
export const MAX_IDENT_SPLIT = 256;

/** An identifier as words ("ignore_previous-instructionsNow" -> "ignore previous instructions Now"), or null when it has no joints. */
export function identWords(s: string): string | null {
  if (s.length > MAX_IDENT_SPLIT || !/[_\-.]|[a-z][A-Z]/.test(s)) return null;
  return s.replace(/[_\-.]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
}

function pushName(m: Map<ScanPoint, string[]>, point: ScanPoint, s: string): void {
  push(m, point, s);
  const w = identWords(s);
  if (w !== null) push(m, point, w);
}

export interface CompiledMessage {
  entry: MessageCoverage;
  params: CompiledPart;
  result?: CompiledPart;
  error?: CompiledPart;
}

const compiled = new Map<string, CompiledMessage>();
const key = (from: string, kind: string, method: string) => `${from} ${kind} ${method}`;

function compileEntry(e: MessageCoverage): CompiledMessage {
  const out: CompiledMessage = { entry: e, params: compilePart(e.params) };
  if (e.result) out.result = compilePart(e.result);
  if (e.error) out.error = compilePart(e.error);
  else if (out.result) {
    const r = out.result;
    out.error = r.exempt !== undefined
      ? r
      : compilePart({ point: r.point, fields: { message: r.point, 'data.**': r.point } });
  }
  return out;
}

for (const e of COVERAGE) compiled.set(key(e.from, e.kind, e.method), compileEntry(e));

/** The compiled entry of a message: its own, or the "*" entry for methods the table does not list. */
export function coverageOf(from: 'host' | 'upstream', kind: 'request' | 'notification', method: string): CompiledMessage {
  return compiled.get(key(from, kind, method)) ?? compiled.get(key(from, kind, '*'))!;
}

/** The sub-part at `path` of a part (e.g. one list entry: `tools[]`), keeping the point in force there. */
export function subPart(part: CompiledPart, path: string): CompiledPart {
  let n: Node | undefined = part.root;
  let point = part.point;
  for (const seg of parsePath(path)) {
    n = seg === '[]' ? n?.items : seg === '*' ? n?.record : n?.fields.get(seg);
    if (n?.point) point = n.point;
  }
  return { root: n ?? { fields: new Map(), any: true }, point, exempt: part.exempt ?? n?.exempt };
}

/** The texts of a part, by scan point, and what could not be scanned (by point: reasons). */
export interface Extracted {
  texts: Map<ScanPoint, string[]>;
  unscannable: Map<ScanPoint, Set<string>>;
  /** How many binary payloads were skipped (not text). */
  binarySkipped: number;
}

const GENERIC: Node = { fields: new Map(), any: true };

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/**
 * Every string of `value` the part scans, grouped by scan point. Keys of
 * records, of `**` subtrees and of fields the table does not name are
 * scanned too (an injected property name is text a model reads).
 */
export function extract(part: CompiledPart, value: unknown, out?: Extracted): Extracted {
  const res = out ?? { texts: new Map(), unscannable: new Map(), binarySkipped: 0 };
  if (part.exempt !== undefined || value === undefined) return res;
  const stack: Array<[unknown, Node, ScanPoint]> = [[value, part.root, part.root.point ?? part.point]];
  while (stack.length > 0) {
    const [v, node, point] = stack.pop()!;
    if (typeof v === 'string') {
      if (node.ident) pushName(res.texts, point, v);
      else push(res.texts, point, v);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      const child = node.items ?? GENERIC;
      if (child.exempt !== undefined) continue;
      const p = child.point ?? point;
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], child, p]);
      continue;
    }
    const o = v as Record<string, unknown>;
    // structural: base64 payloads of image/audio content and resource contents
    let skip: string | undefined;
    if (typeof o.blob === 'string') skip = 'blob';
    else if ((o.type === 'image' || o.type === 'audio') && typeof o.data === 'string') skip = 'data';
    if (skip && node.fields.get(skip)?.exempt === undefined) {
      const p = node.fields.get(skip)?.point ?? point;
      const r = decodeBinary(o[skip] as string, o.mimeType);
      if (r.kind === 'text') push(res.texts, p, r.text);
      else if (r.kind === 'binary') res.binarySkipped++;
      else {
        let s = res.unscannable.get(p);
        if (!s) res.unscannable.set(p, (s = new Set()));
        s.add(r.reason);
      }
    }
    const keys = Object.keys(o);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      if (k === skip) continue;
      let child = node.fields.get(k);
      if (child === undefined) {
        if (node.rest !== undefined) continue; // not relayed
        pushName(res.texts, point, k); // a record key (a property name...), or a field the protocol does not define
        child = node.record ?? GENERIC;
      }
      if (child.exempt !== undefined) continue;
      stack.push([o[k], child, child.point ?? point]);
    }
  }
  return res;
}

const LIST_METHODS = { tools: 'tools/list', prompts: 'prompts/list', resources: 'resources/list', resourceTemplates: 'resources/templates/list' } as const;

/**
 * Every text the gateway scans in one list entry (a tool, prompt, resource
 * or template) — what `raxe mcp audit --scan-tools` scans too.
 */
export function entryTexts(kind: keyof typeof LIST_METHODS, entry: Record<string, unknown>): string[] {
  const part = subPart(coverageOf('host', 'request', LIST_METHODS[kind]).result!, `${kind}[]`);
  return [...extract(part, entry).texts.values()].flat();
}

/** All compiled entries (for the coverage test and the docs). */
export function allCoverage(): CompiledMessage[] {
  return [...compiled.values()];
}
