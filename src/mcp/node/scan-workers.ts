/**
 * The scan pool's workers as node:worker_threads (which Node, Deno and Bun
 * all provide): each runs dist/scan-worker.js, which builds the same scanner
 * as the gateway (the built-in pack, the same rule folders, L2 or not).
 * When no worker can be started, the gateway scans inline, in slices.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../../cli/fs-packs.js';
import type { Logger } from '../log.js';
import { WorkerScanPool, type ScanPool, type ScanReply, type ScanTask, type WorkerFactory } from '../gateway/scan-pool.js';

/** How a worker builds its scanner: what the gateway's own was built from. */
export interface ScannerSpec {
  rules: string[];
  l2: boolean;
}

/** dist/scan-worker.js (next to the CLI bundle, or under the package root when running from the sources). */
export function workerScript(): string {
  const here = join(PACKAGE_ROOT, 'dist', 'scan-worker.js');
  return existsSync(here) ? here : resolve(PACKAGE_ROOT, '..', 'dist', 'scan-worker.js');
}

/** A factory of worker threads scanning with `spec`'s scanner. */
export function threadFactory(spec: ScannerSpec, script = workerScript()): WorkerFactory {
  return () => {
    const w = new Worker(script, { workerData: spec });
    w.unref(); // an idle pool does not keep the process alive
    let failed = false;
    return {
      post: (m: ScanTask) => w.postMessage(m),
      onMessage: (f: (m: ScanReply) => void) => void w.on('message', f),
      onFailure: (f: (why: string) => void) => {
        const once = (why: string) => {
          if (failed) return;
          failed = true;
          f(why);
        };
        w.on('error', (e) => once(e instanceof Error ? e.message : String(e)));
        w.on('exit', (code) => once(`exited with code ${code}`));
      },
      terminate: async () => {
        failed = true;
        await w.terminate();
      },
    };
  };
}

/**
 * The gateway's scan pool: `size` worker threads (0: none, scan inline), or
 * null when the worker script is missing (a source checkout without a
 * build) — said once on stderr.
 */
export function createScanPool(spec: ScannerSpec, size: number, log: Logger): ScanPool | null {
  if (size <= 0) return null;
  const script = workerScript();
  if (!existsSync(script)) {
    log.warn(`no scan workers: ${script} is missing (npm run build); long texts are scanned on the main thread, in slices`);
    return null;
  }
  return new WorkerScanPool(threadFactory(spec, script), size, log);
}
