/**
 * Node adapter: files raxe writes that may hold what the user would not
 * share (decisions about their traffic, tool definitions, config backups
 * with secrets in env) are 0600, in directories raxe creates 0700. A
 * directory raxe owns (its state dir, named "raxe") that is open to others
 * is tightened; any other existing directory is left as it is. (Windows has
 * no POSIX modes: there these calls change nothing.)
 */
import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and its missing parents) 0700; an existing raxe state dir readable by others is tightened to 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform === 'win32' || basename(dir) !== 'raxe') return;
  try {
    const st = statSync(dir);
    if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) chmodSync(dir, PRIVATE_DIR_MODE);
  } catch {
    /* reported by the write that needs it */
  }
}

/** Makes an existing file 0600 (a file created by an older raxe, a copy that kept its source's mode). */
export function makePrivate(path: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
  } catch {
    /* gone: nothing to protect */
  }
}

/** Writes a whole file atomically (temp file + rename), 0600. */
export function writePrivateFile(path: string, data: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data, { mode: PRIVATE_FILE_MODE });
  makePrivate(tmp); // (a stale temp file kept its old mode)
  renameSync(tmp, path);
}
