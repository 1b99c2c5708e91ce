/**
 * Results into the page. User text only ever goes in through textContent,
 * never as HTML. Spans are UTF-16 offsets into the layer the core names.
 */
import { familyName, type ExampleReport, type LoadedRule, type ScanResult } from '../../src/core/index.js';
import type { Problem } from './check.js';

/** A tiny element builder: tag, class, children (strings become text). */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

export function renderVerdict(el: HTMLElement, r: ScanResult | null): void {
  el.className = `verdict ${r ? (r.safe ? 'safe' : 'threat') : 'invalid'}`;
  el.textContent = !r ? 'rule has errors' : r.safe ? 'safe' : `threat · ${r.severity}`;
}

/** How L2 took part in a scan: off, still starting (L1 shown alone), first run (with start-up), or warm. */
export type L2State = 'off' | 'loading' | 'cold' | 'warm';

function ms(v: number): string {
  // browsers coarsen timers (to 0.1 ms or more) when the page is not cross-origin isolated
  return v < 0.1 ? '< 0.1 ms' : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}

export function renderTimings(el: HTMLElement, r: ScanResult | null, compileMs: number | null, l2: L2State): void {
  const parts: string[] = [];
  if (compileMs !== null) parts.push(`rule compiled in ${ms(compileMs)}`);
  if (r) {
    parts.push(`L1 ${ms(r.timings.l1_ms)}`);
    if (l2 === 'off') parts.push('L2 off');
    else if (l2 === 'loading') parts.push('L2 loading the model…');
    else parts.push(`L2 ${ms(r.timings.l2_ms)}${l2 === 'cold' ? ' (first run: includes the model start-up)' : ''}`);
  }
  el.textContent = parts.join(' · ');
}

export function renderDetections(el: HTMLElement, r: ScanResult | null): void {
  el.replaceChildren();
  if (!r) return void el.append(h('p', { class: 'muted' }, 'Fix the rule to scan the text.'));
  if (r.detections.length === 0) return void el.append(h('p', { class: 'muted' }, 'No detections.'));
  const head = h('tr', {}, ...['Rule', 'Family', 'Severity', 'Confidence', 'Layer', 'Name'].map((c) => h('th', { scope: 'col' }, c)));
  const rows = r.detections.map((d) =>
    h('tr', { 'data-rule': d.rule_id },
      h('td', {}, h('code', {}, d.rule_id)),
      h('td', { title: familyName(d.family) }, `${d.family} · ${familyName(d.family)}`),
      h('td', {}, h('span', { class: `sev sev-${d.severity}` }, d.severity)),
      h('td', { class: 'num' }, `${Math.round(d.confidence * 100)}%`),
      h('td', {}, d.via ? `${d.layer} (via ${d.via})` : d.layer),
      h('td', {}, d.message),
    ));
  el.append(h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows)));
}

interface Span {
  start: number;
  end: number;
  rule: string;
}

// invisible and format characters (zero-width, bidi controls, variation
// selectors, tag characters ...): shown as badges so the user sees what the
// normaliser strips
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e007f}]/u;

function visible(seg: string): (Node | string)[] {
  if (!INVISIBLE.test(seg)) return [seg];
  const out: (Node | string)[] = [];
  let run = '';
  for (const ch of seg) {
    if (!INVISIBLE.test(ch)) {
      run += ch;
      continue;
    }
    if (run) out.push(run);
    run = '';
    const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    out.push(h('span', { class: 'invis', title: `invisible character U+${cp}` }, cp));
  }
  if (run) out.push(run);
  return out;
}

/** `text` with the spans marked; overlapping spans split into segments naming every rule. */
export function highlight(text: string, spans: readonly Span[]): DocumentFragment {
  const frag = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const s of spans) cuts.add(s.start).add(s.end);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const seg = text.slice(a, b);
    const rules = [...new Set(spans.filter((s) => s.start <= a && s.end >= b && s.end > s.start).map((s) => s.rule))];
    frag.append(...(rules.length ? [h('mark', { title: `matched by ${rules.join(', ')}` }, ...visible(seg))] : visible(seg)));
  }
  return frag;
}

/** The text with raw-layer matches marked, and a list of every match (decoded ones included). */
export function renderMatches(textEl: HTMLElement, listEl: HTMLElement, text: string, r: ScanResult | null): void {
  const matches = r?.explain?.matches ?? [];
  const raw = matches.filter((m) => m.text_layer === 'raw').map((m) => ({ start: m.span[0], end: m.span[1], rule: m.rule_id }));
  textEl.replaceChildren(text ? highlight(text, raw) : h('span', { class: 'muted' }, '(no text)'));
  listEl.replaceChildren(
    ...matches.map((m) =>
      h('li', {},
        h('code', {}, m.rule_id), ` pattern ${m.pattern_index} in ${m.text_layer === 'raw' ? 'the text' : `the ${m.text_layer} text`} at ${m.span[0]}–${m.span[1]}: `,
        h('q', { class: 'matched' }, ...visible(m.matched)))),
  );
}

/**
 * The normalised text (with the matches found in it marked) and each decoded
 * layer. Both come from the core and do not depend on the rule, so they show
 * even while the rule has errors.
 */
export function renderNormalized(normEl: HTMLElement, decodedEl: HTMLElement, normalized: string, r: ScanResult | null, decoded: readonly { via: string; text: string }[]): void {
  const spans = (r?.explain?.matches ?? []).filter((m) => m.text_layer === 'normalized').map((m) => ({ start: m.span[0], end: m.span[1], rule: m.rule_id }));
  normEl.replaceChildren(normalized === '' ? h('span', { class: 'muted' }, '(empty)') : highlight(normalized, spans));
  decodedEl.replaceChildren(
    ...(decoded.length
      ? decoded.map((d) => h('li', {}, h('strong', {}, d.via), ': ', h('span', { class: 'pre' }, ...visible(d.text))))
      : [h('li', { class: 'muted' }, 'No encoded content found (base64, hex, URL, HTML entities, unicode escapes, tag characters).')]),
  );
}

/** The problems panel: one entry per error, its location a button that jumps there. */
export function renderProblems(el: HTMLElement, problems: readonly Problem[], goTo: (p: Problem) => void): void {
  el.replaceChildren();
  el.hidden = problems.length === 0;
  if (!problems.length) return;
  el.append(h('h3', {}, `${problems.length} problem${problems.length === 1 ? '' : 's'}`));
  const list = h('ul', {});
  for (const p of problems) {
    const btn = h('button', { type: 'button', class: 'link', title: p.cli }, `line ${p.line}, column ${p.column}`);
    btn.addEventListener('click', () => goTo(p));
    list.append(h('li', {}, btn, ': ', h('span', { class: 'msg' }, p.message)));
  }
  el.append(list);
}

/** Pass or fail for every example of every rule, from runExamples' report. */
export function renderExamples(el: HTMLElement, rules: readonly LoadedRule[] | null, report: ExampleReport | null): void {
  el.replaceChildren();
  if (!rules || !report) return void el.append(h('p', { class: 'muted' }, 'Fix the rule to run its examples.'));
  const failed = new Set(report.failed.map((f) => `${f.rule_id}\u0000${f.kind}\u0000${f.example}`));
  el.append(h('p', { class: report.failed.length ? 'summary fail' : 'summary pass' },
    `${report.examples - report.failed.length} of ${report.examples} examples passed`));
  if (report.examples === 0) el.append(h('p', { class: 'muted' }, 'This rule has no examples: add examples.should_match and examples.should_not_match.'));
  for (const r of rules) {
    for (const kind of ['should_match', 'should_not_match'] as const) {
      const list = r.examples?.[kind] ?? [];
      if (!list.length) continue;
      const items = list.map((ex) => {
        const ok = !failed.has(`${r.rule_id}\u0000${kind}\u0000${ex}`);
        return h('li', { class: ok ? 'pass' : 'fail', 'data-result': ok ? 'pass' : 'fail' },
          h('span', { class: 'badge' }, ok ? 'pass' : 'fail'), ' ', h('span', { class: 'pre' }, ex));
      });
      el.append(h('h3', {}, `${r.rule_id} ${kind === 'should_match' ? 'should match' : 'should not match'}`), h('ul', { class: 'examples' }, ...items));
    }
  }
}
