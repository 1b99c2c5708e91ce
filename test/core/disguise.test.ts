// Issue 12, disguises: every disguise of the list, applied to the built-in
// rules' own should_match examples, must leave >= 90% of them detected by
// the same rule through L1. The rates are printed (the report quotes them).
import { describe, expect, it } from 'vitest';
import { createScanner, loadPack, type LoadError } from '../../src/core/index.js';
import { DISGUISES } from './disguise-gen.js';
import { builtinFiles, WASM } from './helpers.js';

const { manifest, files } = builtinFiles();
const errors: LoadError[] = [];
const pack = loadPack('rules', manifest, files, errors, { builtin: true });
const scanner = await createScanner({ engine: WASM, rules: pack.rules });

const examples = pack.rules.flatMap((r) => (r.examples?.should_match ?? []).map((text) => ({ rule: r.rule_id, family: r.family, text })));

/**
 * rot13 and reversal are decoded only where the result reads as English
 * instruction text (the design: cost and false positives), so for
 * them the bar applies to the families whose examples are instructions;
 * secrets, personal data (keys, card numbers, passport lines) and ENC's
 * already-encoded payloads are reported separately.
 */
const ENGLISH_GATED = new Set(['rot13', 'reversed text']);
const DATA_FAMILIES = new Set(['SEC', 'PII', 'ENC']);

/**
 * The two decode-budget disguises carry 300 KB / 40 segments of decoys per
 * example; every 8th example keeps the test quick and still covers every family.
 */
const SAMPLED = new Set(['payload past the old 256 KB decode budget']);

const rates: string[] = [];

describe('disguised should_match examples are still detected (>= 90% per disguise)', () => {
  it('the built-in pack loads with examples', () => {
    expect(errors).toEqual([]);
    expect(examples.length).toBeGreaterThan(1000);
  });

  for (const [name, disguise] of Object.entries(DISGUISES)) {
    it(name, () => {
      const set = SAMPLED.has(name) ? examples.filter((_, i) => i % 8 === 0) : examples;
      let hit = 0;
      let hitInstr = 0;
      let instr = 0;
      let same = 0;
      const misses: string[] = [];
      for (const ex of set) {
        const text = disguise(ex.text);
        if (text === ex.text) {
          same++; // nothing to disguise (no words: "; rm -rf ~ #"): not counted either way
          continue;
        }
        const found = scanner.scanL1(text).detections.some((d) => d.rule_id === ex.rule);
        const isInstr = !DATA_FAMILIES.has(ex.family);
        if (found) hit++;
        else misses.push(`${ex.rule} ${JSON.stringify(ex.text)}`);
        if (isInstr) {
          instr++;
          if (found) hitInstr++;
        }
      }
      const n = set.length - same;
      expect(n).toBeGreaterThan(set.length / 2);
      const all = hit / n;
      const instrRate = hitInstr / instr;
      rates.push(`${name}: ${(100 * all).toFixed(1)}% of ${n} changed examples (instruction families ${(100 * instrRate).toFixed(1)}% of ${instr}; ${same} left unchanged)`);
      if (ENGLISH_GATED.has(name)) expect(instrRate, misses.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(0.9);
      else expect(all, misses.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('prints the rates', () => {
    console.log(`disguise detection rates (same rule, L1):\n  ${rates.join('\n  ')}`);
    expect(rates).toHaveLength(Object.keys(DISGUISES).length);
  });
});
