/**
 * Runs every rule's should_match / should_not_match examples, either through
 * a scanner (the whole L1 pipeline) or through the engine alone (`--raw`).
 */
import { compileRules, type Scanner } from '../scan/scanner.js';
import type { Engine } from '../engine/index.js';
import type { LoadedRule } from './load.js';

export interface ExampleFailure {
  rule_id: string;
  kind: 'should_match' | 'should_not_match';
  example: string;
}

export interface ExampleReport {
  rules: number;
  examples: number;
  failed: ExampleFailure[];
}

/**
 * A should_match example passes when the rule fires on it (through the whole
 * L1 pipeline: normalisation and decoding included); a should_not_match
 * example passes when that rule does not fire. Other rules are ignored.
 *
 * Because the text is also scanned normalised and decoded, an example can
 * match here where Python's re.search(pattern, example) does not (a tab in
 * the example becomes a space, a base64 payload is decoded, a look-alike
 * letter is mapped to ASCII): runExamplesRaw() checks the patterns alone.
 */
export function runExamples(scanner: Scanner): ExampleReport {
  return checkExamples(scanner.rules, (example, _ri, rule) => scanner.scanL1(example).detections.some((d) => d.rule_id === rule.rule_id));
}

/**
 * Like runExamples(), but each example goes to the regex engine alone, as
 * raw text (no normalisation, no decoding): a rule fires when one of its
 * patterns matches, exactly as Python's re.search(pattern, example) would.
 * Throws RuleLoadError when a pattern does not compile.
 */
export function runExamplesRaw(engine: Engine, rules: readonly LoadedRule[]): ExampleReport {
  const { matcher, owner } = compileRules(engine, rules);
  return checkExamples(rules, (example, ri) => matcher.scanIds(example).some((id) => owner[id] === ri));
}

/** Each example of each rule against `fired` (did rule `ri` fire on it?). */
function checkExamples(rules: readonly LoadedRule[], fired: (example: string, ri: number, rule: LoadedRule) => boolean): ExampleReport {
  const report: ExampleReport = { rules: rules.length, examples: 0, failed: [] };
  rules.forEach((r, ri) => {
    const ex = r.examples;
    if (!ex) return;
    for (const [kind, list, want] of [
      ['should_match', ex.should_match, true],
      ['should_not_match', ex.should_not_match, false],
    ] as const) {
      for (const example of list) {
        report.examples++;
        if (fired(example, ri, r) !== want) report.failed.push({ rule_id: r.rule_id, kind, example });
      }
    }
  });
  return report;
}
