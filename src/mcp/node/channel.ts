/** Node adapter: an upstream MCP server as a child process speaking newline-delimited JSON on stdio. */
import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LineReader } from '../gateway/framing.js';
import type { Sniffed } from '../gateway/json-guard.js';
import type { UpstreamChannel } from '../gateway/upstream.js';
import { upstreamEnv, type UpstreamConfig } from '../gateway/config.js';
import type { Logger } from '../log.js';

export class ChildProcessChannel implements UpstreamChannel {
  onLine?: (line: string) => void;
  onExit?: (reason: string) => void;
  onTooLarge?: (bytes: number, head: Sniffed) => void;
  #child: ChildProcess | null = null;
  readonly #cfg: UpstreamConfig;
  readonly #log: Logger;
  readonly #maxBytes: number;

  constructor(cfg: UpstreamConfig, log: Logger, maxBytes: number) {
    this.#cfg = cfg;
    this.#log = log;
    this.#maxBytes = maxBytes;
  }

  start(): Promise<void> {
    const cfg = this.#cfg;
    return new Promise((resolve, reject) => {
      // like the SDK: a small safe environment plus the configured env; -u upstreams inherit the gateway's
      // (never its own RAXE_MCP_GATEWAY_* settings and token)
      const base = cfg.inherit_env ? process.env : getDefaultEnvironment();
      const child = spawn(cfg.command!, cfg.args, {
        env: upstreamEnv(base, cfg.env),
        cwd: cfg.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
      });
      this.#child = child;
      const reader = new LineReader(this.#maxBytes, {
        line: (l) => this.onLine?.(l),
        tooLarge: (n, head) => this.onTooLarge?.(n, head),
      });
      child.stdout!.on('data', (c: Buffer) => reader.push(c));
      child.stderr!.on('data', (c: Buffer) => {
        for (const l of c.toString('utf8').split('\n')) if (l.trim()) this.#log.debug(`[${cfg.name}] ${l}`);
      });
      child.stdin!.on('error', () => {}); // EPIPE when it dies: reported by 'exit'
      let started = false;
      child.once('spawn', () => {
        started = true;
        resolve();
      });
      child.once('error', (e) => {
        if (!started) reject(new Error(`cannot start "${cfg.command}": ${(e as NodeJS.ErrnoException).code ?? e.message}`));
        else this.onExit?.(`process error: ${e.message}`);
      });
      child.once('exit', (code, signal) => {
        reader.end();
        if (started) this.onExit?.(signal ? `killed by ${signal}` : `exited with code ${code}`);
      });
    });
  }

  /** Stops reading the child's stdout: its writes wait in the pipe, then block it (backpressure). */
  pause(): void {
    this.#child?.stdout?.pause();
  }

  resume(): void {
    this.#child?.stdout?.resume();
  }

  send(line: string): void {
    const c = this.#child;
    if (c?.stdin?.writable) c.stdin.write(line + '\n');
  }

  async close(): Promise<void> {
    const c = this.#child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        c.kill('SIGKILL');
      }, 2000);
      c.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      c.stdin?.end();
      c.kill('SIGTERM');
    });
  }
}
