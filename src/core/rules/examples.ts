/** Runs every rule's should_match / should_not_match examples through a scanner. */
import type { Scanner } from '../scan/scanner.js';

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
 */
export function runExamples(scanner: Scanner): ExampleReport {
  const report: ExampleReport = { rules: scanner.rules.length, examples: 0, failed: [] };
  for (const r of scanner.rules) {
    const ex = r.examples;
    if (!ex) continue;
    for (const [kind, list, want] of [
      ['should_match', ex.should_match, true],
      ['should_not_match', ex.should_not_match, false],
    ] as const) {
      for (const example of list) {
        report.examples++;
        const fired = scanner.scanL1(example).detections.some((d) => d.rule_id === r.rule_id);
        if (fired !== want) report.failed.push({ rule_id: r.rule_id, kind, example });
      }
    }
  }
  return report;
}
