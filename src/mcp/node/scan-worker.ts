/**
 * The body of a scan worker thread (bundled as dist/scan-worker.js): builds
 * the scanner described by its workerData (./scan-workers.ts), then answers
 * each ScanTask with the scan's result — or an error, which the gateway
 * counts as unscanned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadScanner } from '../../cli/load-scanner.js';
import type { ScanTask } from '../gateway/scan-pool.js';
import type { ScannerSpec } from './scan-workers.js';

const spec = workerData as ScannerSpec;
const ready = loadScanner(spec.rules, { l2: spec.l2 }).then(({ scanner, l2 }) => {
  void l2?.predict('warm up').catch(() => {}); // the ONNX session, before the first long text needs it
  return scanner;
});

parentPort!.on('message', async (m: ScanTask) => {
  try {
    const scanner = await ready;
    const { explain: _explain, ...result } = await scanner.scan(m.text, { context: m.context, l2: m.l2 });
    parentPort!.postMessage({ id: m.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
