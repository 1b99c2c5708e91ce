/**
 * The L2 model families compared by leave-one-source-out, with the settings
 * each is trained with. Each gives a window scorer for evaluation.
 */
import { scoreWindow, trainLogistic } from './logistic.js';
import type { Fit } from './loso.js';

export type ModelKind = 'linear';

export interface KindConfig {
  dim: number;
  epochs: number;
  learningRate: number;
  l2: number;
  benignWeight: number;
  seed: number;
}

export const DEFAULTS: Record<ModelKind, KindConfig> = {
  linear: { dim: 1 << 18, epochs: 6, learningRate: 0.2, l2: 1e-6, benignWeight: 2, seed: 7 },
};

export function fitter(kind: ModelKind, cfg: KindConfig = DEFAULTS[kind]): Fit {
  switch (kind) {
    case 'linear':
      return (set, picked, weights) => {
        const m = trainLogistic(set, picked, weights, cfg);
        return (w) => scoreWindow(m, set, w);
      };
  }
}
