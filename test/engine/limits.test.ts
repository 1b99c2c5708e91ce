/**
 * Cost bounds (issue 14, custom rules): the engine refuses, with the
 * position, a counted repetition above 1,000 and a pattern whose program
 * exceeds 4,096 instructions (its worst-case work per byte); rule packs also
 * refuse patterns that can match the empty string. Every accepted pattern is
 * linear, including the ones whose DFA blows up: the work counter proves it.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine, EngineCompileError, type Engine, type PatternError } from '../../src/core/engine/index.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(readFileSync(fileURLToPath(new URL('../../build/raxe.wasm', import.meta.url))));
});

function refusal(source: string, refuseEmpty = false): PatternError | null {
  try {
    engine.compile([{ source }], { refuseEmpty });
    return null;
  } catch (e) {
    if (e instanceof EngineCompileError) return e.errors[0];
    throw e;
  }
}

describe('the issue 14 examples', () => {
  it('(?:a{300}){300}: 90,001 instructions, past the 4,096 bound', () => {
    expect(refusal('(?:a{300}){300}')).toMatchObject({ code: 'too_large', position: 0, message: expect.stringMatching(/4,096 instructions/) });
  });

  it('\\w{1,10000}z: a counted repetition above 1,000, refused at its position', () => {
    expect(refusal('\\w{1,10000}z')).toMatchObject({ code: 'too_large', position: 2, message: expect.stringMatching(/above 1,000.* at position 2$/) });
  });

  it('[ab]*a[ab]{25}c: accepted; its DFA blows up on its own alphabet, so it is classed nfa with a small bound, and stays linear', () => {
    const m = engine.compile([{ source: '[ab]*a[ab]{25}c' }]);
    const cost = m.cost(0);
    expect(cost.class).toBe('nfa');
    expect(cost.dfaStates).toBeNull();
    expect(cost.nfaStepsPerByte).toBeLessThan(100);
    let s = '';
    let x = 12345;
    while (s.length < 1 << 18) {
      x = (x * 1103515245 + 12345) >>> 0;
      s += x & 0x100 ? 'a' : 'b';
    }
    const ids = m.scanIds(s);
    expect(ids).toEqual([]); // no c
    const small = m.lastWork();
    m.scanIds(s + s + s + s);
    // 4x the text: about 4x the work (linear), and within the per-byte bound
    expect(m.lastWork() / small).toBeLessThan(5);
    expect(m.lastWork() / (s.length * 4)).toBeLessThan(cost.nfaStepsPerByte * 4);
    expect(m.scanIds(s + 'a' + 'b'.repeat(25) + 'c')).toEqual([0]);
    expect(m.scanIds(s + 'a' + 'b'.repeat(24) + 'c')).toEqual(s.at(-1) === 'a' ? [0] : []);
  });

  it.each(['a*', '(?:)', '$'])('%s can match the empty string: refused for rule packs at position 0, accepted otherwise (Python compatibility)', (p) => {
    expect(refusal(p, true)).toMatchObject({ code: 'unsupported', position: 0, message: expect.stringMatching(/empty string/) });
    expect(refusal(p)).toBeNull();
  });
});

describe('limits: at the bound and just past it', () => {
  it('counted repetition: 1,000 is accepted, 1,001 refused (also as a lower bound)', () => {
    expect(refusal('xa{1000}')).toBeNull();
    expect(refusal('xa{1001}')).toMatchObject({ code: 'too_large', position: 2 });
    expect(refusal('xa{2,1001}')).toMatchObject({ code: 'too_large', position: 2 });
    expect(refusal('xa{1001,}')).toMatchObject({ code: 'too_large', position: 2 });
    expect(refusal('xa{1000,}')).toBeNull();
  });

  it('program size: 4,096 instructions accepted, 4,097 refused', () => {
    expect(refusal('(?:[ab]{1000}){4}[ab]{96}')).toBeNull();
    expect(refusal('(?:[ab]{1000}){4}[ab]{97}')).toMatchObject({ code: 'too_large', position: 0 });
  });

  it('empty-match refusal looks through groups, alternatives and optional parts', () => {
    for (const p of ['foo|', '(?:a|)', 'x?', '\\b', '(?m)^', '(?:a*)+', 'a{0}']) expect(refusal(p, true), p).toMatchObject({ code: 'unsupported' });
    for (const p of ['a+', 'x?y', '(?:a|b)', '\\bfoo', '(?:a*b)+', '.']) expect(refusal(p, true), p).toBeNull();
  });
});

describe('cost classes', () => {
  it('a plain detection phrase is dfa with few states', () => {
    const m = engine.compile([{ source: '\\bignore\\s+(?:all\\s+)?previous\\s+instructions\\b', flags: 2 }]);
    expect(m.cost(0)).toMatchObject({ class: 'dfa' });
    expect(m.cost(0).dfaStates).toBeLessThan(200);
  });
});
