/** `raxe rules list | info | validate | test`. */
import { createScanner, formatCost, formatLoadError, familyName, loadEngine, patternCosts, RuleLoadError, runExamples, runExamplesRaw, type LoadError, type LoadedPack, type RulePatternCost } from '../core/index.js';
import { readPacks, readPack, readWasm } from './fs-packs.js';
import { CliError, many } from './errors.js';
import { checkDuplicates } from '../core/index.js';

export async function runRules(action: string | undefined, args: string[], o: Record<string, unknown>): Promise<void> {
  const json = o.format === 'json';
  if (o.format !== 'json' && o.format !== 'text') throw new CliError(`--format must be text or json (got "${o.format}")`, 2);
  switch (action) {
    case 'list': return list(many(o.rules), o.family as string | undefined, json);
    case 'info': return info(many(o.rules), args, json);
    case 'validate': return validate(args, json);
    case 'test': return test(args, json, !!o.raw);
    case undefined: throw new CliError('rules needs an action: list, info, validate or test', 2);
    default: throw new CliError(`unknown rules action "${action}" (use list, info, validate or test)`, 2);
  }
}

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

async function info(dirs: string[], args: string[], json: boolean): Promise<void> {
  if (args.length !== 1) throw new CliError('usage: raxe rules info RULE_ID', 2);
  const { packs, errors } = readPacks(dirs);
  if (errors.length) throw new CliError(`cannot load rules:\n${errors.map(formatLoadError).join('\n')}`, 2);
  const rules = packs.flatMap((p) => p.rules);
  const r = rules.find((x) => x.rule_id === args[0].toLowerCase() || x.rule_id === args[0]);
  if (!r) {
    const near = rules.map((x) => x.rule_id).filter((id) => id.startsWith(args[0].toLowerCase().split('-')[0])).slice(0, 5);
    throw new CliError(`unknown rule "${args[0]}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`, 2);
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
