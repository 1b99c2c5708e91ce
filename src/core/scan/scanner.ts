/**
 * The scan core: L1 (rules in the WASM engine, over the raw text, its
 * normalised form and any decoded payloads) then L2 (optional classifier),
 * merged into one verdict.
 */
import { loadEngine, Engine, EngineCompileError, type Matcher } from '../engine/index.js';
import { flagsValue, severityRank, type Severity } from '../rules/schema.js';
import { RuleLoadError, type LoadError, type LoadedRule } from '../rules/load.js';
import { buildLayers, DEFAULT_DECODE_LIMITS, type DecodeLimits, type Layer } from '../normalize/index.js';
import type { Detection, Explanation, L2Classifier, PartialReason, ScanOptions, ScanResult } from './types.js';

export interface ScannerOptions {
  /** The engine, or its wasm bytes. */
  engine: Engine | BufferSource | WebAssembly.Module;
  rules: readonly LoadedRule[];
  /** `Matcher.serialize()` bytes for exactly these rules, compiled ahead of time (used when the engine build matches). */
  precompiled?: Uint8Array;
  l2?: L2Classifier | null;
  decodeLimits?: DecodeLimits;
  /** Clock in milliseconds (defaults to performance.now). */
  now?: () => number;
}

export interface Scanner {
  scan(text: string, options?: ScanOptions): Promise<ScanResult>;
  /** L1 only, synchronous. */
  scanL1(text: string, options?: ScanOptions): ScanResult;
  readonly rules: readonly LoadedRule[];
  readonly l2Enabled: boolean;
}

/**
 * Compiles every pattern of every rule into one matcher (or loads `precompiled`
 * when it fits); throws RuleLoadError naming each bad pattern.
 */
export function compileRules(engine: Engine, rules: readonly LoadedRule[], precompiled?: Uint8Array): { matcher: Matcher; owner: Int32Array } {
  const specs: { source: string; flags: number }[] = [];
  const owner: number[] = [];
  const indexInRule: number[] = [];
  rules.forEach((r, ri) => {
    r.patterns.forEach((p, pi) => {
      specs.push({ source: p.pattern, flags: flagsValue(p.flags) });
      owner.push(ri);
      indexInRule.push(pi);
    });
  });
  const loaded = precompiled ? engine.load(precompiled) : null;
  if (loaded && loaded.size === specs.length) return { matcher: loaded, owner: Int32Array.from(owner) };
  try {
    // rule packs refuse patterns that can match the empty string (they would flag every input)
    return { matcher: engine.compile(specs, { refuseEmpty: true }), owner: Int32Array.from(owner) };
  } catch (e) {
    if (!(e instanceof EngineCompileError)) throw e;
    const errors: LoadError[] = e.errors.map((pe) => {
      const r = rules[owner[pe.index]];
      const pi = indexInRule[pe.index];
      return {
        file: r.source.file,
        line: r.source.patternLines[pi] || undefined,
        rule_id: r.rule_id,
        field: `patterns[${pi}].pattern`,
        pattern_index: pi,
        position: pe.position,
        message: `${pe.message} (${pe.code})`,
      };
    });
    throw new RuleLoadError(errors);
  }
}

const idOnly = (id: number) => ({ id, start: -1, end: -1 });

/** Bytes of disguise/decoded layers L2 also reads beyond twice the text (see l2Detections). */
export const L2_EXTRA_BUDGET = 64 * 1024;

/** Builds a scanner. Async only because the wasm may need compiling. */
export async function createScanner(options: ScannerOptions): Promise<Scanner> {
  const engine = options.engine instanceof Engine ? options.engine : await loadEngine(options.engine);
  const rules = options.rules;
  const { matcher, owner } = compileRules(engine, rules, options.precompiled);
  const firstPattern = new Int32Array(rules.length);
  for (let i = owner.length - 1; i >= 0; i--) firstPattern[owner[i]] = i;
  const limits = options.decodeLimits ?? DEFAULT_DECODE_LIMITS;
  const now = options.now ?? (() => performance.now());
  const l2 = options.l2 ?? null;

  function l1(text: string, explain: boolean): { detections: Detection[]; matches: Explanation[]; normalized: string; partial: Set<string>; layers: Layer[] } {
    const { layers, normalized, partial } = buildLayers(text, { decode: limits });
    const hit = new Map<number, Detection>();
    const matches: Explanation[] = [];
    for (const layer of layers) {
      // spans (a Pike VM run per matching pattern) only when explaining
      for (const m of explain ? matcher.scan(layer.text) : matcher.scanIds(layer.text).map(idOnly)) {
        const ri = owner[m.id];
        if (hit.has(ri)) continue;
        const r = rules[ri];
        const d: Detection = {
          rule_id: r.rule_id,
          family: r.family,
          sub_family: r.sub_family,
          severity: r.severity,
          confidence: r.confidence,
          message: r.name,
          layer: 'L1',
        };
        if (layer.via) d.via = layer.via;
        hit.set(ri, d);
        if (explain) {
          matches.push({
            rule_id: r.rule_id,
            pattern_index: m.id - firstPattern[ri],
            text_layer: layer.name,
            span: [m.start, m.end],
            matched: layer.text.slice(m.start, m.end),
          });
        }
      }
    }
    const detections = [...hit.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    return { detections, matches, normalized, partial, layers };
  }

  /**
   * L2 over the normalised text and over every layer that undid a disguise
   * or decoded a payload (an attack in base64 or rot13 reads as plain text
   * there), most suspicious first; the extra layers share a byte budget of
   * L2_EXTRA_BUDGET plus twice the text (L1 has read all of them in full).
   */
  async function l2Detections(classifier: L2Classifier, normalized: string, layers: Layer[]): Promise<Detection[]> {
    let best = await classifier.classify(normalized);
    let budget = L2_EXTRA_BUDGET + 2 * normalized.length;
    const seen = new Set<string>([normalized]);
    for (const layer of layers) {
      if (layer.name === 'raw' || layer.name === 'normalized' || seen.has(layer.text) || layer.text.length > budget) continue;
      seen.add(layer.text);
      budget -= layer.text.length;
      const d = await classifier.classify(layer.text);
      if (d.length && (!best.length || d[0].confidence > best[0].confidence)) best = layer.via ? d.map((x) => ({ ...x, via: layer.via })) : d;
    }
    return best;
  }

  function verdict(detections: Detection[], t0: number, l1ms: number, l2ms: number, partial: Set<string>): ScanResult {
    let sev: Severity | 'none' = 'none';
    for (const d of detections) if (sev === 'none' || severityRank(d.severity) > severityRank(sev)) sev = d.severity;
    const res: ScanResult = { safe: detections.length === 0, severity: sev, detections, timings: { total_ms: now() - t0, l1_ms: l1ms, l2_ms: l2ms } };
    if (partial.size) res.partial = [...partial].sort() as PartialReason[];
    return res;
  }

  const scanner: Scanner = {
    rules,
    l2Enabled: l2 !== null,
    scanL1(text, opts = {}) {
      const t0 = now();
      const r = l1(text, !!opts.explain);
      const res = verdict(r.detections, t0, now() - t0, 0, r.partial);
      if (opts.explain) res.explain = { normalized: r.normalized, matches: r.matches };
      return res;
    },
    async scan(text, opts = {}) {
      const t0 = now();
      const r = l1(text, !!opts.explain);
      const t1 = now();
      let l2ms = 0;
      let detections = r.detections;
      if (l2 && opts.l2 !== false) {
        const extra = await l2Detections(l2, r.normalized, r.layers);
        l2ms = now() - t1;
        if (extra.length) detections = detections.concat(extra);
      }
      const res = verdict(detections, t0, t1 - t0, l2ms, r.partial);
      if (opts.explain) res.explain = { normalized: r.normalized, matches: r.matches };
      return res;
    },
  };
  return scanner;
}
