/**
 * The MLP model family: hashed n-gram features -> an embedding bag (the
 * features' rows of E, weighted by their values, summed) -> ReLU hidden
 * layer -> a threat logit (sigmoid) and a family head (softmax over the
 * threat families, trained on threat samples only; it names the detection).
 *
 *   h = relu(sum_i v_i E[idx_i] + b1)            E: [dim, H]
 *   p(threat) = sigmoid(w2 . h + b2)
 *   p(family) = softmax(Wf h + bf)               Wf: [F, H]
 *
 * Trained with Adagrad on the weighted logistic loss (plus 0.3 x the family
 * cross-entropy) — row-wise for E (one accumulator per embedding row, the
 * usual choice for large sparse embeddings: one square root per feature, not
 * per weight) — an L2 penalty on the rows of E a sample touches, and input
 * dropout (each feature dropped with probability `dropout` per step), which
 * keeps the model from leaning on any single n-gram. Deterministic (seeded).
 */
import type { SampleSet } from './samples.js';
import { prng, shuffleInPlace } from './prng.js';

export interface MlpOptions {
  dim: number;
  hidden: number;
  epochs: number;
  learningRate: number;
  l2: number;
  dropout: number;
  seed: number;
}

export interface Mlp {
  dim: number;
  hidden: number;
  /** [dim, hidden] row-major */
  E: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  /** [families, hidden] row-major */
  Wf: Float32Array;
  bf: Float32Array;
  families: number;
}

const FAMILY_WEIGHT = 0.3;

export function initMlp(dim: number, hidden: number, families: number, seed: number): Mlp {
  const rand = prng(seed);
  const E = new Float32Array(dim * hidden);
  const s = 0.1;
  for (let i = 0; i < E.length; i++) E[i] = (rand() * 2 - 1) * s;
  const w2 = new Float32Array(hidden);
  for (let k = 0; k < hidden; k++) w2[k] = (rand() * 2 - 1) / Math.sqrt(hidden);
  const Wf = new Float32Array(families * hidden);
  for (let i = 0; i < Wf.length; i++) Wf[i] = (rand() * 2 - 1) / Math.sqrt(hidden);
  const b1 = new Float32Array(hidden).fill(0.01);
  return { dim, hidden, E, b1, w2, b2: new Float32Array(1), Wf, bf: new Float32Array(families), families };
}

/** Hidden activations of window `win` into `h`. */
function hiddenOf(m: Mlp, set: SampleSet, win: number, h: Float32Array): void {
  const H = m.hidden;
  h.set(m.b1);
  const a = set.off[win];
  const e = set.off[win + 1];
  for (let q = a; q < e; q++) {
    const v = set.val[q];
    const row = set.idx[q] * H;
    for (let k = 0; k < H; k++) h[k] += v * m.E[row + k];
  }
  for (let k = 0; k < H; k++) if (h[k] < 0) h[k] = 0;
}

/** Threat probability of one window. */
export function mlpScore(m: Mlp, set: SampleSet, win: number, scratch = new Float32Array(m.hidden)): number {
  hiddenOf(m, set, win, scratch);
  let z = m.b2[0];
  for (let k = 0; k < m.hidden; k++) z += m.w2[k] * scratch[k];
  return 1 / (1 + Math.exp(-z));
}

/**
 * Trains on the picked samples (`weights[i]` is the weight of picked[i]);
 * the family head learns `set.fam` of the threat samples.
 */
export function trainMlp(set: SampleSet, picked: Int32Array, weights: Float32Array, o: MlpOptions): Mlp {
  const family = set.fam;
  const families = set.families.length;
  const m = initMlp(o.dim, o.hidden, families, o.seed);
  const H = o.hidden;
  const F = families;
  const gE = new Float32Array(o.dim); // row-wise accumulators
  const gb1 = new Float32Array(H);
  const gw2 = new Float32Array(H);
  const gb2 = new Float32Array(1);
  const gWf = new Float32Array(m.Wf.length);
  const gbf = new Float32Array(F);
  const h = new Float32Array(H);
  const pre = new Float32Array(H);
  const gh = new Float32Array(H);
  const pf = new Float64Array(F);
  let keep = new Uint8Array(4096);
  const rand = prng(o.seed ^ 0x5bd1e995);
  const order = Int32Array.from(picked.keys());
  const eps = 1e-8;
  const lr = o.learningRate;
  const upd = (p: Float32Array, g2: Float32Array, i: number, g: number) => {
    g2[i] += g * g;
    p[i] -= (lr * g) / Math.sqrt(g2[i] + eps);
  };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (const k of order) {
      const s = picked[k];
      const win = set.sample[s];
      const a = set.off[win];
      const n = set.off[win + 1] - a;
      if (n > keep.length) keep = new Uint8Array(n * 2);
      const scale = o.dropout > 0 ? 1 / (1 - o.dropout) : 1;
      for (let q = 0; q < n; q++) keep[q] = o.dropout > 0 && rand() < o.dropout ? 0 : 1;
      // forward (dropout rescales the kept features)
      h.set(m.b1);
      for (let q = 0; q < n; q++) {
        if (!keep[q]) continue;
        const v = set.val[a + q] * scale;
        const row = set.idx[a + q] * H;
        for (let c = 0; c < H; c++) h[c] += v * m.E[row + c];
      }
      pre.set(h);
      for (let c = 0; c < H; c++) if (h[c] < 0) h[c] = 0;
      let z = m.b2[0];
      for (let c = 0; c < H; c++) z += m.w2[c] * h[c];
      const p = 1 / (1 + Math.exp(-z));
      const w = weights[k];
      const g = w * (p - set.y[s]);
      gh.fill(0);
      for (let c = 0; c < H; c++) gh[c] = g * m.w2[c];
      for (let c = 0; c < H; c++) upd(m.w2, gw2, c, g * h[c]);
      upd(m.b2, gb2, 0, g);
      // family head on threat samples
      const fam = family[s];
      if (fam >= 0 && F > 1) {
        let mx = -Infinity;
        for (let f = 0; f < F; f++) {
          let zz = m.bf[f];
          for (let c = 0; c < H; c++) zz += m.Wf[f * H + c] * h[c];
          pf[f] = zz;
          if (zz > mx) mx = zz;
        }
        let sum = 0;
        for (let f = 0; f < F; f++) sum += (pf[f] = Math.exp(pf[f] - mx));
        for (let f = 0; f < F; f++) {
          const gf = FAMILY_WEIGHT * w * (pf[f] / sum - (f === fam ? 1 : 0));
          for (let c = 0; c < H; c++) {
            gh[c] += gf * m.Wf[f * H + c];
            upd(m.Wf, gWf, f * H + c, gf * h[c]);
          }
          upd(m.bf, gbf, f, gf);
        }
      }
      for (let c = 0; c < H; c++) if (pre[c] <= 0) gh[c] = 0;
      for (let c = 0; c < H; c++) upd(m.b1, gb1, c, gh[c]);
      for (let q = 0; q < n; q++) {
        if (!keep[q]) continue;
        const v = set.val[a + q] * scale;
        const r = set.idx[a + q];
        const row = r * H;
        let sq = 0;
        for (let c = 0; c < H; c++) {
          const gc = gh[c] * v + o.l2 * m.E[row + c];
          sq += gc * gc;
        }
        gE[r] += sq / H;
        const step = lr / Math.sqrt(gE[r] + eps);
        for (let c = 0; c < H; c++) m.E[row + c] -= step * (gh[c] * v + o.l2 * m.E[row + c]);
      }
    }
  }
  return m;
}

/** Family probabilities of one window (for naming a detection). */
export function mlpFamily(m: Mlp, set: SampleSet, win: number): Float64Array {
  const h = new Float32Array(m.hidden);
  hiddenOf(m, set, win, h);
  const out = new Float64Array(m.families);
  let mx = -Infinity;
  for (let f = 0; f < m.families; f++) {
    let z = m.bf[f];
    for (let c = 0; c < m.hidden; c++) z += m.Wf[f * m.hidden + c] * h[c];
    out[f] = z;
    if (z > mx) mx = z;
  }
  let sum = 0;
  for (let f = 0; f < m.families; f++) sum += (out[f] = Math.exp(out[f] - mx));
  for (let f = 0; f < m.families; f++) out[f] /= sum;
  return out;
}
