/**
 * Rule pack loading: YAML text -> validated rules, with every problem
 * reported at once (file, line, column, rule id, field). No file access here:
 * adapters hand in { path, text } pairs.
 */
import { LineCounter, parseDocument, isMap, type Document } from 'yaml';
import type { z } from 'zod';
import { RuleSchema, BuiltinRuleSchema, PackManifestSchema, type Rule, type PackManifest } from './schema.js';

/** A rule file or manifest as read by an adapter. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One problem found while loading; `toString()` gives the one-line form. */
export interface LoadError {
  file: string;
  line?: number;
  column?: number;
  rule_id?: string;
  field?: string;
  pattern_index?: number;
  position?: number;
  message: string;
}

/** A rule with where it came from (for error messages and `rules info`). */
export interface LoadedRule extends Rule {
  readonly source: { pack: string; file: string; patternLines: number[] };
}

export interface LoadedPack {
  manifest: PackManifest;
  rules: LoadedRule[];
}

/** `file:line:col: rule_id field: message` */
export function formatLoadError(e: LoadError): string {
  let where = e.file;
  if (e.line !== undefined) where += `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}`;
  const who = [e.rule_id, e.field].filter(Boolean).join(' ');
  return `${where}: ${who ? `${who}: ` : ''}${e.message}`;
}

/** Thrown when rules cannot be loaded; `errors` holds every problem. */
export class RuleLoadError extends Error {
  readonly errors: LoadError[];
  constructor(errors: LoadError[]) {
    super(`${errors.length} problem${errors.length === 1 ? '' : 's'} in rules:\n${errors.map(formatLoadError).join('\n')}`);
    this.name = 'RuleLoadError';
    this.errors = errors;
  }
}

function position(doc: Document, lc: LineCounter, path: (string | number)[]): { line?: number; column?: number } {
  // walk up the path until a node with a range exists
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const { line, col } = lc.linePos(range[0]);
      return { line, column: col };
    }
  }
  return {};
}

function fieldName(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

interface Parsed {
  doc: Document;
  lc: LineCounter;
}

function parseYaml(file: SourceFile, errors: LoadError[]): Parsed | null {
  const lc = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const lp = err.linePos?.[0] ?? lc.linePos(err.pos[0]);
      errors.push({ file: file.path, line: lp?.line, column: lp?.col, message: `YAML: ${err.message.split('\n')[0]}` });
    }
    return null;
  }
  return { doc, lc };
}

function validate<T extends z.ZodType>(schema: T, file: SourceFile, p: Parsed, errors: LoadError[], ruleId?: string): z.infer<T> | null {
  const data = p.doc.toJS();
  const res = schema.safeParse(data);
  if (res.success) return res.data;
  const id = ruleId ?? (isMap(p.doc.contents) ? (p.doc.get('rule_id') as string | undefined) : undefined);
  for (const issue of res.error.issues) {
    const path = issue.path as (string | number)[];
    errors.push({
      file: file.path,
      ...position(p.doc, p.lc, path),
      rule_id: typeof id === 'string' ? id : undefined,
      field: fieldName(path) || undefined,
      message: issue.message,
    });
  }
  return null;
}

/**
 * Loads one pack: `manifest` is its pack.yaml, `files` its rule files.
 * Problems are appended to `errors`; the rules that did load are returned.
 * `builtin` applies the built-in pack's stricter schema.
 */
export function loadPack(
  packDir: string,
  manifest: SourceFile | null,
  files: readonly SourceFile[],
  errors: LoadError[],
  options: { builtin?: boolean } = {},
): LoadedPack {
  let man: PackManifest = { name: packDir, version: '0', description: '' };
  if (manifest === null) {
    errors.push({ file: `${packDir}/pack.yaml`, message: 'missing pack manifest: add pack.yaml with name, version and description' });
  } else {
    const p = parseYaml(manifest, errors);
    const m = p && validate(PackManifestSchema, manifest, p, errors);
    if (m) man = m;
  }
  const schema = options.builtin ? BuiltinRuleSchema : RuleSchema;
  const rules: LoadedRule[] = [];
  for (const file of files) {
    const p = parseYaml(file, errors);
    if (!p) continue;
    const r = validate(schema, file, p, errors);
    if (!r) continue;
    const patternLines = r.patterns.map((_: unknown, i: number) => position(p.doc, p.lc, ['patterns', i, 'pattern']).line ?? 0);
    rules.push({ ...r, source: { pack: man.name, file: file.path, patternLines } });
  }
  return { manifest: man, rules };
}

/** Reports rule ids defined more than once across all packs. */
export function checkDuplicates(packs: readonly LoadedPack[], errors: LoadError[]): void {
  const seen = new Map<string, LoadedRule>();
  for (const pack of packs) {
    for (const r of pack.rules) {
      const prev = seen.get(r.rule_id);
      if (prev) {
        errors.push({
          file: r.source.file,
          rule_id: r.rule_id,
          field: 'rule_id',
          message: `duplicate rule id: also defined in ${prev.source.file} (pack ${prev.source.pack})`,
        });
      } else seen.set(r.rule_id, r);
    }
  }
}
