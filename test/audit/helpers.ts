// Shared by the audit tests: paths, fixture loading, the SEC scanner the CLI
// uses, and `raxe` as a subprocess (every run is checked for stack traces).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadScanner } from '../../src/cli/load-scanner.js';
import { parseClientConfig, type ConfigFile, type Finding, type SecretScan } from '../../src/audit/index.js';
import type { Case } from './cases.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'raxe.js');
/** Relative to ROOT, the cwd of CLI runs. */
export const FIX = 'test/fixtures/audit';

export function fixture(name: string): ConfigFile {
  const path = `${FIX}/${name}`;
  return parseClientConfig(readFileSync(join(ROOT, path), 'utf8'), path);
}

let secrets: Promise<SecretScan> | undefined;
/** The built-in pack's SEC rules, as the CLI builds them (L1 only). */
export function secretScan(): Promise<SecretScan> {
  secrets ??= loadScanner([], { l2: false }).then(({ scanner }) => (t: string) => scanner.scanL1(t).detections.filter((d) => d.family === 'SEC'));
  return secrets;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs raxe; rejects when either stream holds a stack trace. */
export function raxe(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        expect(stderr, `stack trace in stderr of raxe ${args.join(' ')}`).not.toMatch(/^\s+at .+[(:]\d+/m);
        expect(stdout, `stack trace in stdout of raxe ${args.join(' ')}`).not.toMatch(/^\s+at .+[(:]\d+/m);
        resolve({ code, stdout, stderr });
      } catch (e) {
        reject(e);
      }
    });
  });
}

const temps: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'raxe-audit-'));
  temps.push(d);
  return d;
}
export function removeTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

const NOT_PROTECTED = /not protected by RAXE gateway/;
const key = (f: Finding) => `${f.severity} ${f.check} ${f.server}`;

/** Findings must be exactly the case's: no more, no fewer. */
export function expectCase(findings: Finding[], c: Case): void {
  const rest = findings.filter((f) => !NOT_PROTECTED.test(f.issue)).map(key).sort();
  expect(rest).toEqual([...c.findings].sort());
  expect(findings.filter((f) => NOT_PROTECTED.test(f.issue)).map((f) => f.server).sort()).toEqual([...c.noGateway].sort());
  for (const s of c.issues ?? []) expect(findings.some((f) => f.issue.includes(s)), `an issue containing ${JSON.stringify(s)}`).toBe(true);
}
