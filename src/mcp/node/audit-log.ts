/**
 * Node adapter: the gateway's audit log, JSON lines in a 0600 file (in a
 * 0700 directory), written off the request path and rotated by size.
 *
 * - write() only queues the line; a writer appends queued lines in batches
 *   with asynchronous I/O, so a flood of decisions never stalls requests.
 * - Nothing is lost on exit: flush() waits for the queue (the gateway calls
 *   it when it closes), and if the process exits with lines still queued
 *   (an uncaught error, process.exit) they are written synchronously from
 *   the 'exit' handler — including the rest of a batch the exit interrupted.
 * - Rotation: when the next batch would take the file past `maxBytes`, it
 *   becomes FILE.1 (FILE.1 becomes FILE.2, ...), keeping `files` files in
 *   all; the oldest goes. Another raxe process rotating the same file is
 *   noticed (its inode changes) and followed.
 * - Past AUDIT_QUEUE_MAX_BYTES queued (a disk that cannot keep up), lines
 *   are dropped, counted, and the count is written as an event of its own.
 */
import { closeSync, fstatSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent, AuditSink } from '../gateway/audit.js';
import type { Logger } from '../log.js';
import { ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from './private-files.js';

/** Size at which the log rotates (gateway.audit_log_max_bytes): a few days of a busy gateway's decisions. */
export const AUDIT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Files kept, the current one included (gateway.audit_log_files): 50 MB in all by default. */
export const AUDIT_LOG_FILES = 5;
/**
 * Most bytes of lines waiting for the disk. Far more than a second of the
 * worst flood measured (21.7 MB in 2.5 s, written synchronously before);
 * past it lines are dropped and counted rather than holding memory.
 */
export const AUDIT_QUEUE_MAX_BYTES = 16 * 1024 * 1024;

/** Sinks with lines that may still be queued when the process exits (one 'exit' listener for all). */
const live = new Set<FileAuditSink>();
let hooked = false;
function onExit(s: FileAuditSink): void {
  live.add(s);
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const x of live) x.flushSync();
  });
}

export interface AuditLogOptions {
  maxBytes?: number;
  files?: number;
  /** POST each event here too (only when configured). */
  sinkUrl?: string;
}

export class FileAuditSink implements AuditSink {
  readonly path: string;
  readonly #log: Logger;
  readonly #maxBytes: number;
  readonly #files: number;
  readonly #sink?: string;
  #queue: string[] = [];
  #queued = 0;
  #dropped = 0;
  #fh: FileHandle | null = null;
  #ino = -1;
  #size = 0;
  /** The batch being written: its bytes and the file size before it (for the exit handler). */
  #inflight: { data: Buffer; sizeBefore: number } | null = null;
  #writer: Promise<void> | null = null;
  #failed = false;

  constructor(path: string, log: Logger, o: AuditLogOptions = {}) {
    this.path = path;
    this.#log = log;
    this.#maxBytes = o.maxBytes ?? AUDIT_LOG_MAX_BYTES;
    this.#files = Math.max(1, o.files ?? AUDIT_LOG_FILES);
    this.#sink = o.sinkUrl;
    onExit(this);
  }

  write(e: AuditEvent): void {
    const line = JSON.stringify(e) + '\n';
    const bytes = Buffer.byteLength(line);
    if (this.#queued + bytes > AUDIT_QUEUE_MAX_BYTES) this.#dropped++;
    else {
      this.#queue.push(line);
      this.#queued += bytes;
    }
    this.#writer ??= this.#drain().finally(() => {
      this.#writer = null;
      if (this.#queue.length) void this.flush();
    });
    if (this.#sink) {
      fetch(this.#sink, { method: 'POST', headers: { 'content-type': 'application/json' }, body: line.trimEnd() }).catch(() => this.#log.debug('audit sink unreachable'));
    }
  }

  async flush(): Promise<void> {
    while (this.#writer || this.#queue.length) {
      this.#writer ??= this.#drain().finally(() => (this.#writer = null));
      await this.#writer;
    }
  }

  /** Stops the exit handler (after a final flush). */
  async close(): Promise<void> {
    await this.flush();
    live.delete(this);
    await this.#fh?.close().catch(() => {});
    this.#fh = null;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      try {
        await this.#open();
        const batch = this.#take(Math.max(1, this.#maxBytes - this.#size));
        if (this.#size > 0 && this.#size + batch.length > this.#maxBytes) {
          this.#putBack(batch);
          await this.#rotate();
          continue;
        }
        this.#inflight = { data: batch, sizeBefore: this.#size };
        await this.#fh!.write(batch);
        this.#size += batch.length;
        this.#inflight = null;
        this.#failed = false;
      } catch (err) {
        this.#inflight = null;
        if (!this.#failed) this.#log.warn(`cannot write the audit log ${this.path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
        this.#failed = true;
        this.#dropped += this.#queue.length;
        this.#queue = [];
        this.#queued = 0;
        await this.#fh?.close().catch(() => {});
        this.#fh = null;
      }
    }
  }

  /** Queued lines up to `room` bytes (at least one line), plus a note of lines dropped since the last batch. */
  #take(room: number): Buffer {
    const parts: string[] = [];
    if (this.#dropped > 0) {
      parts.push(JSON.stringify({ ts: new Date().toISOString(), audit_lines_dropped: this.#dropped }) + '\n');
      this.#dropped = 0;
    }
    let bytes = 0;
    while (this.#queue.length && (parts.length === 0 || bytes + Buffer.byteLength(this.#queue[0]) <= room)) {
      const l = this.#queue.shift()!;
      const n = Buffer.byteLength(l);
      this.#queued -= n;
      bytes += n;
      parts.push(l);
    }
    return Buffer.from(parts.join(''), 'utf8');
  }

  #putBack(batch: Buffer): void {
    const lines = batch.toString('utf8').split(/(?<=\n)/);
    this.#queue.unshift(...lines);
    this.#queued += batch.length;
  }

  /** Opens the file (again, when another process rotated it away). */
  async #open(): Promise<void> {
    if (this.#fh) {
      const now = await stat(this.path).catch(() => null);
      if (now && now.ino === this.#ino) return;
      await this.#fh.close().catch(() => {});
      this.#fh = null;
    }
    ensurePrivateDir(dirname(this.path));
    this.#fh = await open(this.path, 'a', PRIVATE_FILE_MODE);
    makePrivate(this.path); // (a log created by an older raxe was 0644)
    const st = await this.#fh.stat();
    this.#ino = st.ino;
    this.#size = st.size;
  }

  async #rotate(): Promise<void> {
    await this.#fh?.close().catch(() => {});
    this.#fh = null;
    rotateFiles(this.path, this.#files);
  }

  /** The 'exit' handler: whatever is queued (and the unwritten rest of an interrupted batch) goes to the file now. */
  flushSync(): void {
    if (!this.#inflight && !this.#queue.length && !this.#dropped) return;
    try {
      ensurePrivateDir(dirname(this.path));
      const fd = openSync(this.path, 'a', PRIVATE_FILE_MODE);
      try {
        const inflight = this.#inflight;
        if (inflight) {
          // how much of the interrupted batch reached the file (its size tells, when no other process appended)
          const landed = Math.min(inflight.data.length, Math.max(0, fstatSync(fd).size - inflight.sizeBefore));
          if (landed < inflight.data.length) writeSync(fd, inflight.data.subarray(landed));
          this.#inflight = null;
        }
        while (this.#queue.length || this.#dropped) writeSync(fd, this.#take(Number.MAX_SAFE_INTEGER));
      } finally {
        closeSync(fd);
      }
    } catch {
      /* exiting: nowhere left to report it */
    }
  }
}

/** FILE -> FILE.1 -> FILE.2 ... keeping `files` files in all (the oldest is removed). */
export function rotateFiles(path: string, files: number): void {
  if (files <= 1) {
    rmSync(path, { force: true });
    return;
  }
  rmSync(`${path}.${files - 1}`, { force: true });
  for (let k = files - 2; k >= 1; k--) {
    try {
      statSync(`${path}.${k}`);
      renameSync(`${path}.${k}`, `${path}.${k + 1}`);
    } catch {
      /* a gap: nothing to move */
    }
  }
  try {
    renameSync(path, `${path}.1`);
  } catch {
    /* another process rotated it first */
  }
}
