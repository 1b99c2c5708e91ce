/** L1 (the built-in rules) on training rows: the rules' part of every L1+L2 figure. */
import { readFileSync } from 'node:fs';
import { createScanner, type Engine } from '../core/index.js';
import type { Row } from './data.js';
import { ROOT } from './paths.js';

/** For every row: did L1 report anything above `info`? (The precompiled built-in pack from dist/.) */
export async function l1Flags(engine: Engine, rows: Row[]): Promise<boolean[]> {
  const pack = JSON.parse(readFileSync(`${ROOT}/dist/builtin-pack.json`, 'utf8'));
  const l1 = await createScanner({ engine, rules: pack.rules, precompiled: new Uint8Array(readFileSync(`${ROOT}/dist/builtin-pack.matcher`)) });
  return rows.map((r) => l1.scanL1(r.text).detections.some((d) => d.severity !== 'info'));
}
