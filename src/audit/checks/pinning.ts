/**
 * unpinned-package: packages fetched at every start (npx, uvx, pipx, deno
 * npm:/jsr:) without an exact version, so a new release (or a hijacked one)
 * runs unreviewed; docker images without a tag or digest (or :latest).
 * raxe is no exception: `npx raxe` runs whatever the registry serves under
 * that name (a gateway entry's own launcher is checked as well as its -u
 * upstreams).
 */
import type { Launch, Package } from '../launch.js';
import { at, type Check } from './types.js';
import type { Finding } from '../schema.js';

const ID = 'unpinned-package';

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const EXACT_PEP440 = /^\d+(?:\.\d+)*(?:(?:a|b|rc|\.post|\.dev)\d+)*(?:\+[A-Za-z0-9.]+)?$/i;

/** Why a package is not pinned, or null when it is (or is not fetched at start). */
export function unpinned(p: Package, l: Launch): string | null {
  if (p.ecosystem === 'npm' || p.ecosystem === 'jsr') {
    const fetched = l.runner === 'npx' || (l.runner === 'deno' || l.runner === 'bun') && /^(npm|jsr):/.test(p.spec);
    if (!fetched) return null;
    if (p.version === undefined || p.version === '') return 'no version';
    if (EXACT_SEMVER.test(p.version)) return null;
    return /^[a-z]/i.test(p.version) ? `@${p.version}` : `a version range (@${p.version})`;
  }
  if (p.ecosystem === 'pypi') {
    if (l.runner !== 'uvx') return null;
    if (p.spec.includes('://')) return /@[0-9a-f]{7,40}$/i.test(p.spec) ? null : 'a git source without a commit';
    if (p.version === undefined) return 'no version';
    return EXACT_PEP440.test(p.version.trim()) ? null : `a version range (${p.version.trim()})`;
  }
  if (p.ecosystem === 'docker') {
    if (p.version === undefined) return 'no tag';
    if (p.version.toLowerCase() === 'latest') return ':latest';
    return null;
  }
  return null;
}

export const pinningCheck: Check = {
  id: ID,
  name: 'UnpinnedPackage',
  title: 'Package or image is not pinned to a version',
  help: 'npx and uvx fetch the newest release at every start: a compromised or changed release runs without review (a "rug pull"). Pin an exact version (pkg@1.2.3, pkg==1.2.3, image:1.2.3 or @sha256:...) and update deliberately.',
  severity: 'MEDIUM',
  run({ views }) {
    const out: Finding[] = [];
    for (const v of views) {
      for (const l of v.gateway ? [v.gateway.launcher, ...v.launches] : v.launches) {
        for (const p of l.packages) {
          const why = unpinned(p, l);
          if (!why) continue;
          if (p.ecosystem === 'docker') {
            out.push(at(v, ID, 'LOW', `Docker image ${p.name} is not pinned (${why})`, `Pin a tag or digest: ${p.name}:<version> or ${p.name}@sha256:<digest>`));
          } else {
            const tool = l.runner === 'uvx' ? 'uvx' : l.runner === 'npx' ? 'npx' : l.runner ?? 'runner';
            const example = p.ecosystem === 'pypi' ? `${p.name}==1.2.3` : `${p.name}@1.2.3`;
            const fix = p.ecosystem === 'npm' && p.name === 'raxe'
              ? 'Run the installed raxe command instead (raxe mcp audit --fix writes it by absolute path): npx fetches whatever the registry serves as "raxe"'
              : `Pin an exact version, e.g. ${example}, and update deliberately`;
            out.push(at(v, ID, 'MEDIUM', `${tool} package ${p.name} is not pinned (${why})`, fix));
          }
        }
      }
    }
    return out;
  },
};
