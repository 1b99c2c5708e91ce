/**
 * How an MCP host should start this raxe, for the entries `raxe mcp audit
 * --fix` and `raxe mcp generate-config` write: the absolute path of the
 * runtime running raxe and of raxe's own bin script. Such an entry works
 * whatever PATH the host gives its servers (Claude Desktop on macOS starts
 * them with a minimal one, where neither `raxe` nor `#!/usr/bin/env node`
 * resolves), and it never asks a registry for a package called "raxe",
 * which someone else could publish.
 */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../cli/fs-packs.js';
import type { Launcher } from '../fix.js';

/** This raxe: runtime binary + bin/raxe.js (Deno needs `run -A`). */
export function raxeLauncher(): Launcher {
  const bin = join(PACKAGE_ROOT, 'bin', 'raxe.js');
  const deno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
  return { command: process.execPath, args: deno ? ['run', '-A', bin] : [bin] };
}

/** A host config entry ({command, args}) running `raxe ARGS` with this raxe. */
export function hostEntry(args: string[]): { command: string; args: string[] } {
  const l = raxeLauncher();
  return { command: l.command, args: [...l.args, ...args] };
}
