/**
 * The rule playground page: wires the editor, the test text and the result
 * panels to the core. All scanning is src/core — loadPack, createScanner,
 * scan with explain, runExamples — bundled for the browser; this file only
 * moves text between the page and those calls.
 */
import './csp.js'; // first: before the core's schemas are created
import { parse as parseYaml } from 'yaml';
import { decodeLayers, DEFAULT_DECODE_LIMITS, normalizeText, runExamples, type ScanResult } from '../../src/core/index.js';
import { checkRule, type Checked } from './check.js';
import { createEditor, type RuleEditor } from './editor.js';
import { loadRuntime, type BuiltinRule, type Runtime } from './runtime.js';
import { decodeShare, encodeShare } from './share.js';
import { h, type L2State, renderDetections, renderExamples, renderMatches, renderNormalized, renderProblems, renderTimings, renderVerdict } from './render.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: #${id} is missing from index.html`);
  return el as T;
};

const DEFAULT_RULE = 'pi-001';
const ui = {
  status: $('status'),
  builtin: $<HTMLSelectElement>('builtin'),
  open: $<HTMLButtonElement>('open'),
  file: $<HTMLInputElement>('file'),
  save: $<HTMLButtonElement>('save'),
  share: $<HTMLButtonElement>('share'),
  useL2: $<HTMLInputElement>('use-l2'),
  l2Label: $('use-l2-note'),
  fileName: $('file-name'),
  errors: $('errors'),
  runExamples: $<HTMLButtonElement>('run-examples'),
  examples: $('examples'),
  text: $<HTMLTextAreaElement>('test-text'),
  verdict: $('verdict'),
  timings: $('timings'),
  detections: $('detections'),
  highlighted: $('highlighted'),
  matchList: $('match-list'),
  normalized: $('normalized'),
  decoded: $('decoded'),
  results: $('results'),
};

let rt: Runtime;
let editor: RuleEditor;
/** The name of the file the rule was opened from; otherwise the name follows its rule_id. */
let diskName: string | null = null;
let checked: Checked | null = null;
let examplesShown = false;
let l2Failed = '';
let scanGen = 0;
let ruleGen = 0;

/**
 * Work that will change the results: debounced checks and scans waiting or
 * running. While any is outstanding the results column is aria-busy, so
 * assistive technology (and the end-to-end test) can tell a result that is
 * still catching up with the typing from the final one.
 */
let outstanding = 0;
function track(work: Promise<void>): void {
  outstanding++;
  ui.results.setAttribute('aria-busy', 'true');
  void work.finally(() => {
    if (--outstanding === 0) ui.results.setAttribute('aria-busy', 'false');
  });
}

function debounce(fn: () => Promise<void>, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  let done: (() => void) | undefined;
  return () => {
    clearTimeout(t);
    // one outstanding item per debounced function, from the first call until its run ends
    if (!done) track(new Promise<void>((r) => (done = r)));
    t = setTimeout(() => {
      const finish = done!;
      done = undefined;
      void fn().finally(finish);
    }, ms);
  };
}

function say(msg: string): void {
  ui.status.textContent = msg;
}

/** Keeps the rule and the text in the fragment, so a reload (or a shared link) restores them. */
function writeHash(): void {
  history.replaceState(null, '', `#${encodeShare({ rule: editor.text(), text: ui.text.value })}`);
}

let lastName = 'rule.yaml';
function fileName(): string {
  if (diskName) return diskName;
  // keep the last good name while the YAML is half typed
  const id = peek(editor.text(), (d) => d?.rule_id);
  if (/^[\w.-]+$/.test(id)) lastName = `${id}.yaml`;
  return lastName;
}

async function onRuleChange(): Promise<void> {
  const gen = ++ruleGen;
  ui.fileName.textContent = fileName();
  const res = await checkRule(rt.engine, fileName(), editor.text(), rt.l2 && !l2Failed ? rt.l2 : null);
  if (gen !== ruleGen) return;
  checked = res;
  const problems = res.ok ? [] : res.problems;
  editor.showProblems(problems);
  renderProblems(ui.errors, problems, (p) => editor.goTo(p.line, p.column));
  if (examplesShown) showExamples();
  writeHash();
  await scan();
}

function showExamples(): void {
  examplesShown = true;
  if (checked?.ok) renderExamples(ui.examples, checked.rules, runExamples(checked.scanner));
  else renderExamples(ui.examples, null, null);
}

async function scan(): Promise<void> {
  if (!checked) return; // the rule's first check has not finished: it scans when it has
  const gen = ++scanGen;
  const text = ui.text.value;
  const useL2 = ui.useL2.checked && !ui.useL2.disabled;
  let result: ScanResult | null = null;
  const cold = useL2 && !!rt.l2 && rt.l2.sessionMs() === 0;
  if (checked?.ok && cold) {
    // the ONNX session is still starting: show L1 now, L2 when it is ready
    show(text, checked.scanner.scanL1(text, { explain: true }), 'loading');
  }
  if (checked?.ok) {
    try {
      result = await checked.scanner.scan(text, { explain: true, l2: useL2 });
    } catch (e) {
      // L2 could not start (e.g. onnxruntime-web failed): carry on with L1
      l2Failed = e instanceof Error ? e.message : String(e);
      setL2State();
      say(`L2 is off: ${l2Failed}`);
      result = checked.scanner.scanL1(text, { explain: true });
    }
  }
  if (gen !== scanGen) return;
  show(text, result, !useL2 || l2Failed ? 'off' : cold ? 'cold' : 'warm');
}

function show(text: string, result: ScanResult | null, l2: L2State): void {
  renderVerdict(ui.verdict, result);
  renderTimings(ui.timings, result, checked?.ok ? checked.compileMs : null, l2);
  renderDetections(ui.detections, result);
  renderMatches(ui.highlighted, ui.matchList, text, result);
  renderNormalized(ui.normalized, ui.decoded, result?.explain?.normalized ?? normalizeText(text), result, decodeLayers(text, DEFAULT_DECODE_LIMITS));
}

function setL2State(): void {
  const problem = l2Failed || rt.l2Problem;
  ui.useL2.disabled = !rt.l2 || !!problem;
  if (ui.useL2.disabled) ui.useL2.checked = false;
  ui.l2Label.textContent = problem ? `(unavailable: ${problem})` : rt.l2 ? '' : '(no model in this build)';
}

/** A field of the rule YAML, read leniently (the rule may be half typed). */
function peek(rule: string, get: (doc: any) => unknown): string {
  try {
    const v = get(parseYaml(rule));
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

function loadRule(text: string, fromDisk: string | null = null): void {
  diskName = fromDisk;
  editor.setText(text);
}

function pickBuiltin(rule: BuiltinRule): void {
  loadRule(rule.text);
  if (!ui.text.value.trim()) ui.text.value = peek(rule.text, (d) => d?.examples?.should_match?.[0]);
  scheduleText();
}

function fillBuiltinList(rules: readonly BuiltinRule[]): void {
  const byFamily = new Map<string, BuiltinRule[]>();
  for (const r of rules) byFamily.set(r.family, [...(byFamily.get(r.family) ?? []), r]);
  for (const [family, list] of [...byFamily].sort((a, b) => a[0].localeCompare(b[0]))) {
    ui.builtin.append(h('optgroup', { label: family }, ...list.map((r) => h('option', { value: r.rule_id }, `${r.rule_id} — ${r.name} (${r.severity})`))));
  }
}

function restore(): boolean {
  const shared = decodeShare(location.hash);
  if (shared.rule === undefined && shared.text === undefined) return false;
  loadRule(shared.rule ?? '');
  ui.text.value = shared.text ?? '';
  scheduleText();
  return true;
}

const scheduleRule = debounce(onRuleChange, 150);
const scheduleText = debounce(() => {
  writeHash();
  return scan();
}, 100);

function wire(): void {
  ui.text.addEventListener('input', scheduleText);
  ui.useL2.addEventListener('change', () => track(scan()));
  ui.builtin.addEventListener('change', () => {
    const r = rt.builtin.find((x) => x.rule_id === ui.builtin.value);
    if (r) pickBuiltin(r);
  });
  ui.open.addEventListener('click', () => ui.file.click());
  ui.file.addEventListener('change', async () => {
    const f = ui.file.files?.[0];
    if (!f) return;
    loadRule(await f.text(), f.name);
    ui.file.value = '';
    say(`Opened ${f.name}`);
  });
  ui.save.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([editor.text()], { type: 'application/yaml' }));
    const a = h('a', { href: url, download: fileName() });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say(`Saved ${fileName()}`);
  });
  ui.share.addEventListener('click', async () => {
    writeHash();
    try {
      await navigator.clipboard.writeText(location.href);
      say('Share link copied: the rule and the text are in the part after #, which is never sent to a server.');
    } catch {
      say('The address bar now holds the share link: copy it from there.');
    }
  });
  ui.runExamples.addEventListener('click', showExamples);
  window.addEventListener('hashchange', () => {
    if (restore()) say('Loaded the shared rule and text.');
  });
}

async function start(): Promise<void> {
  try {
    rt = await loadRuntime(new URL('.', location.href));
  } catch (e) {
    say(`The engine failed to load: ${e instanceof Error ? e.message : e}. Reload to try again.`);
    ui.results.setAttribute('aria-busy', 'false');
    return;
  }
  editor = createEditor($('editor'), 'rule-label', scheduleRule);
  fillBuiltinList(rt.builtin);
  setL2State();
  ui.useL2.checked = !ui.useL2.disabled;
  wire();
  if (!restore()) {
    const def = rt.builtin.find((r) => r.rule_id === DEFAULT_RULE) ?? rt.builtin[0];
    if (def) {
      ui.builtin.value = def.rule_id;
      pickBuiltin(def);
    }
  }
  say(`Ready: ${rt.builtin.length} built-in rules; L2 ${rt.l2 ? 'on' : 'off'}.`);
  document.body.dataset.ready = 'true';
  if (outstanding === 0) ui.results.setAttribute('aria-busy', 'false'); // nothing to scan yet
  if (rt.l2) {
    // create the ONNX session now, so the first scan does not wait for it
    rt.l2.predict('warm up').then(
      () => say(`Ready: ${rt.builtin.length} built-in rules; L2 model loaded in ${rt.l2!.sessionMs().toFixed(0)} ms.`),
      (e) => {
        l2Failed = e instanceof Error ? e.message : String(e);
        setL2State();
        say(`L2 is off: ${l2Failed}`);
        scheduleRule();
      },
    );
  }
}

void start();
