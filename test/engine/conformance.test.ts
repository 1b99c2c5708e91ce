/**
 * Conformance corpus: every case in conformance/cases.json (generated from
 * Python 3.11's `re` by scripts/gen-conformance.py) must give Python's span.
 *
 *   python3 scripts/gen-conformance.py     # regenerate the corpus
 *   npm run build:wasm && npx vitest run test/engine/conformance.test.ts
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine, EngineCompileError, type Engine, type Matcher } from '../../src/core/engine/index.js';

interface Case { pattern: string; flags: number; input: string; span: [number, number] | null }
interface Refusal {
  pattern: string;
  flags: number;
  code: 'syntax' | 'unsupported' | 'too_large';
  position: number | null;
  python: { ok: boolean; error?: string; pos?: number | null };
}
interface Corpus { python: string; cases: Case[]; refused: Refusal[]; syntax: Refusal[] }

const WASM = fileURLToPath(new URL('../../build/raxe.wasm', import.meta.url));
const corpus: Corpus = JSON.parse(readFileSync(new URL('./conformance/cases.json', import.meta.url), 'utf8'));

const show = (s: unknown) => JSON.stringify(s);
const key = (p: string, f: number) => `${f}\u0000${p}`;

/** distinct (pattern, flags) in corpus order, and each case's pattern index */
const patterns: { source: string; flags: number }[] = [];
const patIndex = new Map<string, number>();
for (const c of corpus.cases) {
  const k = key(c.pattern, c.flags);
  if (!patIndex.has(k)) {
    patIndex.set(k, patterns.length);
    patterns.push({ source: c.pattern, flags: c.flags });
  }
}

let engine: Engine;

beforeAll(async () => {
  if (!existsSync(WASM)) throw new Error(`${WASM} is missing: run \`npm run build:wasm\` first`);
  engine = await loadEngine(readFileSync(WASM));
});

function describeCase(c: Case, got: unknown): string {
  return `pattern=${show(c.pattern)} flags=${c.flags} input=${show(c.input)} python=${show(c.span)} engine=${show(got)}`;
}

function refusalOf(source: string, flags: number): unknown {
  try {
    engine.compile([{ source, flags }]);
    return null;
  } catch (e) {
    return e instanceof EngineCompileError ? e.errors[0] : e;
  }
}

describe(`conformance with Python ${corpus.python} re (${corpus.cases.length} cases, ${patterns.length} patterns)`, () => {
  it('corpus is big enough', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(400);
  });

  describe('all patterns compiled as one set', () => {
    let matcher: Matcher;
    const compileErrors: string[] = [];
    beforeAll(() => {
      try {
        matcher = engine.compile(patterns);
      } catch (e) {
        if (!(e instanceof EngineCompileError)) throw e;
        for (const err of e.errors) {
          const p = patterns[err.index];
          compileErrors.push(`pattern=${show(p.source)} flags=${p.flags}: ${err.code} at ${err.position}: ${err.message}`);
        }
        // keep going with the rest so span checks still run
        const bad = new Set(e.errors.map((x) => x.index));
        const good = patterns.map((p, i) => (bad.has(i) ? { source: 'a^', flags: 0 } : p));
        matcher = engine.compile(good);
      }
    });

    it('every corpus pattern compiles', () => {
      expect(compileErrors, compileErrors.join('\n')).toEqual([]);
    });

    it.each(corpus.cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
      const id = patIndex.get(key(c.pattern, c.flags))!;
      const m = matcher.scan(c.input).find((x) => x.id === id);
      const got = m ? [m.start, m.end] : null;
      expect(got, describeCase(c, got)).toEqual(c.span);
    });
  });

  it('every pattern compiled alone gives the same spans', () => {
    const failures: string[] = [];
    patterns.forEach((p, id) => {
      let m: Matcher;
      try {
        m = engine.compile([p]);
      } catch (e) {
        failures.push(`pattern=${show(p.source)} flags=${p.flags}: refused: ${e instanceof Error ? e.message : e}`);
        return;
      }
      for (const c of corpus.cases) {
        if (patIndex.get(key(c.pattern, c.flags)) !== id) continue;
        const r = m.scan(c.input);
        const got = r.length ? [r[0].start, r[0].end] : null;
        if (r.length > 1 || (r.length === 1 && r[0].id !== 0)) failures.push(`bad ids ${show(r)} for ${describeCase(c, got)}`);
        else if (show(got) !== show(c.span)) failures.push(describeCase(c, got));
      }
    });
    expect(failures, `${failures.length} mismatches:\n${failures.join('\n')}`).toEqual([]);
  });

  describe('unsupported constructs are refused', () => {
    it.each(corpus.refused.map((r) => [r.pattern, r] as const))('%s', (_p, r) => {
      const err = refusalOf(r.pattern, r.flags);
      expect(err, `pattern=${show(r.pattern)} was not refused`).toBeTruthy();
      expect(err, `pattern=${show(r.pattern)} threw a non-EngineCompileError`).toHaveProperty('code');
      expect({ code: (err as { code: string }).code, position: (err as { position: number }).position },
        `pattern=${show(r.pattern)} flags=${r.flags}: ${(err as { message?: string }).message}`)
        .toEqual({ code: r.code, position: r.position });
    });
  });

  describe('patterns Python rejects are refused as syntax errors', () => {
    it.each(corpus.syntax.map((r) => [r.pattern, r] as const))('%s', (_p, r) => {
      const err = refusalOf(r.pattern, r.flags);
      expect(err, `pattern=${show(r.pattern)} was accepted; Python says: ${r.python.error}`).toBeTruthy();
      expect((err as { code?: string }).code,
        `pattern=${show(r.pattern)}: ${(err as { message?: string }).message}; Python says: ${r.python.error}`).toBe('syntax');
    });

    // Informational: Python's own error positions are sometimes odd (e.g. 12
    // for a redefined group name, 1 for "\\8"), and matching them is not a
    // requirement. Set RAXE_STRICT_POSITIONS=1 to make mismatches fail.
    it('error positions vs Python (informational unless RAXE_STRICT_POSITIONS=1)', () => {
      const off: string[] = [];
      for (const r of corpus.syntax) {
        if (r.position === null) continue;
        const err = refusalOf(r.pattern, r.flags) as { code?: string; position?: number } | null;
        if (err?.code === 'syntax' && err.position !== r.position) {
          off.push(`pattern=${show(r.pattern)} python=${r.position} (${r.python.error}) engine=${err.position}`);
        }
      }
      if (process.env.RAXE_STRICT_POSITIONS) expect(off, off.join('\n')).toEqual([]);
      else if (off.length) console.warn(`${off.length} syntax-error positions differ from Python:\n${off.join('\n')}`);
    });
  });
});
