/**
 * The dispatcher: finds the command named by the leading words of argv
 * ("mcp gateway"), then parses the rest with a cac instance of that command
 * alone. So each command has its own --help, and an option it does not
 * declare is a usage error naming the option (exit 2), never silently
 * ignored. Word groups ("rules", "mcp") list their commands.
 */
import { cac } from 'cac';
import type { CommandSpec, OptionSpec } from './command.js';
import { CliError, STDIN } from './errors.js';

export interface Program {
  /** "raxe" */
  name: string;
  version: string;
  summary: string;
  commands: readonly CommandSpec[];
}

const HELP: OptionSpec = { flags: '-h, --help', description: 'Show this help' };
const isHelp = (a: string) => a === '-h' || a === '--help';

function table(rows: Array<[string, string]>): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`.trimEnd()).join('\n');
}

const usage = (p: Program, c: CommandSpec) => `${p.name} ${c.name}${c.args ? ` ${c.args}` : ''}`;

/** A command's --help: its usage, its options (defaults as they really are), its examples. */
export function commandHelp(p: Program, c: CommandSpec): string {
  const opts = [...(c.options ?? []), HELP];
  const parts = [
    `${usage(p, c)}\n\n${c.description}`,
    `Usage:\n  $ ${usage(p, c)}${c.options?.length ? ' [options]' : ''}`,
    `Options:\n${table(opts.map((o) => [o.flags, o.default === undefined ? o.description : `${o.description} (default: ${o.default})`]))}`,
  ];
  if (c.examples?.length) parts.push(`Examples:\n${c.examples.map((e) => `  $ ${e}`).join('\n')}`);
  return parts.join('\n\n') + '\n';
}

/** The list of commands, all or those of a group ("mcp"). */
export function listHelp(p: Program, group?: string): string {
  const cmds = p.commands.filter((c) => !group || c.name.startsWith(`${group} `));
  const head = group ? `${p.name} ${group}: ${cmds.map((c) => c.name.slice(group.length + 1)).join(', ')}` : `${p.name} ${p.version}: ${p.summary}`;
  return [
    head,
    `Usage:\n  $ ${p.name} ${group ? `${group} ` : ''}<command> [options]`,
    `Commands:\n${table(cmds.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ''}`, c.description]))}`,
    `Run \`${p.name} ${group ? `${group} ` : ''}<command> --help\` for a command's options.`,
  ].join('\n\n') + '\n';
}

/** The command whose words start argv (the longest match), and the arguments after them. */
function match(p: Program, argv: readonly string[]): { spec: CommandSpec; rest: string[] } | null {
  let best: CommandSpec | null = null;
  for (const c of p.commands) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.name.split(' ').length)) best = c;
  }
  return best ? { spec: best, rest: argv.slice(best.name.split(' ').length) } : null;
}

/** The option as typed, from cac's camelCased key: "rateLimitRpm" -> "--rate-limit-rpm", l2=false -> "--no-l2". */
const flagOf = (key: string, value: unknown) =>
  key.length === 1 ? `-${key}` : `--${value === false ? 'no-' : ''}${key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;

/**
 * Runs the command `argv` (process.argv without node and the script) names.
 * Help and version go to `write`; usage errors throw CliError (exit 2).
 */
export async function dispatch(p: Program, argv: readonly string[], write: (text: string) => void): Promise<void> {
  if (argv.length === 0 || isHelp(argv[0])) return write(listHelp(p));
  if (argv[0] === '--version' || argv[0] === '-v') return write(`${p.name} ${p.version}\n`);
  const found = match(p, argv);
  if (!found) {
    const group = argv[0];
    const members = p.commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
    if (members.length === 0) {
      if (group.startsWith('-')) throw new CliError(`unknown option ${group}: give a command first (see ${p.name} --help)`, 2);
      throw new CliError(`unknown command "${group}" (see ${p.name} --help)`, 2);
    }
    const next = argv[1];
    if (next === undefined || next.startsWith('-')) {
      if (next !== undefined && isHelp(next)) return write(listHelp(p, group));
      throw new CliError(`${group} needs a command: ${members.join(', ')} (see ${p.name} ${group} --help)`, 2);
    }
    throw new CliError(`unknown ${group} command "${next}" (use ${members.join(', ')}; see ${p.name} ${group} --help)`, 2);
  }
  const { spec, rest } = found;
  const cli = cac(`${p.name} ${spec.name}`);
  const cmd = cli.command(spec.args ?? '', spec.description);
  for (const o of spec.options ?? []) cmd.option(o.flags, o.description, o.default === undefined ? undefined : { default: o.default });
  cli.option(HELP.flags, HELP.description);
  // cac drops a lone "-" (stdin): pass it through as a token of our own
  const parsed = cli.parse(['node', p.name, ...rest.map((a) => (a === '-' ? STDIN : a))], { run: false });
  if (parsed.options.help) return write(commandHelp(p, spec));
  const see = `see ${p.name} ${spec.name} --help`;
  for (const key of Object.keys(parsed.options)) {
    if (key !== '--' && !cmd.hasOption(key) && !cli.globalCommand.hasOption(key)) {
      throw new CliError(`${spec.name} does not take ${flagOf(key, parsed.options[key])} (${see})`, 2);
    }
  }
  if ((parsed.options['--'] as string[]).length) throw new CliError(`${spec.name} takes no arguments after "--" (${see})`, 2);
  const declared = cmd.args;
  const variadic = declared.some((a) => a.variadic);
  if (!variadic && parsed.args.length > declared.length) {
    throw new CliError(`${spec.name} takes no argument "${parsed.args[declared.length]}" (${see})`, 2);
  }
  const missing = declared.filter((a, i) => a.required && parsed.args.length <= i);
  if (missing.length) throw new CliError(`${spec.name} needs ${missing.map((a) => (a.variadic ? `<${a.value}...>` : `<${a.value}>`)).join(' ')} (${see})`, 2);
  try {
    cmd.checkOptionValue();
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message.replace(/`/g, '') : e} (${see})`, 2);
  }
  const args = declared.map((a, i) => (a.variadic ? parsed.args.slice(i) : parsed.args[i]));
  await spec.run(args, parsed.options);
}
