/** Node adapter: reads rule packs from disk and hands their text to the core loader. */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPack, checkDuplicates, type LoadError, type LoadedPack, type SourceFile } from '../core/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The package root: above dist/ in a bundle (dist/cli.js, dist/chunks/*.js), above src/ when run from src/cli/*.ts. */
export const PACKAGE_ROOT = existsSync(join(HERE, '..', 'package.json')) ? resolve(HERE, '..') : resolve(HERE, '..', '..');
/** The built-in rules' YAML: in a checkout; an installed package has only their precompiled copy (dist/builtin-pack.json). */
export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const WASM_PATH = join(PACKAGE_ROOT, 'build', 'raxe.wasm');

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(name) && name !== 'pack.yaml' && name !== 'pack.yml') out.push(p);
  }
}

function read(path: string, shown: string): SourceFile {
  return { path: shown, text: readFileSync(path, 'utf8') };
}

/**
 * Loads a pack folder (with pack.yaml) or a single rule file. Problems go to
 * `errors`; paths in messages are relative to the current directory.
 */
export function readPack(path: string, errors: LoadError[], builtin = false): LoadedPack {
  const show = (p: string) => relative(process.cwd(), p) || p;
  if (!existsSync(path)) {
    errors.push({ file: path, message: 'no such file or directory' });
    return { manifest: { name: path, version: '0', description: '' }, rules: [] };
  }
  if (statSync(path).isFile()) {
    return loadPack(dirname(path), { path: 'pack.yaml', text: `name: ${basename(path)}\nversion: "0"\n` }, [read(path, show(path))], errors, { builtin });
  }
  const manifestPath = existsSync(join(path, 'pack.yaml')) ? join(path, 'pack.yaml') : join(path, 'pack.yml');
  const manifest = existsSync(manifestPath) ? read(manifestPath, show(manifestPath)) : null;
  const files: string[] = [];
  walk(path, files);
  return loadPack(show(path), manifest, files.map((f) => read(f, show(f))), errors, { builtin });
}

const PRECOMPILED = join(PACKAGE_ROOT, 'dist', 'builtin-pack.json');
const PRECOMPILED_MATCHER = join(PACKAGE_ROOT, 'dist', 'builtin-pack.matcher');
let builtinMatcher: Uint8Array | undefined;

/** The built-in pack's precompiled matcher, when readBuiltinPack used the precompiled pack. */
export function builtinPrecompiled(): Uint8Array | undefined {
  return builtinMatcher;
}

/** The built-in pack: the JSON made at build time, unless a rule file changed since (in a checkout). */
export function readBuiltinPack(errors: LoadError[]): LoadedPack {
  if (existsSync(PRECOMPILED)) {
    const built = statSync(PRECOMPILED).mtimeMs;
    const files: string[] = [];
    const checkout = existsSync(BUILTIN_RULES_DIR);
    if (checkout) {
      walk(BUILTIN_RULES_DIR, files);
      files.push(join(BUILTIN_RULES_DIR, 'pack.yaml'));
    }
    if (files.every((f) => statSync(f).mtimeMs <= built)) {
      const pack = JSON.parse(readFileSync(PRECOMPILED, 'utf8')) as LoadedPack;
      if (existsSync(PRECOMPILED_MATCHER)) builtinMatcher = readFileSync(PRECOMPILED_MATCHER);
      return pack;
    }
  }
  return readPack(BUILTIN_RULES_DIR, errors, true);
}

/** The built-in pack plus user packs, with duplicate ids checked across all. */
export function readPacks(userDirs: readonly string[], opts: { builtin?: boolean } = {}): { packs: LoadedPack[]; errors: LoadError[] } {
  const errors: LoadError[] = [];
  const packs: LoadedPack[] = [];
  if (opts.builtin !== false) packs.push(readBuiltinPack(errors));
  for (const d of userDirs) packs.push(readPack(resolve(d), errors));
  checkDuplicates(packs, errors);
  return { packs, errors };
}

export function readWasm(): Uint8Array {
  return readFileSync(WASM_PATH);
}
