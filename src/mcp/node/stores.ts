/** Node adapter: where the gateway keeps its pins and writes its audit log (the user's config dir). */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PinRecord, PinStore } from '../gateway/pins.js';
import type { AuditEvent, AuditSink } from '../gateway/audit.js';
import type { Logger } from '../log.js';

/** $XDG_CONFIG_HOME/raxe, ~/.config/raxe, or %APPDATA%\raxe on Windows. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'raxe');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'raxe');
}

export const PIN_FILE_VERSION = 2;

/** The pin file: { version: 2, upstreams: { "<name>@<hash>": PinRecord } }. */
export interface PinFile {
  version: number;
  upstreams: Record<string, PinRecord>;
}

/**
 * Pins as one JSON file, written atomically (temp file + rename). Re-read
 * when it changed on disk, so `raxe mcp pins accept` takes effect in a
 * running gateway at its next tools/list. A file from an older raxe (pins
 * keyed by upstream name only) is kept as tool-pins.v1.json and tools are
 * pinned afresh.
 */
export class FilePinStore implements PinStore {
  readonly path: string;
  #data: PinFile | null = null;
  #stamp = '';
  readonly #log: Logger;

  constructor(path: string, log: Logger) {
    this.path = path;
    this.#log = log;
  }

  #stampNow(): string {
    try {
      const st = statSync(this.path);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return 'none';
    }
  }

  /** The file as it is on disk now. */
  all(): PinFile {
    const stamp = this.#stampNow();
    if (this.#data && stamp === this.#stamp) return this.#data;
    this.#stamp = stamp;
    let data: PinFile = { version: PIN_FILE_VERSION, upstreams: {} };
    if (stamp !== 'none') {
      try {
        const raw = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<PinFile>;
        if (raw && raw.version === PIN_FILE_VERSION && raw.upstreams && typeof raw.upstreams === 'object') data = { version: PIN_FILE_VERSION, upstreams: raw.upstreams };
        else {
          const old = this.path.replace(/\.json$/, '') + '.v1.json';
          if (!existsSync(old)) renameSync(this.path, old);
          this.#log.warn(`tool pins in ${this.path} are from an older raxe (keyed by upstream name only): kept as ${old}; tools are pinned afresh`);
        }
      } catch {
        this.#log.warn(`tool pin file ${this.path} is unreadable; starting a new one`);
      }
    }
    this.#data = data;
    return data;
  }

  load(key: string): PinRecord | undefined {
    const r = this.all().upstreams[key];
    return r && structuredClone(r);
  }

  save(key: string, rec: PinRecord): void {
    this.update((f) => {
      f.upstreams[key] = structuredClone(rec);
    });
  }

  /** Reads the file afresh, applies `fn`, writes it back. */
  update(fn: (f: PinFile) => void): void {
    this.#data = null;
    const f = this.all();
    fn(f);
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(`${this.path}.tmp`, JSON.stringify(f, null, 2));
      renameSync(`${this.path}.tmp`, this.path);
      this.#data = f;
      this.#stamp = this.#stampNow();
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
