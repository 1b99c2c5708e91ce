/** `raxe scan`: one text, stdin, or a JSONL file streamed line by line. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { formatScanText, meetsThreshold, SEVERITIES, type ScanResult, type Scanner } from '../core/index.js';
import { loadScanner } from './load-scanner.js';
import { CliError, many, STDIN } from './errors.js';
import { NO_L2_OPTION, RULES_OPTION, type CommandSpec } from './command.js';
import { Progress } from './progress.js';

export const scanCommand: CommandSpec = {
  name: 'scan',
  args: '[text]',
  description: 'Scan a text for threats ("-" reads stdin); exit 0 safe, 1 threat, 2 usage or load error',
  options: [
    { flags: '--input <file>', description: 'Scan a JSONL file ("-": stdin), one {"text": ...} per line, one result per line; progress on stderr when it is a terminal' },
    { flags: '--format <format>', description: 'Output: text, json or jsonl (default: text; jsonl with --input)' },
    RULES_OPTION,
    { flags: '--severity-threshold <level>', description: 'Lowest severity that counts as a threat: info, low, medium, high or critical', default: 'low' },
    { flags: '--explain', description: 'Show matched spans and the normalised text (local use only)' },
    NO_L2_OPTION,
  ],
  examples: ['raxe scan "Ignore all previous instructions"', 'echo "hello" | raxe scan -', 'raxe scan --input prompts.jsonl --format jsonl'],
  run: ([text], o) => runScan(text as string | undefined, o),
};

const FORMATS = ['text', 'json', 'jsonl'];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isThreat(r: ScanResult, threshold: string): boolean {
  return r.detections.some((d) => meetsThreshold(d.severity, threshold));
}

export async function runScan(text: string | undefined, o: Record<string, unknown>): Promise<void> {
  const threshold = String(o.severityThreshold ?? 'low').toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(threshold)) {
    throw new CliError(`--severity-threshold must be one of ${SEVERITIES.join(', ')} (got "${o.severityThreshold}")`, 2);
  }
  const input = o.input as string | undefined;
  const format = (o.format as string | undefined) ?? (input ? 'jsonl' : 'text');
  if (!FORMATS.includes(format)) throw new CliError(`--format must be text, json or jsonl (got "${format}")`, 2);
  if (input && text !== undefined) throw new CliError('give either TEXT or --input FILE, not both', 2);
  if (!input && text === undefined) throw new CliError('nothing to scan: give TEXT, "-" for stdin, or --input FILE.jsonl', 2);

  const { scanner } = await loadScanner(many(o.rules), { l2: o.l2 !== false });
  const explain = !!o.explain;
  const l2 = o.l2 !== false;

  if (input) {
    process.exitCode = await scanJsonl(scanner, input, format, threshold, explain, l2);
    return;
  }
  const body = text === STDIN ? await readStdin() : text!;
  const r = await scanner.scan(body, { explain, l2 });
  if (format === 'text') process.stdout.write(formatScanText(r, { l2Enabled: scanner.l2Enabled && l2 }) + '\n');
  else process.stdout.write(JSON.stringify(r, null, format === 'json' ? 2 : undefined) + '\n');
  process.exitCode = isThreat(r, threshold) ? 1 : 0;
}

/** Streams a JSONL file; returns the exit code (2 if any line was unusable). */
async function scanJsonl(scanner: Scanner, path: string, format: string, threshold: string, explain: boolean, l2: boolean): Promise<number> {
  const fromStdin = path === STDIN;
  const stream = fromStdin ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  if (!fromStdin) {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (e: Error) => reject(new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? e.message}`, 2)));
    });
  }
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  // rows, rows/s and threats so far, on stderr only when a person is watching it
  const progress = process.stderr.isTTY ? new Progress((s) => process.stderr.write(s)) : null;
  let lineNo = 0;
  let threat = false;
  let bad = false;
  let buf = '';
  const flush = async () => {
    if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
    buf = '';
  };
  for await (const raw of rl) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue; // blank lines are not records (numbering still counts them)
    let text: unknown;
    let id: unknown;
    try {
      const obj = JSON.parse(line);
      text = obj?.text;
      id = obj?.id;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') {
      bad = true;
      progress?.row(false);
      const error = 'not a JSON object with a string "text" field';
      buf += format === 'text' ? `line ${lineNo}: error: ${error}\n` : JSON.stringify({ line: lineNo, error }) + '\n';
    } else {
      let r: ScanResult;
      try {
        r = l2 && scanner.l2Enabled ? await scanner.scan(text, { explain, l2 }) : scanner.scanL1(text, { explain });
      } catch (e) {
        // one row that cannot be scanned is an error row; the batch goes on
        bad = true;
        const error = `could not be scanned: ${e instanceof Error ? e.message : String(e)}`;
        buf += format === 'text' ? `line ${lineNo}: error: ${error}\n` : JSON.stringify(id === undefined ? { line: lineNo, error } : { line: lineNo, id, error }) + '\n';
        progress?.row(false);
        if (buf.length > 64 * 1024) await flush();
        continue;
      }
      const flagged = isThreat(r, threshold);
      if (flagged) threat = true;
      progress?.row(flagged);
      if (format === 'text') {
        buf += r.safe
          ? `line ${lineNo}: SAFE\n`
          : `line ${lineNo}: THREAT ${r.severity.toUpperCase()} ${r.detections.map((d) => d.rule_id).join(', ')}\n`;
      } else {
        const out = id === undefined ? { line: lineNo, ...r } : { line: lineNo, id, ...r };
        buf += JSON.stringify(out) + '\n';
      }
    }
    if (buf.length > 64 * 1024) await flush();
  }
  await flush();
  progress?.done();
  if (bad) process.stderr.write(`raxe: some lines of ${fromStdin ? 'stdin' : path} could not be scanned (see their "error" results)\n`);
  return bad ? 2 : threat ? 1 : 0;
}
