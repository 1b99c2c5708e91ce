/** `raxe rules list | info | validate | test`. */
import { createScanner, formatCost, formatLoadError, familyName, loadEngine, patternCosts, RuleLoadError, runExamples, runExamplesRaw, type LoadError, type LoadedPack, type RulePatternCost } from '../core/index.js';
import { readPacks, readPack, readWasm } from './fs-packs.js';
import { CliError, many } from './errors.js';
import { checkDuplicates } from '../core/index.js';
import { RULES_OPTION, TEXT_JSON_FORMAT, type CommandSpec } from './command.js';

/** --format text|json, checked. */
function wantsJson(o: Record<string, unknown>): boolean {
  if (o.format !== 'json' && o.format !== 'text') throw new CliError(`--format must be text or json (got "${o.format}")`, 2);
  return o.format === 'json';
}

export const rulesCommands: CommandSpec[] = [
  {
    name: 'rules list',
    description: 'List the rules (built-in and --rules packs)',
    options: [{ flags: '--family <family>', description: 'Only this family (PI, JB, DE, ...; any case)' }, TEXT_JSON_FORMAT, RULES_OPTION],
    examples: ['raxe rules list --family PI', 'raxe rules list --format json --rules ./my-pack'],
    run: (_, o) => list(many(o.rules), o.family as string | undefined, wantsJson(o)),
  },
  {
    name: 'rules info',
    args: '<rule-id>',
    description: 'Describe one rule: family, severity, description, risk, remediation, source',
    options: [TEXT_JSON_FORMAT, RULES_OPTION],
    examples: ['raxe rules info pi-001'],
    run: ([id], o) => info(many(o.rules), String(id), wantsJson(o)),
  },
  {
    name: 'rules validate',
    args: '<...paths>',
    description: 'Check rule packs (folders with pack.yaml) or rule files: schema, duplicates, patterns; exit 1 on problems',
    options: [TEXT_JSON_FORMAT],
    examples: ['raxe rules validate ./my-pack'],
    run: ([paths], o) => validate(paths as string[], wantsJson(o)),
  },
  {
    name: 'rules test',
    args: '<...paths>',
    description: "Run every rule's should_match / should_not_match examples (through the normalised and decoded layers, as a scan reads text); exit 1 when one fails",
    options: [TEXT_JSON_FORMAT, { flags: '--raw', description: 'Run the examples through the regex engine alone (as Python re.search sees them), not the normalised and decoded layers' }],
    examples: ['raxe rules test ./my-pack', 'raxe rules test --raw ./my-pack'],
    run: ([paths], o) => test(paths as string[], wantsJson(o), !!o.raw),
  },
];

async function list(dirs: string[], family: string | undefined, json: boolean): Promise<void> {
  const { packs, errors } = readPacks(dirs);
  if (errors.length) throw new CliError(`cannot load rules:\n${errors.map(formatLoadError).join('\n')}`, 2);
  let rules = packs.flatMap((p) => p.rules);
  if (family) rules = rules.filter((r) => r.family === family.toUpperCase());
  if (json) {
    const out = rules.map((r) => ({ rule_id: r.rule_id, family: r.family, sub_family: r.sub_family, name: r.name, severity: r.severity, confidence: r.confidence, pack: r.source.pack }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  for (const r of rules) process.stdout.write(`${r.rule_id.padEnd(10)} ${r.severity.toUpperCase().padEnd(8)} ${r.family.padEnd(5)} ${r.name}\n`);
  process.stdout.write(`${rules.length} rule${rules.length === 1 ? '' : 's'}\n`);
}

async function info(dirs: string[], id: string, json: boolean): Promise<void> {
  const { packs, errors } = readPacks(dirs);
  if (errors.length) throw new CliError(`cannot load rules:\n${errors.map(formatLoadError).join('\n')}`, 2);
  const rules = packs.flatMap((p) => p.rules);
  const r = rules.find((x) => x.rule_id === id.toLowerCase() || x.rule_id === id);
  if (!r) {
    const near = rules.map((x) => x.rule_id).filter((x) => x.startsWith(id.toLowerCase().split('-')[0])).slice(0, 5);
    throw new CliError(`unknown rule "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`, 2);
  }
  if (json) {
    const { source, ...rest } = r;
    process.stdout.write(JSON.stringify({ ...rest, file: source.file, pack: source.pack }, null, 2) + '\n');
    return;
  }
  const lines = [
    `Rule: ${r.rule_id}`,
    `Name: ${r.name}`,
    `Family: ${r.family} (${familyName(r.family)})${r.sub_family ? ` / ${r.sub_family}` : ''}`,
    `Severity: ${r.severity.toUpperCase()}`,
    `Confidence: ${Math.round(r.confidence * 100)}%`,
    `Description: ${r.description}`,
  ];
  if (r.risk_explanation) lines.push(`Risk: ${r.risk_explanation}`);
  if (r.remediation_advice) lines.push(`Remediation: ${r.remediation_advice}`);
  if (r.mitre_attack.length) lines.push(`MITRE: ${r.mitre_attack.join(', ')}`);
  lines.push(`Patterns: ${r.patterns.length}`, `Source: ${r.source.file}`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** Loads only the packs at `paths` and compiles them; returns the packs or the problems. */
async function loadOnly(paths: string[]): Promise<{ packs: LoadedPack[]; errors: LoadError[] }> {
  if (paths.length === 0) throw new CliError('give at least one PATH (a pack folder or a rule file)', 2);
  const errors: LoadError[] = [];
  const packs = paths.map((p) => readPack(p, errors));
  checkDuplicates(packs, errors);
  return { packs, errors };
}

async function validate(paths: string[], json: boolean): Promise<void> {
  const { packs, errors } = await loadOnly(paths);
  const rules = packs.flatMap((p) => p.rules);
  let costs: RulePatternCost[] = [];
  try {
    costs = patternCosts(await loadEngine(readWasm()), rules);
  } catch (e) {
    if (!(e instanceof RuleLoadError)) throw e;
    errors.push(...e.errors);
  }
  if (json) process.stdout.write(JSON.stringify({ rules: rules.length, errors, costs: errors.length ? [] : costs }, null, 2) + '\n');
  else if (errors.length) process.stdout.write(errors.map(formatLoadError).join('\n') + `\n${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
  else {
    process.stdout.write(`OK: ${rules.length} rule${rules.length === 1 ? '' : 's'} valid\n`);
    process.stdout.write('cost of each pattern (all are linear in the text; worst case per byte):\n');
    for (const c of costs) process.stdout.write(`  ${formatCost(c)}\n`);
  }
  process.exitCode = errors.length ? 1 : 0;
}

/** `raw`: examples go to the engine alone (no normalisation or decoding), as Python's re.search would see them. */
async function test(paths: string[], json: boolean, raw: boolean): Promise<void> {
  const { packs, errors } = await loadOnly(paths);
  if (errors.length) throw new CliError(`cannot load rules:\n${errors.map(formatLoadError).join('\n')}`, 2);
  const rules = packs.flatMap((p) => p.rules);
  let report;
  try {
    report = raw ? runExamplesRaw(await loadEngine(readWasm()), rules) : runExamples(await createScanner({ engine: readWasm(), rules }));
  } catch (e) {
    if (e instanceof RuleLoadError) throw new CliError(`cannot load rules:\n${e.errors.map(formatLoadError).join('\n')}`, 2);
    throw e;
  }
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    for (const f of report.failed) process.stdout.write(`FAIL ${f.rule_id} ${f.kind}: ${JSON.stringify(f.example)}\n`);
    process.stdout.write(`rules test${raw ? ' --raw' : ''}: ${report.rules} rules, ${report.examples} examples\n`);
    process.stdout.write(`${report.examples - report.failed.length} passed, ${report.failed.length} failed\n`);
  }
  process.exitCode = report.failed.length ? 1 : 0;
}
