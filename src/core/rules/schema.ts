/**
 * Rule and pack schemas: the single source of truth for their types.
 *
 * The rule shape is the published RAXE custom-rule format, so existing custom
 * rule files load unchanged: unknown keys are kept, `timeout` is accepted and
 * ignored (our engine is linear-time), severities are case-insensitive.
 */
import { z } from 'zod';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.toLowerCase() : v),
  z.enum(SEVERITIES),
);
export type Severity = (typeof SEVERITIES)[number];

/** Python `re` flag names (long and short) and their numeric values. */
export const FLAG_VALUES: Record<string, number> = {
  IGNORECASE: 2, I: 2,
  MULTILINE: 8, M: 8,
  DOTALL: 16, S: 16,
  VERBOSE: 64, X: 64,
  UNICODE: 32, U: 32,
};

export const PatternSchema = z.looseObject({
  pattern: z.string().min(1, 'pattern must not be empty'),
  flags: z
    .array(
      z.preprocess(
        (v) => (typeof v === 'string' ? v.toUpperCase().replace(/^RE\./, '') : v),
        z.enum(Object.keys(FLAG_VALUES) as [string, ...string[]], {
          message: 'unknown flag (use IGNORECASE, MULTILINE, DOTALL or VERBOSE)',
        }),
      ),
    )
    .default([]),
  timeout: z.number().nonnegative().optional(),
});

// an empty list written as `should_match:` (null) means no examples
const ExampleList = z.preprocess((v) => (v === null ? [] : v), z.array(z.string()).default([]));
export const ExamplesSchema = z.looseObject({
  should_match: ExampleList,
  should_not_match: ExampleList,
});

export const RuleSchema = z.looseObject({
  rule_id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'rule_id may hold only letters, digits, "_", "." and "-"'),
  version: z.union([z.string(), z.number()]).transform(String),
  family: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'family must be upper case, e.g. PI'),
  sub_family: z.string().default(''),
  name: z.string().min(1),
  description: z.string().min(1),
  severity: SeveritySchema,
  confidence: z.number().min(0).max(1),
  patterns: z.array(PatternSchema).min(1, 'a rule needs at least one pattern'),
  examples: ExamplesSchema.optional(),
  mitre_attack: z.array(z.string()).default([]),
  metadata: z.record(z.string(), z.unknown()).default({}),
  risk_explanation: z.string().default(''),
  remediation_advice: z.string().default(''),
});
export type Rule = z.infer<typeof RuleSchema>;

/** The built-in pack is held to more: lower-case <family>-NNN ids and at least 4+4 examples. */
export const BuiltinRuleSchema = RuleSchema.superRefine((r, ctx) => {
  if (!new RegExp(`^${r.family.toLowerCase()}-\\d{3}$`).test(r.rule_id)) {
    ctx.addIssue({ code: 'custom', path: ['rule_id'], message: `built-in rule ids are <family>-NNN in lower case, e.g. ${r.family.toLowerCase()}-001` });
  }
  const ex = r.examples;
  if (!ex || ex.should_match.length < 4) {
    ctx.addIssue({ code: 'custom', path: ['examples', 'should_match'], message: 'built-in rules need at least 4 should_match examples' });
  }
  if (!ex || ex.should_not_match.length < 4) {
    ctx.addIssue({ code: 'custom', path: ['examples', 'should_not_match'], message: 'built-in rules need at least 4 should_not_match examples' });
  }
});

export const PackManifestSchema = z.looseObject({
  name: z.string().min(1),
  version: z.union([z.string(), z.number()]).transform(String),
  description: z.string().default(''),
});
export type PackManifest = z.infer<typeof PackManifestSchema>;

/** Severity rank: info 0 .. critical 4. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * Does a detection of severity `s` meet `threshold`? Threshold names are
 * case-insensitive (the gateway config uses LOW..CRITICAL).
 */
export function meetsThreshold(s: Severity, threshold: string): boolean {
  const t = SEVERITIES.indexOf(threshold.toLowerCase() as Severity);
  if (t < 0) throw new Error(`unknown severity threshold "${threshold}" (use info, low, medium, high or critical)`);
  return severityRank(s) >= t;
}

/** The numeric `re` flags of a pattern entry. */
export function flagsValue(flags: readonly string[]): number {
  let v = 0;
  for (const f of flags) v |= FLAG_VALUES[f] ?? 0;
  return v;
}
