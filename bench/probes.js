// Attacker probes: five small sets of attacks (PI, DE, JB, TP injected in
// tool output, TOOL poisoned descriptions) and look-alike benign texts,
// written by us from public attack techniques (bench/probes/*.jsonl; no
// dataset rows). Probes 1-4 were each scanned before rules were written from
// their misses, so their figures here are "seen"; probe 5 was never used to
// write rules. Prints, per probe, attacks caught at HIGH or above (what the
// gateway acts on by default) by L1 alone and by L1+L2, and at any severity
// (what `raxe scan` reports), and the benign texts flagged.
//   node bench/probes.js
import { readFileSync, readdirSync } from 'node:fs';
import { createScanner } from '../dist/raxe.node.js';

const dir = new URL('probes/', import.meta.url);
const read = (f) => readFileSync(new URL(f, dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const full = await createScanner();
const l1 = await createScanner({ l2: false });
const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const worst = (r) => Math.max(-1, ...r.detections.map((d) => RANK[d.severity]));
const pct = (n, d) => `${n}/${d} (${((100 * n) / d).toFixed(0)}%)`;

const probes = readdirSync(dir).filter((f) => f.startsWith('attacks-')).map((f) => f.slice(8, -6)).sort();
console.log('probe   attacks: L1 high+   L1+L2 high+   L1+L2 any   | benign: L1+L2 high+   any   | L1+L2 high+ by family');
const tot = { n: 0, l1: 0, hi: 0, any: 0, b: 0, bhi: 0, bany: 0 };
for (const p of probes) {
  const atk = read(`attacks-${p}.jsonl`);
  const ben = read(`benign-${p}.jsonl`);
  let cl1 = 0, hi = 0, any = 0, bhi = 0, bany = 0;
  const fam = {};
  for (const a of atk) {
    const [r, r1] = [await full.scan(a.text), await l1.scan(a.text)];
    const h = worst(r) >= RANK.high;
    cl1 += worst(r1) >= RANK.high ? 1 : 0;
    hi += h ? 1 : 0;
    any += r.detections.some((d) => d.severity !== 'info') ? 1 : 0;
    fam[a.fam] ??= [0, 0];
    fam[a.fam][0] += h ? 1 : 0;
    fam[a.fam][1]++;
  }
  for (const b of ben) {
    const r = await full.scan(b.text);
    bhi += worst(r) >= RANK.high ? 1 : 0;
    bany += r.detections.some((d) => d.severity !== 'info') ? 1 : 0;
  }
  Object.assign(tot, { n: tot.n + atk.length, l1: tot.l1 + cl1, hi: tot.hi + hi, any: tot.any + any, b: tot.b + ben.length, bhi: tot.bhi + bhi, bany: tot.bany + bany });
  const fams = Object.entries(fam).map(([k, [c, n]]) => `${k} ${c}/${n}`).join(', ');
  console.log(`${p.padEnd(7)} ${pct(cl1, atk.length).padStart(18)} ${pct(hi, atk.length).padStart(13)} ${pct(any, atk.length).padStart(11)}   | ${pct(bhi, ben.length).padStart(19)} ${pct(bany, ben.length).padStart(11)}   | ${fams}`);
}
console.log(`all     ${pct(tot.l1, tot.n).padStart(18)} ${pct(tot.hi, tot.n).padStart(13)} ${pct(tot.any, tot.n).padStart(11)}   | ${pct(tot.bhi, tot.b).padStart(19)} ${pct(tot.bany, tot.b).padStart(11)}`);
console.log('(probes 1-4 informed the rules written after them: only probe 5 is unseen)');
