/**
 * The `raxe` command. Thin: argument parsing and I/O here, decisions in
 * src/core. Exit codes: 0 safe / ok, 1 threat at or above threshold (or a
 * failed rules check), 2 usage or load error.
 *
 * Every command is one entry of COMMANDS (commands.ts), declared beside its
 * code (see command.ts); dispatch.ts gives each its own options and --help.
 */
import { dispatch } from './dispatch.js';
import { PROGRAM } from './commands.js';
import { CliError } from './errors.js';

// A reader that went away (`raxe rules list | head -1`) ends the command
// quietly, as a closed pipe ends any Unix filter: no EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) process.stderr.write(`raxe: cannot write to stdout: ${e.code ?? e.message}\n`);
    process.exit(2);
  });
}

async function main(): Promise<void> {
  try {
    await dispatch(PROGRAM, process.argv.slice(2), (text) => process.stdout.write(text));
  } catch (e) {
    if (e instanceof CliError) {
      if (e.message) process.stderr.write(`raxe: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    // anything else is a bug or an environment problem: one line, never a stack trace
    process.stderr.write(`raxe: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}

await main();
