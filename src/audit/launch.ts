/**
 * What a server entry runs: the command line, seen through shell wrappers
 * (`bash -c`, `cmd /c`, `powershell -Command`), `env`, `sudo` and package
 * runners (npx, uvx, pipx, docker run, node/python scripts), and whether it is
 * already behind `raxe mcp gateway` (whose `-u` commands are the real
 * upstreams). Pure string work.
 */
import { splitCommand } from '../mcp/gateway/config.js';

export type Ecosystem = 'npm' | 'pypi' | 'docker' | 'jsr' | 'script' | 'binary';

export interface Package {
  ecosystem: Ecosystem;
  /** Lower-cased name: "@modelcontextprotocol/server-filesystem", "mcp-server-git", "mcp/filesystem". */
  name: string;
  /** The version or tag written in the config ("1.2.3", "latest", "^1.2"), if any. */
  version?: string;
  /** As written ("pkg@latest"). */
  spec: string;
}

export interface Wrapper {
  kind: 'shell' | 'sudo' | 'docker-exec' | 'npx-shell';
  /** "bash -c", "cmd /c", "docker exec", ... */
  label: string;
  /** The wrapped command could not be read (pipes, `;`, `$(...)`, an encoded or script-file command). */
  opaque: boolean;
}

export interface DockerRun {
  /** The docker run options, in order, with their values ("--network", "host"). */
  options: Array<{ name: string; value?: string }>;
  image: string;
}

export interface Launch {
  /** The command line as configured (for a gateway upstream: its `-u` command, split). */
  argv: string[];
  behindGateway: boolean;
  wrappers: Wrapper[];
  /** The command once wrappers are removed (empty when a wrapper is opaque). */
  inner: string[];
  /** npx, uvx, docker, node, ... (base name of the inner command). */
  runner?: string;
  /** The packages it installs or runs: the main one first (npx -p may add more). */
  packages: Package[];
  /** Arguments given to the server itself (after the package, image or script). */
  serverArgs: string[];
  docker?: DockerRun;
}

/** "C:\\Program Files\\nodejs\\npx.cmd" -> "npx". */
export function baseName(cmd: string): string {
  return (cmd.split(/[\\/]/).pop() ?? cmd).toLowerCase().replace(/\.(exe|cmd|bat|ps1)$/, '');
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'busybox']);
const SHELL_META = /[;&|<>`$(){}\n*?]|^\s*$/;

function splitOrNull(s: string): string[] | null {
  try {
    return splitCommand(s);
  } catch {
    return null;
  }
}

/** The npm name and version of a spec: "@scope/pkg@1.2.3" -> ["@scope/pkg", "1.2.3"]. */
export function npmSpec(spec: string): { name: string; version?: string } {
  const s = spec.replace(/^npm:/, '');
  const at = s.indexOf('@', s.startsWith('@') ? 1 : 0);
  return at > 0 ? { name: s.slice(0, at).toLowerCase(), version: s.slice(at + 1) } : { name: s.toLowerCase() };
}

/** A PyPI spec: "pkg==1.2", "pkg@1.2", "pkg[extra]>=1" -> name and version (or range). */
export function pypiSpec(spec: string): { name: string; version?: string } {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(?:(==|@)\s*(.+)|((?:[<>~!]=?|===?).+))?$/.exec(spec.trim());
  if (!m) return { name: spec.toLowerCase() };
  return { name: m[1].toLowerCase(), version: m[4] ?? m[5] };
}

/** The npm package a script path belongs to: ".../node_modules/@scope/pkg/dist/index.js" -> "@scope/pkg". */
function packageOfPath(p: string): string | undefined {
  const m = /(?:^|[\\/])node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(p);
  return m ? m[1].replace(/\\/g, '/').toLowerCase() : undefined;
}

const DOCKER_VALUE_OPTS = new Set([
  '-a', '--attach', '-e', '--env', '--env-file', '-v', '--volume', '--mount', '-p', '--publish', '--name', '--network', '--net',
  '-u', '--user', '-w', '--workdir', '--entrypoint', '--cap-add', '--cap-drop', '--pid', '--ipc', '--uts', '--userns',
  '--security-opt', '--device', '-h', '--hostname', '-l', '--label', '--add-host', '-m', '--memory', '--cpus', '--platform',
  '--restart', '--runtime', '--group-add', '--tmpfs', '--ulimit', '--log-driver', '--log-opt', '--pull', '--dns', '--gpus',
  '--shm-size', '--stop-signal', '--cgroupns', '--volumes-from', '--label-file', '--mac-address', '--ip', '--link',
]);

function dockerRun(args: string[]): { run: DockerRun; rest: string[] } {
  const options: DockerRun['options'] = [];
  let k = 0;
  for (; k < args.length; k++) {
    const a = args[k];
    if (a === '--') {
      k++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) options.push({ name: a.slice(0, eq), value: a.slice(eq + 1) });
    else if (DOCKER_VALUE_OPTS.has(a)) options.push({ name: a, value: args[++k] });
    else if (/^-[a-zA-Z]{2,}$/.test(a)) for (const ch of a.slice(1)) options.push({ name: `-${ch}` });
    else options.push({ name: a });
  }
  return { run: { options, image: args[k] ?? '' }, rest: args.slice(k + 1) };
}

function dockerImage(image: string): Package {
  const digest = image.indexOf('@');
  if (digest > 0) return { ecosystem: 'docker', name: image.slice(0, digest).toLowerCase(), version: image.slice(digest + 1), spec: image };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { ecosystem: 'docker', name: image.slice(0, colon).toLowerCase(), version: image.slice(colon + 1), spec: image };
  return { ecosystem: 'docker', name: image.toLowerCase(), spec: image };
}

/** Reads one command line (already split). `behindGateway` marks a gateway's `-u` upstream. */
export function analyzeLaunch(argv: string[], behindGateway = false): Launch {
  const wrappers: Wrapper[] = [];
  let cur = argv;
  for (let depth = 0; depth < 4 && cur.length > 0; depth++) {
    const b = baseName(cur[0]);
    if (POSIX_SHELLS.has(b)) {
      const ci = cur.findIndex((a, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(a));
      const script = ci > 0 ? cur[ci + 1] : undefined;
      const inner = script !== undefined && !SHELL_META.test(script) ? splitOrNull(script) : null;
      wrappers.push({ kind: 'shell', label: ci > 0 ? `${b} ${cur[ci]}` : b, opaque: !inner });
      cur = inner ?? [];
    } else if (b === 'cmd') {
      const ci = cur.findIndex((a, k) => k > 0 && /^\/[ck]$/i.test(a));
      const rest = ci > 0 ? cur.slice(ci + 1) : [];
      const inner = rest.length === 1 ? splitOrNull(rest[0]) : rest;
      const opaque = !inner || inner.length === 0 || inner.some((a) => /[&|<>^]/.test(a));
      wrappers.push({ kind: 'shell', label: ci > 0 ? `cmd ${cur[ci].toLowerCase()}` : 'cmd', opaque });
      cur = opaque ? [] : inner!;
    } else if (b === 'powershell' || b === 'pwsh') {
      const ci = cur.findIndex((a, k) => k > 0 && /^-(c|command)$/i.test(a));
      const script = ci > 0 ? cur.slice(ci + 1).join(' ') : undefined;
      const inner = script !== undefined && !SHELL_META.test(script) ? splitOrNull(script) : null;
      const encoded = cur.some((a) => /^-e(nc(odedcommand)?)?$/i.test(a));
      wrappers.push({ kind: 'shell', label: encoded ? `${b} -EncodedCommand` : ci > 0 ? `${b} ${cur[ci]}` : b, opaque: !inner });
      cur = inner ?? [];
    } else if (b === 'env') {
      let k = 1;
      while (k < cur.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(cur[k]) || cur[k].startsWith('-'))) k++;
      cur = cur.slice(k);
    } else if (b === 'sudo' || b === 'doas') {
      wrappers.push({ kind: 'sudo', label: b, opaque: false });
      let k = 1;
      while (k < cur.length && cur[k].startsWith('-')) k += /^-[ugCDhprt]$/.test(cur[k]) ? 2 : 1;
      cur = cur.slice(k);
    } else if ((b === 'docker' || b === 'podman') && (cur[1] === 'exec' || (cur[1] === 'container' && cur[2] === 'exec'))) {
      wrappers.push({ kind: 'docker-exec', label: `${b} exec`, opaque: true });
      cur = [];
    } else break;
  }
  const launch: Launch = { argv, behindGateway, wrappers, inner: cur, packages: [], serverArgs: [] };
  if (cur.length === 0) return launch;
  readRunner(launch, cur);
  return launch;
}

function readRunner(l: Launch, cur: string[]): void {
  let b = baseName(cur[0]);
  let args = cur.slice(1);
  // two-word runners: pnpm dlx, yarn dlx, npm exec, uv tool run, pipx run, docker container run
  if ((b === 'pnpm' || b === 'yarn') && args[0] === 'dlx') [b, args] = ['npx', args.slice(1)];
  else if (b === 'npm' && (args[0] === 'exec' || args[0] === 'x')) [b, args] = ['npx', args.slice(1)];
  else if (b === 'uv' && args[0] === 'tool' && args[1] === 'run') [b, args] = ['uvx', args.slice(2)];
  else if (b === 'uv' && args[0] === 'x') [b, args] = ['uvx', args.slice(1)];
  else if (b === 'pipx' && args[0] === 'run') [b, args] = ['uvx', args.slice(1)];
  else if (b === 'bunx' || b === 'pnpx') b = 'npx';
  l.runner = b;
  if (b === 'npx') {
    const extra: string[] = [];
    let k = 0;
    for (; k < args.length; k++) {
      const a = args[k];
      if (a === '--') {
        k++;
        break;
      }
      if (a === '-p' || a === '--package') extra.push(args[++k] ?? '');
      else if (a.startsWith('--package=')) extra.push(a.slice(10));
      else if (a === '-c' || a === '--call') {
        l.wrappers.push({ kind: 'npx-shell', label: `npx ${a}`, opaque: true });
        k = args.length;
      } else if (!a.startsWith('-')) break;
    }
    for (const s of extra) if (s) l.packages.push({ ecosystem: 'npm', ...npmSpec(s), spec: s });
    const main = args[k];
    if (main !== undefined) {
      if (extra.length === 0) {
        if (/^[./~]|^[A-Za-z]:[\\/]/.test(main)) l.packages.push({ ecosystem: 'script', name: main.toLowerCase(), spec: main });
        else l.packages.unshift({ ecosystem: 'npm', ...npmSpec(main), spec: main });
      }
      l.serverArgs = args.slice(k + 1);
    }
  } else if (b === 'uvx') {
    let from: string | undefined;
    const withs: string[] = [];
    let k = 0;
    for (; k < args.length; k++) {
      const a = args[k];
      if (a === '--from') from = args[++k];
      else if (a.startsWith('--from=')) from = a.slice(7);
      else if (a === '--with' || a === '--spec') withs.push(args[++k] ?? '');
      else if (/^--(python|index-url|extra-index-url|index|directory|env-file)$/.test(a) || a === '-p') k++;
      else if (!a.startsWith('-')) break;
    }
    const main = args[k];
    const spec = from ?? main;
    if (spec) l.packages.push({ ecosystem: 'pypi', ...pypiSpec(spec.replace(/^git\+/, '')), spec });
    for (const s of withs) if (s) l.packages.push({ ecosystem: 'pypi', ...pypiSpec(s), spec: s });
    l.serverArgs = args.slice(k + 1);
  } else if ((b === 'docker' || b === 'podman') && (args[0] === 'run' || (args[0] === 'container' && args[1] === 'run'))) {
    const { run, rest } = dockerRun(args.slice(args[0] === 'run' ? 1 : 2));
    l.docker = run;
    if (run.image) l.packages.push(dockerImage(run.image));
    l.serverArgs = rest;
  } else if (b === 'node' || b === 'bun' || b === 'deno' || b === 'tsx' || b === 'ts-node') {
    let k = 0;
    if ((b === 'deno' || b === 'bun') && (args[0] === 'run' || args[0] === 'x')) k = 1;
    while (k < args.length && args[k].startsWith('-')) k++;
    const script = args[k];
    if (script !== undefined) {
      const pkg = packageOfPath(script);
      if (/^(npm|jsr):/.test(script)) {
        const eco = script.startsWith('jsr:') ? 'jsr' : 'npm';
        l.packages.push({ ecosystem: eco, ...npmSpec(script.replace(/^(npm|jsr):/, '')), spec: script });
      } else l.packages.push(pkg ? { ecosystem: 'npm', name: pkg, spec: script } : { ecosystem: 'script', name: script.toLowerCase(), spec: script });
      l.serverArgs = args.slice(k + 1);
    }
  } else if (/^(python|python3(\.\d+)?|py)$/.test(b) || (b === 'uv' && args[0] === 'run')) {
    let k = b === 'uv' ? 1 : 0;
    for (; k < args.length; k++) {
      const a = args[k];
      if (a === '-m') {
        const mod = args[k + 1] ?? '';
        l.packages.push({ ecosystem: 'pypi', name: mod.toLowerCase().replace(/_/g, '-'), spec: mod });
        l.serverArgs = args.slice(k + 2);
        return;
      }
      if (/^--(directory|with|python|project|from)$/.test(a)) k++;
      else if (!a.startsWith('-')) break;
    }
    const script = args[k];
    if (script !== undefined) {
      l.packages.push({ ecosystem: 'script', name: script.toLowerCase(), spec: script });
      l.serverArgs = args.slice(k + 1);
    }
  } else {
    l.packages.push({ ecosystem: 'binary', name: b, spec: cur[0] });
    l.serverArgs = args;
  }
}

/** Is this command line `raxe mcp gateway ...` (bin, npx raxe, node .../raxe.js)? Returns the args after "gateway". */
export function gatewayArgs(l: Launch): string[] | null {
  const p = l.packages[0];
  if (!p) return null;
  const isRaxe = (p.ecosystem === 'binary' && p.name === 'raxe') || (p.ecosystem === 'npm' && p.name === 'raxe') || (p.ecosystem === 'script' && /(^|[\\/])raxe(\.js)?$/.test(p.name));
  if (!isRaxe || l.serverArgs[0] !== 'mcp' || l.serverArgs[1] !== 'gateway') return null;
  return l.serverArgs.slice(2);
}

/** Is this raxe's own MCP server (`raxe mcp serve`)? */
export function isRaxeServe(l: Launch): boolean {
  const p = l.packages[0];
  return !!p && (p.name === 'raxe' || /(^|[\\/])raxe(\.js)?$/.test(p.name)) && l.serverArgs[0] === 'mcp' && l.serverArgs[1] === 'serve';
}

/** The `-u`/`--upstream` commands of gateway args, and whether a `-c` config file hides more. */
export function upstreamsOf(args: string[]): { commands: string[]; configFile?: string } {
  const commands: string[] = [];
  let configFile: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-u' || a === '--upstream') commands.push(args[++k] ?? '');
    else if (a.startsWith('--upstream=')) commands.push(a.slice(11));
    else if (a === '-c' || a === '--config') configFile = args[++k];
    else if (a.startsWith('--config=')) configFile = a.slice(9);
  }
  return { commands: commands.filter((c) => c.trim()), configFile };
}

/**
 * The launches of a stdio entry: itself, or, when it is `raxe mcp gateway`,
 * each of its `-u` upstreams (marked behindGateway).
 */
export function launchesOf(command: string, args: string[]): { launches: Launch[]; gateway: { configFile?: string; launcher: Launch } | null } {
  const outer = analyzeLaunch([command, ...args]);
  const gw = gatewayArgs(outer);
  if (!gw) return { launches: [outer], gateway: null };
  const { commands, configFile } = upstreamsOf(gw);
  const launches = commands.map((c) => splitOrNull(c)).filter((a): a is string[] => !!a && a.length > 0).map((a) => analyzeLaunch(a, true));
  return { launches, gateway: { configFile, launcher: outer } };
}

/** Quotes one argument so that splitCommand (the gateway's -u parser) gives it back unchanged. */
export function quoteArg(a: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  if (!a.includes("'")) return `'${a}'`;
  return `"${a.replace(/["\\]/g, '\\$&')}"`;
}

/** A command line for `-u`: `["npx", "-y", "pkg", "/my dir"]` -> `npx -y pkg '/my dir'`. */
export function quoteCommand(argv: string[]): string {
  return argv.map(quoteArg).join(' ');
}

/** Quotes a word for a POSIX shell: double quotes when nothing in it expands, else single quotes. */
export function shellWord(s: string): string {
  if (!/["$`\\!]/.test(s)) return `"${s}"`;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that puts a server behind the gateway: `raxe mcp gateway -u "npx -y pkg"`. */
export function gatewayCommand(argv: string[]): string {
  return `raxe mcp gateway -u ${shellWord(quoteCommand(argv))}`;
}
