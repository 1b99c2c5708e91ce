/**
 * Node adapter: where the gateway keeps its pins and writes its audit log
 * (the user's config dir). Both are 0600 in a 0700 directory
 * (./private-files.ts); the audit log is ./audit-log.ts.
 */
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PinRecord, PinStore } from '../gateway/pins.js';
import type { Logger } from '../log.js';
import { ensurePrivateDir, makePrivate, writePrivateFile } from './private-files.js';

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
          makePrivate(old);
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
      ensurePrivateDir(dirname(this.path));
      writePrivateFile(this.path, JSON.stringify(f, null, 2));
      this.#data = f;
      this.#stamp = this.#stampNow();
    } catch (e) {
      this.#log.warn(`cannot save tool pins to ${this.path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  }
}

export { FileAuditSink } from './audit-log.js';
