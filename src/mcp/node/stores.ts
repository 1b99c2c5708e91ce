/** Node adapter: where the gateway keeps its pins and writes its audit log (the user's config dir). */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PinStore } from '../gateway/pins.js';
import type { AuditEvent, AuditSink } from '../gateway/audit.js';
import type { Logger } from '../log.js';

/** $XDG_CONFIG_HOME/raxe, ~/.config/raxe, or %APPDATA%\raxe on Windows. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'raxe');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'raxe');
}

/** Pins as one JSON file: { upstream: { tool: sha256 } }. Written atomically. */
export class FilePinStore implements PinStore {
  readonly path: string;
  #data: Record<string, Record<string, string>> | null = null;
  readonly #log: Logger;

  constructor(path: string, log: Logger) {
    this.path = path;
    this.#log = log;
  }

  #all(): Record<string, Record<string, string>> {
    if (this.#data) return this.#data;
    try {
      this.#data = existsSync(this.path) ? JSON.parse(readFileSync(this.path, 'utf8')) : {};
    } catch {
      this.#log.warn(`tool pin file ${this.path} is unreadable; starting a new one`);
      this.#data = {};
    }
    return this.#data!;
  }

  load(upstream: string): Record<string, string> {
    return { ...(this.#all()[upstream] ?? {}) };
  }

  save(upstream: string, pins: Record<string, string>): void {
    const all = this.#all();
    all[upstream] = { ...pins };
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(`${this.path}.tmp`, JSON.stringify(all, null, 2));
      renameSync(`${this.path}.tmp`, this.path);
    } catch (e) {
      this.#log.warn(`cannot save tool pins to ${this.path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  }
}

/** Appends events as JSON lines; POSTs them to a sink only when one is configured. */
export class FileAuditSink implements AuditSink {
  readonly path: string;
  readonly #sink?: string;
  readonly #log: Logger;
  #failed = false;

  constructor(path: string, log: Logger, sinkUrl?: string) {
    this.path = path;
    this.#log = log;
    this.#sink = sinkUrl;
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch {
      /* reported on first write */
    }
  }

  write(e: AuditEvent): void {
    try {
      appendFileSync(this.path, JSON.stringify(e) + '\n');
    } catch (err) {
      if (!this.#failed) this.#log.warn(`cannot write the audit log ${this.path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
      this.#failed = true;
    }
    if (this.#sink) {
      fetch(this.#sink, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(e) }).catch(() => {
        this.#log.debug('audit sink unreachable');
      });
    }
  }
}
