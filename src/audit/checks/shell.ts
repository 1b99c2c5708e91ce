/**
 * shell-execution: servers that run commands. Known shell, terminal,
 * code-runner and remote-exec servers (by package, and by words like
 * "shell" or "terminal" in the package name), servers started through a
 * shell (`bash -c`, `cmd /c`, `powershell -Command`), `docker exec`, and sudo.
 */
import { hasWord, SHELL_PACKAGES, SHELL_SERVER_MODE, SHELL_WORDS } from '../known.js';
import type { Launch } from '../launch.js';
import { identity, type ServerView } from '../view.js';
import { at, perLaunch, type Check } from './types.js';
import type { Finding } from '../schema.js';

const ID = 'shell-execution';

/** Why a launch can run arbitrary commands, or null. */
export function shellCapability(l: Launch): string | null {
  const id = identity(l);
  const p = l.packages[0];
  if (!p) return null;
  const mode = SHELL_SERVER_MODE[id];
  if (mode) return mode.every((w, k) => l.serverArgs[k] === w) ? p.name : null;
  if (SHELL_PACKAGES.has(id) || SHELL_PACKAGES.has(p.name)) return p.name;
  const word = hasWord(p.ecosystem === 'script' ? id : p.name, SHELL_WORDS);
  return word ? `${p.ecosystem === 'script' ? p.spec : p.name}: "${word}"` : null;
}

function forLaunch(v: ServerView, l: Launch): Finding[] {
  const out: Finding[] = [];
  const gw = l.behindGateway;
  const cap = shellCapability(l);
  if (cap) {
    out.push(at(v, ID, gw ? 'HIGH' : 'CRITICAL', `Server has shell execution capability (${cap})${gw ? ', behind the gateway' : ''}`,
      gw ? 'Keep the gateway on --on-threat block and limit tools with allow_tools in its policy'
        : 'Use RAXE gateway to monitor tool calls (--on-threat block), or remove the server'));
  }
  for (const w of l.wrappers) {
    if (w.kind === 'shell') {
      out.push(at(v, ID, 'HIGH', w.opaque ? `Server is started through a shell (${w.label}) running a command that cannot be read` : `Server is started through a shell (${w.label}); its command line is shell-interpreted`,
        'Put the program in "command" and its arguments in "args", without a shell in between'));
    } else if (w.kind === 'npx-shell') {
      out.push(at(v, ID, 'HIGH', `Server runs a shell command through ${w.label}`, 'Run the package directly: npx -y PACKAGE@VERSION ARGS'));
    } else if (w.kind === 'docker-exec') {
      out.push(at(v, ID, 'HIGH', `Server runs commands in an existing container (${w.label})`, 'Run the server in its own container (docker run --rm -i IMAGE) with the least privileges'));
    } else if (w.kind === 'sudo') {
      out.push(at(v, ID, 'HIGH', `Server runs as root (${w.label})`, 'Run the server as your own user; grant it only the files it needs'));
    }
  }
  return out;
}

export const shellCheck: Check = {
  id: ID,
  name: 'ShellExecution',
  title: 'Server can run shell commands or code',
  help: 'A server that runs commands turns any prompt injection into code execution on your machine. Route it through `raxe mcp gateway --on-threat block`, limit its tools, or remove it. Start servers directly (command + args), not through `bash -c` or `cmd /c`.',
  severity: 'CRITICAL',
  run({ views }) {
    return perLaunch(views, forLaunch);
  },
};
