// Shared helpers for the core suites: in-memory rule files and one engine.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, loadPack, type Engine, type LoadError, type LoadedPack, type SourceFile } from '../../src/core/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WASM = readFileSync(join(ROOT, 'build', 'raxe.wasm'));

let enginePromise: Promise<Engine> | undefined;
/** One compiled engine per test file (compiling the wasm is the slow part). */
export function engine(): Promise<Engine> {
  enginePromise ??= loadEngine(WASM);
  return enginePromise;
}

export interface RuleSpec {
  rule_id: string;
  family?: string;
  name?: string;
  severity?: string;
  confidence?: number;
  patterns: { pattern: string; flags?: string[] }[];
  examples?: { should_match: string[]; should_not_match: string[] };
}

/** YAML single-quoted scalar: backslashes stay literal, quotes double. */
export function sq(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A rule file in the RAXE shape. Line numbers are fixed: rule_id 1, version 2,
 * family 3, name 4, description 5, severity 6, confidence 7, patterns 8, then
 * each pattern on its own line (9, 10 with flags on the next line when given).
 */
export function ruleYaml(r: RuleSpec): string {
  const lines = [
    `rule_id: ${r.rule_id}`,
    'version: 1.0.0',
    `family: ${r.family ?? 'PI'}`,
    `name: ${sq(r.name ?? `Rule ${r.rule_id}`)}`,
    'description: A rule written for the tests.',
    `severity: ${r.severity ?? 'high'}`,
    `confidence: ${r.confidence ?? 0.9}`,
    'patterns:',
  ];
  for (const p of r.patterns) {
    lines.push(`  - pattern: ${sq(p.pattern)}`);
    if (p.flags) lines.push(`    flags: [${p.flags.join(', ')}]`);
  }
  if (r.examples) {
    lines.push('examples:');
    for (const kind of ['should_match', 'should_not_match'] as const) {
      const list = r.examples[kind];
      if (list.length === 0) lines.push(`  ${kind}: []`);
      else lines.push(`  ${kind}:`, ...list.map((e) => `    - ${sq(e)}`));
    }
  }
  return lines.join('\n') + '\n';
}

export const MANIFEST = (name = 'test-pack'): SourceFile => ({ path: `${name}/pack.yaml`, text: `name: ${name}\nversion: 1.0.0\ndescription: tests\n` });

/** Loads in-memory rule specs as one pack; fails the test if anything is refused. */
export function packOf(specs: RuleSpec[], name = 'test-pack'): LoadedPack {
  const errors: LoadError[] = [];
  const pack = loadPack(name, MANIFEST(name), specs.map((s) => ({ path: `${name}/${s.rule_id}.yaml`, text: ruleYaml(s) })), errors);
  if (errors.length) throw new Error(`test rules did not load: ${JSON.stringify(errors)}`);
  return pack;
}

/** The rule every evasion test is about. */
export const IGNORE_RULE: RuleSpec = {
  rule_id: 'test-pi-001',
  family: 'PI',
  name: 'Instruction override',
  severity: 'high',
  patterns: [{ pattern: '\\bignore\\s+(?:all\\s+)?previous\\s+instructions\\b', flags: ['IGNORECASE'] }],
};

/** The built-in rule files, read from rules/ (pack.yaml excluded). */
export function builtinFiles(): { manifest: SourceFile; files: SourceFile[] } {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n) && n !== 'pack.yaml') files.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  const dir = join(ROOT, 'rules');
  walk(dir);
  return { manifest: { path: join(dir, 'pack.yaml'), text: readFileSync(join(dir, 'pack.yaml'), 'utf8') }, files };
}
