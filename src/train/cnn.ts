/**
 * The byte-level CNN family: trained by scripts/train_cnn.py (PyTorch, from
 * Debian's python3-torch) on windows dumped by bytes-dump.ts. Gives the same
 * out-of-source row scores as loso.ts does for the n-gram models, and the
 * final ONNX model.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from './data.js';
import type { SampleSet } from './samples.js';
import { dumpWindows } from './bytes-dump.js';
import { ROOT } from './paths.js';

/** Debian's python3 (python3-torch is installed for it, not for other Pythons on PATH). */
const PYTHON = process.env.RAXE_TORCH_PYTHON ?? '/usr/bin/python3';

function run(mode: 'loso' | 'final', dir: string, out: string): void {
  try {
    execFileSync(PYTHON, [join(ROOT, 'scripts', 'train_cnn.py'), mode, dir, out], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    throw new Error(`the CNN trainer failed (${PYTHON} scripts/train_cnn.py ${mode}); it needs Debian's python3-torch and python3-onnx: ${e instanceof Error ? e.message : e}`);
  }
}

/** Out-of-source score of every row (a model per held-out source file). */
export function cnnLoso(rows: Row[], set: SampleSet, files: string[]): Float32Array {
  const dir = mkdtempSync(join(tmpdir(), 'raxe-cnn-'));
  try {
    dumpWindows(dir, rows, set, files);
    run('loso', dir, join(dir, 'scores.f32'));
    const b = readFileSync(join(dir, 'scores.f32'));
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CNN trained on every row, as ONNX bytes. */
export function cnnFinal(rows: Row[], set: SampleSet, files: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'raxe-cnn-'));
  try {
    dumpWindows(dir, rows, set, files);
    run('final', dir, join(dir, 'model.onnx'));
    return new Uint8Array(readFileSync(join(dir, 'model.onnx')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
