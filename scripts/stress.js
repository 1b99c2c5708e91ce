// `npm run test:stress` (not in CI): runs `npm test` several times while
// busy-loop processes occupy the cores, the way a contributor's laptop is
// busy with other work, and reports every failure by test name. A test that
// passes idle and fails here waits on time instead of on a condition.
//
//   npm run test:stress                   3 runs, 2 busy loops
//   npm run test:stress -- --runs 5 --busy 4
//
// Each run's full output goes to test-artifacts/stress/run-N.log; vitest's
// JSON report (RAXE_TEST_REPORT, see vitest.config.ts) gives the names of
// the failed tests; the `rules test` step's failures are its FAIL lines.
// Exit code: 0 when every run passed, 1 otherwise.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cac } from 'cac';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'test-artifacts', 'stress');

const cli = cac('test:stress');
cli.option('--runs <n>', 'How many times to run npm test', { default: 3 });
cli.option('--busy <n>', 'Busy-loop processes to start (one per core of this 2-core machine)', { default: 2 });
cli.help();
const { options } = cli.parse();
if (options.help) process.exit(0);
const runs = Number(options.runs);
const busyCount = Number(options.busy);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(busyCount) || busyCount < 0) {
  console.error('test:stress: --runs must be a whole number >= 1 and --busy >= 0');
  process.exit(2);
}

/** Processes that spin forever on one core each, until stopped. */
function startBusy(n) {
  const procs = [];
  for (let i = 0; i < n; i++) procs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return procs;
}

function stopBusy(procs) {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

/** Failed test names from vitest's JSON report (file > describe > test), with the first line of each error. */
function failedTests(reportPath) {
  if (!existsSync(reportPath)) return null;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const out = [];
  for (const file of report.testResults ?? []) {
    const rel = file.name.startsWith(ROOT) ? file.name.slice(ROOT.length) : file.name;
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) out.push(`${rel} > ${t.fullName}: ${String(t.failureMessages?.[0] ?? '').split('\n')[0]}`);
    // a file that failed outside any test (import error, hook timeout)
    if (failed.length === 0 && file.status === 'failed') out.push(`${rel}: ${String(file.message ?? 'failed').split('\n')[0]}`);
  }
  return out;
}

/** One `npm test`, output to `log`; resolves with its exit code, time and failures. */
function runOnce(i) {
  const log = join(OUT, `run-${i}.log`);
  const report = join(OUT, `run-${i}.json`);
  rmSync(report, { force: true });
  const file = createWriteStream(log);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn('npm', ['test'], { cwd: ROOT, env: { ...process.env, RAXE_TEST_REPORT: report }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (c) => {
      file.write(c);
      tail = (tail + c.toString('utf8')).slice(-200_000);
    };
    p.stdout.on('data', keep);
    p.stderr.on('data', keep);
    p.on('close', (code, signal) => {
      file.end();
      const failures = failedTests(report) ?? [];
      // the `rules test` step after vitest: its failing examples
      for (const m of tail.matchAll(/^FAIL (\S+ should_(?:not_)?match: .*)$/gm)) failures.push(`rules test > ${m[1]}`);
      if (code !== 0 && failures.length === 0) failures.push(`npm test exited with ${signal ?? code} (no failed test named; see ${log})`);
      resolve({ code: code ?? 1, seconds: (Date.now() - t0) / 1000, failures, log });
    });
  });
}

mkdirSync(OUT, { recursive: true });
const busy = startBusy(busyCount);
const stop = () => {
  stopBusy(busy);
  process.exit(130);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.once('exit', () => stopBusy(busy));

console.log(`test:stress: ${runs} run(s) of npm test with ${busyCount} busy-loop process(es) on ${busyCount === 1 ? 'a core' : 'the cores'}; logs in ${OUT}`);
const results = [];
for (let i = 1; i <= runs; i++) {
  console.log(`run ${i}/${runs} ...`);
  const r = await runOnce(i);
  results.push(r);
  console.log(`run ${i}/${runs}: ${r.code === 0 ? 'passed' : 'FAILED'} in ${r.seconds.toFixed(0)} s${r.failures.length ? '' : ''}`);
  for (const f of r.failures) console.log(`  FAIL ${f}`);
}
stopBusy(busy);
const failed = results.filter((r) => r.code !== 0).length;
console.log(`test:stress: ${runs - failed} of ${runs} run(s) passed${failed ? ` (logs: ${results.filter((r) => r.code !== 0).map((r) => r.log).join(', ')})` : ''}`);
process.exitCode = failed ? 1 : 0;
