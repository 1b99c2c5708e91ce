/**
 * The byte-level CNN (scripts/train_cnn.py, PyTorch) is trained outside
 * Node, on the same windows and labels as the n-gram models: this writes
 * them to a folder it reads.
 *   windows.u8     every window of every row, WINDOW_BYTES each (0-padded)
 *   lengths.u16    each window's byte length
 *   win_row.i32    each window's row
 *   row_file.i32   each row's source file (index into meta.files)
 *   samples.i32    training samples: [window, label, family] triples
 *   meta.json      files, families, row count, window size
 * The windows are the ones buildSamples() featurises, in the same order.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText, planWindows, WINDOW_BYTES } from '../core/index.js';
import type { Row } from './data.js';
import type { SampleSet } from './samples.js';

const encoder = new TextEncoder();

export function dumpWindows(dir: string, rows: Row[], set: SampleSet, files: string[]): void {
  mkdirSync(dir, { recursive: true });
  const nWin = set.rowStart[rows.length];
  const bytesOut = new Uint8Array(nWin * WINDOW_BYTES);
  const lengths = new Uint16Array(nWin);
  const winRow = new Int32Array(nWin);
  let w = 0;
  rows.forEach((r, ri) => {
    const b = encoder.encode(normalizeText(r.text));
    const spans = planWindows(b, b.length);
    if (spans.length / 2 !== set.rowStart[ri + 1] - set.rowStart[ri]) throw new Error(`row ${ri}: window count differs from the sample set`);
    for (let k = 0; k < spans.length; k += 2, w++) {
      const part = b.subarray(spans[k], Math.min(spans[k + 1], spans[k] + WINDOW_BYTES));
      bytesOut.set(part, w * WINDOW_BYTES);
      lengths[w] = part.length;
      winRow[w] = ri;
    }
  });
  const samples = new Int32Array(set.sample.length * 3);
  for (let s = 0; s < set.sample.length; s++) {
    samples[3 * s] = set.sample[s];
    samples[3 * s + 1] = set.y[s];
    samples[3 * s + 2] = set.fam[s];
  }
  const rowFile = Int32Array.from(rows, (r) => files.indexOf(r.file));
  const raw = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(join(dir, 'windows.u8'), bytesOut);
  writeFileSync(join(dir, 'lengths.u16'), raw(lengths));
  writeFileSync(join(dir, 'win_row.i32'), raw(winRow));
  writeFileSync(join(dir, 'row_file.i32'), raw(rowFile));
  writeFileSync(join(dir, 'samples.i32'), raw(samples));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ files, families: set.families, rows: rows.length, windows: nWin, window_bytes: WINDOW_BYTES }));
}
