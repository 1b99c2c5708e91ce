/**
 * The editor's rule -> a scanner, or the problems that stop it loading.
 *
 * This is the path `raxe rules validate FILE` takes (src/cli/rules-command.ts):
 * the core's loadPack with the same one-file manifest, then createScanner,
 * whose RuleLoadError names every refused pattern. Messages come from
 * formatLoadError, so they read exactly as on the command line.
 */
import { parseDocument, isScalar } from 'yaml';
import {
  createScanner, formatLoadError, loadPack, RuleLoadError,
  type Engine, type L2Classifier, type LoadError, type LoadedRule, type Scanner,
} from '../../src/core/index.js';

/** One problem, placed in the editor. `line` and `column` are 1-based. */
export interface Problem {
  line: number;
  column: number;
  /** Offsets into the text for the editor's underline. */
  from: number;
  to: number;
  /** `rule_id field: message`, the part of the CLI line after the location. */
  message: string;
  /** The whole line `raxe rules validate` prints. */
  cli: string;
}

export type Checked =
  | { ok: true; scanner: Scanner; rules: readonly LoadedRule[]; compileMs: number }
  | { ok: false; problems: Problem[] };

/**
 * Loads `text` as the rule file `fileName` and compiles it. Every problem is
 * returned at once, in the order `raxe rules validate` prints them.
 */
export async function checkRule(engine: Engine, fileName: string, text: string, l2: L2Classifier | null): Promise<Checked> {
  const errors: LoadError[] = [];
  // the manifest readPack (src/cli/fs-packs.ts) gives a single rule file
  const pack = loadPack('.', { path: 'pack.yaml', text: `name: ${fileName}\nversion: "0"\n` }, [{ path: fileName, text }], errors);
  const t0 = performance.now();
  let scanner: Scanner | null = null;
  try {
    scanner = await createScanner({ engine, rules: pack.rules, l2 });
  } catch (e) {
    if (!(e instanceof RuleLoadError)) throw e;
    errors.push(...e.errors);
  }
  const compileMs = performance.now() - t0;
  if (errors.length === 0 && scanner) return { ok: true, scanner, rules: pack.rules, compileMs };
  return { ok: false, problems: errors.map((e) => place(e, text)) };
}

/** Where a load error goes in the text, and its message without the location. */
function place(e: LoadError, text: string): Problem {
  const cli = formatLoadError(e);
  const where = formatLoadError({ file: e.file, line: e.line, column: e.column, message: '' });
  const message = cli.startsWith(where) ? cli.slice(where.length) : cli;
  const starts = lineStarts(text);
  const line = Math.min(Math.max(e.line ?? 1, 1), starts.length);
  const lineStart = starts[line - 1];
  const lineEnd = line < starts.length ? starts[line] - 1 : text.length;
  // a refused pattern: point at the offending character inside the pattern
  const at = e.pattern_index !== undefined && e.position !== undefined ? patternOffset(text, e.pattern_index, e.position) : null;
  if (at !== null && at >= lineStart && at <= lineEnd) {
    return { line, column: at - lineStart + 1, from: at, to: Math.min(at + 1, lineEnd), message, cli };
  }
  const from = Math.min(lineStart + Math.max((e.column ?? 1) - 1, 0), lineEnd);
  return { line, column: from - lineStart + 1, from, to: Math.max(lineEnd, from), message, cli };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/**
 * The text offset of code point `position` of pattern `index`, for plain and
 * single-quoted scalars (whose source maps to the value one to one, apart from
 * '' for '). Null for other styles: the error then marks the pattern's line.
 */
export function patternOffset(text: string, index: number, position: number): number | null {
  const doc = parseDocument(text);
  const node = doc.getIn(['patterns', index, 'pattern'], true);
  if (!isScalar(node) || !node.range) return null;
  let i = node.range[0];
  if (node.type === 'QUOTE_SINGLE') i++;
  else if (node.type !== 'PLAIN') return null;
  for (let cp = 0; cp < position && i < node.range[1]; cp++) {
    if (node.type === 'QUOTE_SINGLE' && text[i] === "'" && text[i + 1] === "'") i += 2;
    else i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  }
  return i;
}
