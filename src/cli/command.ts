/**
 * What a `raxe` command is: one entry in main.ts's COMMANDS list, declared
 * beside its code. The dispatcher (dispatch.ts) gives each its own cac
 * instance, so `raxe <command> --help` lists only that command's options and
 * an option it does not declare is an error naming the option.
 *
 * Adding a command: export a CommandSpec from its file and list it in
 * main.ts. Adding an option: one OptionSpec line in its command's `options`.
 */

export interface OptionSpec {
  /** cac syntax: '-u, --upstream <command>', '--port <port>', '--explain', '--no-l2'. */
  flags: string;
  /** One line for --help. Say the default here when the command works it out itself. */
  description: string;
  /**
   * A value cac fills in when the option is absent; --help shows it as
   * "(default: ...)". Leave unset when another source can win (a config
   * file, an environment variable) and for --no-* options.
   */
  default?: string | number;
}

export interface CommandSpec {
  /** The words after `raxe`: "scan", "rules list", "mcp gateway". */
  name: string;
  /** Positional arguments in cac syntax: "[text]", "<rule-id>", "<...paths>", "[...files]". */
  args?: string;
  /** One line: what the command does (shown in group and --help listings). */
  description: string;
  options?: readonly OptionSpec[];
  examples?: readonly string[];
  /** Runs the command: positional arguments as declared in `args` (a variadic one as an array), then the options (camelCased). */
  run(args: unknown[], options: Record<string, unknown>): Promise<void> | void;
}

// Options several commands share, so their wording stays the same everywhere.
export const RULES_OPTION: OptionSpec = { flags: '--rules <dir>', description: 'Add a rule pack folder or rule file to the built-in rules (repeatable)' };
export const NO_L2_OPTION: OptionSpec = { flags: '--no-l2', description: 'Rules only: turn off L2, the ML classifier (on by default)' };
export const TEXT_JSON_FORMAT: OptionSpec = { flags: '--format <format>', description: 'Output: text or json', default: 'text' };
