/**
 * `raxe mcp audit [CONFIG_FILE...]`: options in, report out. Exit code 0
 * when nothing reaches --fail-on, 1 when something does, 2 for a config
 * that cannot be read or parsed (or a bad option).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, many, STDIN } from '../../cli/errors.js';
import { loadScanner } from '../../cli/load-scanner.js';
import { PACKAGE_ROOT } from '../../cli/fs-packs.js';
import { audit, fails, viewsOf } from '../audit.js';
import { fixConfig } from '../fix.js';
import { raxeLauncher } from './launcher.js';
import { probeTargets, scanListing } from '../tools.js';
import { AUDIT_SEVERITIES, type AuditSeverity } from '../schema.js';
import type { ToolInventory } from '../checks/index.js';
import { buildReport, renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { renderSarif } from '../report/sarif.js';
import { discoverConfigs, readConfigs } from './files.js';
import { listAll } from './probe.js';

function version(): string {
  try {
    return String(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version);
  } catch {
    return '0.0.0';
  }
}

function options(o: Record<string, unknown>) {
  const format = o.json ? 'json' : String(o.format ?? 'table').toLowerCase();
  if (!['table', 'json', 'sarif'].includes(format)) throw new CliError(`--format must be table, json or sarif (got "${o.format}")`, 2);
  const failOn = String(o.failOn ?? 'HIGH').toUpperCase();
  if (![...AUDIT_SEVERITIES, 'NONE'].includes(failOn)) throw new CliError(`--fail-on must be one of critical, high, medium, low, info or none (got "${o.failOn}")`, 2);
  const timeout = o.timeout === undefined ? 15 : Number(o.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600) throw new CliError(`--timeout must be a number of seconds from 1 to 600 (got "${o.timeout}")`, 2);
  if (o.write && !o.fix) throw new CliError('--write goes with --fix (raxe mcp audit --fix --write FILE)', 2);
  return { format: format as 'table' | 'json' | 'sarif', failOn: failOn as AuditSeverity | 'NONE', timeoutMs: timeout * 1000 };
}

export async function runAudit(paths: string[], o: Record<string, unknown>): Promise<void> {
  const opt = options(o);
  const shown = paths.map((p) => (p === STDIN ? '<stdin>' : p));
  if (o.write && shown.includes('<stdin>')) throw new CliError('--write cannot write back to standard input', 2);
  const read = shown.length ? { ...readConfigs(shown, () => readFileSync(0, 'utf8')), searched: undefined } : discoverConfigs();
  if (read.errors.length) throw new CliError(read.errors.join('\n'), 2);
  const { files } = read;

  if (o.fix) {
    for (const f of files) {
      const r = fixConfig(f, raxeLauncher());
      for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
      if (o.write) {
        if (r.changed.length === 0) {
          process.stderr.write(`${f.path}: nothing to change\n`);
          continue;
        }
        copyFileSync(f.path, `${f.path}.bak`);
        writeFileSync(f.path, r.text);
        process.stderr.write(`wrote ${f.path}: ${r.changed.length} server${r.changed.length === 1 ? '' : 's'} behind raxe mcp gateway (backup: ${f.path}.bak)\n`);
      } else {
        if (files.length > 1) process.stdout.write(`==> ${f.path} <==\n`);
        process.stdout.write(r.text.endsWith('\n') ? r.text : r.text + '\n');
      }
    }
    if (files.length === 0) process.stderr.write('no MCP client config found: nothing to fix\n');
    return;
  }

  const scanTools = !!o.scanTools;
  const { scanner } = await loadScanner(many(o.rules), { l2: scanTools && o.l2 !== false });
  const secrets = (text: string) => scanner.scanL1(text, { context: 'config' }).detections.filter((d) => d.family === 'SEC');
  const views = viewsOf(files);
  let inventories: ToolInventory[] | undefined;
  if (scanTools) {
    const { targets, skipped } = probeTargets(views, (v) => ({
      workspaceFolder: /[\\/]\.(vscode|cursor)[\\/]mcp\.json$/i.test(v.entry.file) ? dirname(dirname(v.entry.file)) : undefined,
      userHome: homedir(),
      env: process.env,
    }));
    const listed = await listAll(targets, opt.timeoutMs);
    inventories = [...skipped];
    for (const t of targets) {
      const r = listed.get(t.view);
      const items = r ? await scanListing(r.listing, async (text) => (await scanner.scan(text, { context: 'description' })).detections) : [];
      inventories.push({ view: t.view, status: r?.error ? 'failed' : 'scanned', ...(r?.error ? { reason: r.error } : {}), items });
    }
    inventories.sort((a, b) => a.view - b.view);
  }
  const result = audit(files, { secrets, inventories, views });
  const failed = fails(result.findings, opt.failOn);
  const report = buildReport({ version: version(), files, result, failOn: opt.failOn, failed, searched: read.searched, inventories });
  const width = process.stdout.isTTY ? Math.max(80, Math.min(process.stdout.columns ?? 98, 160)) : 98;
  process.stdout.write(opt.format === 'json' ? renderJson(report) : opt.format === 'sarif' ? renderSarif(report, { cwd: process.cwd() }) : renderTable(report, { width }));
  process.exitCode = failed ? 1 : 0;
}
