// Helpers for the fleet tests (npm run test:fleet): a real redis-server and
// nginx from the system (Debian packages; .ci/run installs them), started
// on free loopback ports by the test itself, and the gateway's HTTP side.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort, tempDir, waitForLine } from '../http/helpers.js';

export const REDIS_SERVER = process.env.RAXE_REDIS_SERVER ?? 'redis-server';
export const NGINX = process.env.RAXE_NGINX ?? (spawnSync('sh', ['-c', 'command -v nginx || echo /usr/sbin/nginx']).stdout.toString().trim());

const procs = new Set<ChildProcess>();

/** Waits for `re` on a process's output (stdout or stderr); rejects if it exits first. */
export async function waitFor(proc: ChildProcess, re: RegExp, out: () => string, what: string, ms = 30_000): Promise<void> {
  await waitForLine(proc, re, what, ms, out);
}

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILL: an outage, as abrupt as they come. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data (its append-only file). */
  restart(): Promise<void>;
  /** A client for the test's own reads (XRANGE, HGETALL). */
  client(): ReturnType<typeof redisClient>;
}

async function redisClient(port: number) {
  const c = createClient({ url: `redis://127.0.0.1:${port}` });
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** redis-server on a free loopback port, persisting every write (appendfsync always), so a kill loses nothing. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('raxe-redis-');
  let proc: ChildProcess;
  const start = async () => {
    let out = '';
    proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    procs.add(proc);
    proc.stdout!.on('data', (c: Buffer) => (out += c));
    proc.stderr!.on('data', (c: Buffer) => (out += c));
    await waitFor(proc, /Ready to accept connections/, () => out, 'redis-server');
  };
  await start();

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const p = proc;
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await gone;
      procs.delete(p);
    },
    restart: start,
    client: () => redisClient(port),
  };
}

/** Kills every server these helpers started. */
export function killServers(): void {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  procs.clear();
}

export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

/** nginx with `conf` (its `listen` and upstream ports filled in), in its own prefix dir, in the foreground. */
export async function startNginx(conf: string, prepare?: (dir: string) => void): Promise<Nginx & { port: number }> {
  const dir = tempDir('raxe-nginx-');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  prepare?.(dir);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  let out = '';
  const proc = spawn(NGINX, ['-p', dir, '-c', file, '-e', join(dir, 'logs', 'error.log'), '-g', 'daemon off; pid ' + join(dir, 'nginx.pid') + ';'], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.add(proc);
  proc.stdout!.on('data', (c: Buffer) => (out += c));
  proc.stderr!.on('data', (c: Buffer) => (out += c));
  const port = Number(/listen\s+127\.0\.0\.1:(\d+)/.exec(conf)![1]);
  // ready when it answers
  const end = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${out}`);
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      break;
    } catch {
      if (Date.now() > end) throw new Error(`nginx not answering: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    url: `http://127.0.0.1:${port}/mcp`,
    async stop() {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGQUIT');
      await gone;
      procs.delete(proc);
    },
  };
}

/** GET a path of a gateway with its token; the JSON or text. */
export async function getJson(base: string, path: string, token?: string): Promise<any> {
  const r = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return path === '/metrics' ? r.text() : r.json();
}
