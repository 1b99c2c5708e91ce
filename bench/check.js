// raxe vs V8 agreement on the generated set (ASCII inputs only: V8's \w, \b
// and case folding differ from Python's on the rest), with disagreements
// shrunk to a minimal pattern set and input. Python itself is the oracle of
// the conformance corpus and the fuzzer; this check guards the benchmark's
// own inputs.

// ---------------------------------------------------------------------------
// ddmin-style shrinking for failure reports

export function shrinkList(list, fails, maxTests = 3000) {
  let cur = list.slice();
  let n = 2;
  let tests = 0;
  while (cur.length >= 2 && tests < maxTests) {
    const size = Math.ceil(cur.length / n);
    let reduced = false;
    for (let i = 0; i < cur.length && tests < maxTests; i += size) {
      const cand = cur.slice(0, i).concat(cur.slice(i + size));
      tests++;
      if (cand.length && fails(cand)) {
        cur = cand;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  return cur;
}


const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);

/**
 * Checks which patterns match (and their first spans) on the 1 KB prompt and
 * the corpus chunks. o: { raxe: { engine, ids, scanFull }, pats, specs,
 * v8first(s, i), re2set, chunks, corpus, PROMPT_1K, checkChunks, log }.
 * Returns { inputs, pairs, positives, idDisagreements, spanDisagreements, re2VsV8Disagreements }.
 */
export function checkAgreement(o) {
  const { raxe, pats, specs, v8first, re2set, chunks, corpus, PROMPT_1K, log } = o;
  const CFG = { checkChunks: o.checkChunks };
  const attackChunks = new Set();
  {
    let off = 0;
    const spans = chunks.map((c) => { const s = [off, off + c.length]; off += c.length; return s; });
    for (const a of corpus.attacks) spans.forEach(([s, e], i) => { if (a.offset < e && a.offset + a.length > s) attackChunks.add(i); });
  }
  let picked = chunks.map((c, i) => i).filter((i) => isAscii(chunks[i]));
  if (Number.isFinite(CFG.checkChunks)) {
    const atk = picked.filter((i) => attackChunks.has(i));
    const other = picked.filter((i) => !attackChunks.has(i)).filter((_, k) => k % 7 === 0);
    picked = atk.concat(other).slice(0, CFG.checkChunks);
  }
  const inputs = [{ name: 'prompt-1k', s: PROMPT_1K }, ...picked.map((i) => ({ name: `chunk#${i}`, s: chunks[i] }))];
  const idToPat = raxe.ids;
  let idDis = 0, spanDis = 0, re2Dis = 0, pairs = 0, positives = 0;
  const examples = [];
  for (const { name, s } of inputs) {
    let got;
    try {
      got = raxe.scanFull(s);
    } catch (e) {
      idDis++;
      examples.push({ kind: 'crash', name, s, error: String(e?.message ?? e) });
      continue;
    }
    const gotMap = new Map(got.map((m) => [idToPat[m.id], m]));
    const re2ids = re2set ? new Set(re2set.match(s)) : null;
    for (let k = 0; k < idToPat.length; k++) {
      const i = idToPat[k];
      pairs++;
      const exp = v8first(s, i);
      const g = gotMap.get(i);
      if (exp) positives++;
      if (re2ids && !!exp !== re2ids.has(i)) re2Dis++;
      if (!!exp !== !!g) {
        idDis++;
        if (examples.length < 12) examples.push({ kind: 'id', name, s, i, k, exp: exp && [exp.index, exp.index + exp[0].length], got: g && [g.start, g.end] });
      } else if (exp && (exp.index !== g.start || exp.index + exp[0].length !== g.end)) {
        spanDis++;
        if (examples.length < 12) examples.push({ kind: 'span', name, s, i, k, exp: [exp.index, exp.index + exp[0].length], got: [g.start, g.end] });
      }
    }
  }
  const results = { checks: {} };
  results.checks = { inputs: inputs.length, pairs, positives, idDisagreements: idDis, spanDisagreements: spanDis, re2VsV8Disagreements: re2set ? re2Dis : null };
  log(`\n[check] raxe vs V8 on ${inputs.length} ASCII inputs (prompt + ${inputs.length - 1} corpus chunks), ${pats.length} patterns: ${positives} expected matches`);
  log(`[check] which-pattern disagreements: ${idDis}   span disagreements: ${spanDis}${re2set ? `   (re2js vs V8 which-pattern disagreements: ${re2Dis})` : ''}`);
  if (examples.length) {
    log('[check] examples (shrunk to a minimal input; single-pattern recompile shows whether it is a set interaction):');
    const shown = new Set();
    for (const ex of examples) {
      if (ex.kind === 'crash') { log(`  CRASH on ${ex.name}: ${ex.error}`); continue; }
      if (shown.has(ex.i) || shown.size >= 5) continue;
      shown.add(ex.i);
      const p = pats[ex.i];
      const v8span = (s) => { const m = v8first(s, ex.i); return m ? `${m.index}-${m.index + m[0].length}` : 'none'; };
      let single = null;
      try { single = raxe.engine.compile([specs[ex.i]]); } catch (e) { /* reported below */ }
      const rxSpan = (mt, s, id = 0) => { const m = mt.scan(s).find((x) => x.id === id); return m ? `${m.start}-${m.end}` : 'none'; };
      const failsSingle = single && ((s) => { try { return rxSpan(single, s) !== v8span(s); } catch { return true; } });
      let input = ex.s;
      let where = 'set only';
      if (failsSingle && failsSingle(input)) {
        where = 'single pattern';
        input = shrinkList([...input], (arr) => failsSingle(arr.join(''))).join('');
      }
      log(`  pattern #${ex.i} flags=${p.flags} ${JSON.stringify(p.source)}`);
      log(`    on ${ex.name}: V8 ${ex.exp ? ex.exp.join('-') : 'none'} vs raxe ${ex.got ? ex.got.join('-') : 'none'}  [reproduces with: ${where}]`);
      if (where === 'single pattern') {
        log(`    minimal input ${JSON.stringify(input)}: V8 ${v8span(input)} vs raxe ${rxSpan(single, input)}`);
      } else {
        // shrink the pattern set instead, keeping the offending pattern
        const others = raxe.ids.filter((x) => x !== ex.i);
        const failsWith = (subset) => {
          try {
            const ids = [ex.i, ...subset];
            const mt = raxe.engine.compile(ids.map((x) => specs[x]));
            return rxSpan(mt, ex.s, 0) !== v8span(ex.s);
          } catch { return true; }
        };
        let shown = false;
        if (failsWith(others)) {
          const min = shrinkList(others, failsWith, 400);
          log(`    needs ${min.length} other pattern(s) in the set: ${min.slice(0, 5).map((x) => `#${x} ${JSON.stringify(pats[x].source)}`).join(', ')}${min.length > 5 ? ', ...' : ''}`);
          if (min.length <= 20) {
            let mt = null;
            try { mt = raxe.engine.compile([ex.i, ...min].map((x) => specs[x])); } catch { /* ignore */ }
            const failsText = (s) => { try { return rxSpan(mt, s, 0) !== v8span(s); } catch { return true; } };
            if (mt && failsText(ex.s)) {
              const small = shrinkList([...ex.s], (arr) => failsText(arr.join(''))).join('');
              log(`    minimal input (with those patterns) ${JSON.stringify(small)}: V8 ${v8span(small)} vs raxe ${rxSpan(mt, small, 0)}`);
              shown = true;
            }
          }
        }
        if (!shown) log(`    input ${JSON.stringify(ex.s.length > 300 ? ex.s.slice(Math.max(0, (ex.exp?.[0] ?? ex.got?.[0] ?? 0) - 100), (ex.exp?.[1] ?? ex.got?.[1] ?? 0) + 100) : ex.s)}`);
      }
    }
  }
  
  return results.checks;
}
