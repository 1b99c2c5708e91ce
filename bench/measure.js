// Timing helpers for the benchmarks (wall clock, best-of / percentiles; the
// exit code of a benchmark never depends on them).

import { spawnSync } from 'node:child_process';

export const MB = 1 << 20;
export const now = () => process.hrtime.bigint();
export const ms = (t0, t1 = now()) => Number(t1 - t0) / 1e6;
export const bytes = (s) => Buffer.byteLength(s, 'utf8');
let SINK = 0;
export const sink = () => SINK;

/** Per-call latency (µs) of scan(input): p50 and p99 after a warm-up. */
export function latency(scan, input, { iters = 2000, warm = 200, budgetMs = 1000, maxMs = Infinity } = {}) {
  const t0 = now();
  for (let i = 0; i < warm && ms(t0) < maxMs; i++) SINK += scan(input);
  const samples = [];
  const tStart = now();
  while ((samples.length < iters || (ms(tStart) < budgetMs && samples.length < 100000)) && (samples.length < 5 || ms(tStart) < maxMs)) {
    const t = now();
    SINK += scan(input);
    samples.push(Number(now() - t) / 1e3);
  }
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  return { p50: q(0.5), p99: q(0.99), n: samples.length };
}

/**
 * Time of one scan of a big input: the best of `reps` runs after `warm` runs
 * (a first, cold run is reported separately). Stops repeating past maxMs.
 */
export function bigScan(scan, input, { warm = 1, reps = 3, maxMs = 20000 } = {}) {
  let t = now();
  SINK += scan(input);
  const cold = ms(t);
  let best = cold;
  const tAll = now();
  for (let i = 0; i < warm + reps && ms(tAll) < maxMs; i++) {
    t = now();
    SINK += scan(input);
    const e = ms(t);
    if (i >= warm || warm + reps === 1) best = Math.min(best, e);
    else best = e;
  }
  return { cold, best, mbps: bytes(input) / MB / (best / 1000) };
}

/** Throughput (MB/s) over many small inputs, repeated until minMs elapsed. */
export function throughput(scan, inputs, { minMs = 1000, maxPasses = 50 } = {}) {
  const total = inputs.reduce((a, s) => a + bytes(s), 0);
  let passes = 0;
  const t0 = now();
  let el = 0;
  do {
    for (const s of inputs) SINK += scan(s);
    passes++;
    el = ms(t0);
  } while (el < minMs && passes < maxPasses);
  return { mbps: (total * passes) / MB / (el / 1000), passes };
}

/**
 * Cold start: `runs` alternating runs of each command (node -e 0 first), the
 * median wall time of each, in ms.
 */
export function coldStart(commands, runs) {
  const times = commands.map(() => []);
  for (let r = 0; r < runs; r++) {
    commands.forEach((cmd, i) => {
      const t = now();
      const res = spawnSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });
      if (res.error) throw res.error;
      times[i].push(ms(t));
    });
  }
  return times.map((ts) => {
    ts.sort((a, b) => a - b);
    return ts[ts.length >> 1];
  });
}
