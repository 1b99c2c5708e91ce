/** The worst-case cost class of every pattern of a set of rules (`raxe rules validate`). */
import { compileRules } from '../scan/scanner.js';
import type { Engine, PatternCost } from '../engine/index.js';
import type { LoadedRule } from './load.js';

export interface RulePatternCost extends PatternCost {
  rule_id: string;
  pattern_index: number;
}

/**
 * Compiles the rules (throws RuleLoadError naming each refused pattern, as
 * loading does) and measures each pattern: its worst-case NFA steps per byte
 * and whether its DFA stays small on text drawn from its own alphabet
 * ('dfa') or blows up there ('nfa': such text is scanned at NFA speed).
 */
export function patternCosts(engine: Engine, rules: readonly LoadedRule[]): RulePatternCost[] {
  const { matcher, owner } = compileRules(engine, rules);
  const out: RulePatternCost[] = [];
  const first = new Map<number, number>();
  for (let i = 0; i < owner.length; i++) {
    if (!first.has(owner[i])) first.set(owner[i], i);
    out.push({ rule_id: rules[owner[i]].rule_id, pattern_index: i - first.get(owner[i])!, ...matcher.cost(i) });
  }
  return out;
}

/** One line per pattern, for the text report. */
export function formatCost(c: RulePatternCost): string {
  const what = c.class === 'dfa'
    ? `dfa (${c.dfaStates} states on text of its own alphabet), at most ${c.nfaStepsPerByte} NFA steps per byte`
    : `nfa (its DFA blows up on text of its own alphabet): up to ${c.nfaStepsPerByte} NFA steps per byte on such text`;
  return `${c.rule_id} patterns[${c.pattern_index}]: ${what}`;
}
