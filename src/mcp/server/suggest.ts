/**
 * Close matches for an unknown id (Levenshtein distance), best first. Ids
 * whose length is too far off to be close are never measured, so a huge id
 * costs O(number of known ids), not O(|id|·|k|) each. `measure` is for tests.
 */
export function suggest(id: string, known: readonly string[], max = 3, measure: (a: string, b: string) => number = distance): string[] {
  const q = id.toLowerCase();
  return known
    .filter((k) => Math.abs(k.length - q.length) <= Math.max(2, Math.floor(q.length / 2))) // distance >= length gap: skip the O(|id|·|k|) work for far-off lengths
    .map((k) => ({ k, d: measure(q, k.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(q.length / 2)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map((x) => x.k);
}

/** Levenshtein distance, O(|a|·|b|). */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
