/** Node adapter: reads the config files named on the command line, or finds them in the usual places. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { clientFromPath, ConfigFileError, parseClientConfig, type ConfigFile } from '../config.js';
import { configLocations, type Place } from '../discover.js';

const MAX_BYTES = 5 * 1024 * 1024;

function readText(path: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ConfigFileError('E_READ', `${path} is a directory: give the config file (e.g. ${path.replace(/[\\/]$/, '')}/mcp.json)`);
    size = st.size;
  } catch (e) {
    if (e instanceof ConfigFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigFileError('E_READ', `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message} (${code ?? 'error'})`);
  }
  if (size > MAX_BYTES) throw new ConfigFileError('E_READ', `${path} is ${size} bytes, larger than an MCP config can be (${MAX_BYTES})`);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigFileError('E_READ', `cannot read ${path}: ${code === 'EACCES' ? 'permission denied' : (e as Error).message} (${code ?? 'error'})`);
  }
}

/** Reads and parses each file; every problem is collected (file:line:column). */
export function readConfigs(paths: string[], stdinText?: () => string): { files: ConfigFile[]; errors: string[] } {
  const files: ConfigFile[] = [];
  const errors: string[] = [];
  for (const p of paths) {
    try {
      const text = p === '<stdin>' && stdinText ? stdinText() : readText(p);
      files.push(parseClientConfig(text, p));
    } catch (e) {
      if (e instanceof ConfigFileError) errors.push(e.message);
      else throw e;
    }
  }
  return { files, errors };
}

/**
 * Looks in the usual places for this OS. A VS Code settings.json counts only
 * when it has an "mcp" section.
 */
export function discoverConfigs(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): { files: ConfigFile[]; errors: string[]; searched: Array<Place & { found: boolean }> } {
  const places = configLocations({ platform: process.platform, home: homedir(), cwd, env });
  const files: ConfigFile[] = [];
  const errors: string[] = [];
  const searched: Array<Place & { found: boolean }> = [];
  for (const place of places) {
    let found = false;
    if (existsSync(place.path)) {
      try {
        const text = readText(place.path);
        const settings = /[\\/]settings\.json$/i.test(place.path);
        if (!settings || /"mcp"\s*:/.test(text)) {
          const f = parseClientConfig(text, place.path, clientFromPath(place.path) ?? place.client);
          if (!settings || f.sections.length > 0) {
            files.push(f);
            found = true;
          }
        }
      } catch (e) {
        if (!(e instanceof ConfigFileError)) throw e;
        errors.push(e.message);
        found = true;
      }
    }
    if (found || !/[\\/]settings\.json$/i.test(place.path)) searched.push({ ...place, found });
  }
  return { files, errors, searched };
}
