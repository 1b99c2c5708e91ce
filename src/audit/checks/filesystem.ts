/**
 * sensitive-filesystem: filesystem servers given sensitive paths (/, the
 * home directory, ~/.ssh, /etc, C:\, ...), and containers that mount them.
 */
import { FILESYSTEM_PACKAGES, FILESYSTEM_WORDS, hasWord } from '../known.js';
import { pathArgument, sensitivePath } from '../paths.js';
import type { Launch } from '../launch.js';
import { identity } from '../view.js';
import { at, type Check } from './types.js';
import type { Finding } from '../schema.js';

const ID = 'sensitive-filesystem';

export function isFilesystemServer(l: Launch): boolean {
  const id = identity(l);
  const p = l.packages[0];
  if (!p) return false;
  return FILESYSTEM_PACKAGES.has(id) || FILESYSTEM_PACKAGES.has(p.name) || !!hasWord(p.ecosystem === 'script' ? id : p.name, FILESYSTEM_WORDS);
}

/** Host paths a `docker run` mounts (-v SRC:DST, --mount type=bind,source=SRC). */
export function dockerMounts(l: Launch): string[] {
  const out: string[] = [];
  for (const o of l.docker?.options ?? []) {
    if (!o.value) continue;
    if (o.name === '-v' || o.name === '--volume') {
      // a Windows drive letter has a colon of its own: C:\x:/data
      const m = /^([A-Za-z]:[\\/][^:]*|[^:]+)(?::|$)/.exec(o.value);
      if (m) out.push(m[1]);
    } else if (o.name === '--mount') {
      const src = o.value.split(',').map((kv) => kv.split('=')).find(([k]) => k === 'source' || k === 'src');
      if (src?.[1]) out.push(src.slice(1).join('='));
    }
  }
  return out;
}

export const filesystemCheck: Check = {
  id: ID,
  name: 'SensitiveFilesystemAccess',
  title: 'Server or container can read sensitive paths',
  help: 'A filesystem server (or a container mount) that reaches /, your home directory, ~/.ssh, ~/.aws, /etc or C:\\ lets a poisoned prompt read keys and credentials. Give it only the project directories it needs, read-only where possible.',
  severity: 'HIGH',
  run({ views }) {
    const out: Finding[] = [];
    for (const v of views) {
      const seen = new Set<string>();
      const add = (f: Finding) => {
        if (!seen.has(f.issue)) out.push(f);
        seen.add(f.issue);
      };
      for (const l of v.launches) {
        if (isFilesystemServer(l)) {
          for (const a of l.serverArgs) {
            const p = pathArgument(a);
            const why = p && sensitivePath(p);
            if (why) add(at(v, ID, 'HIGH', `Filesystem server has access to sensitive path ${p} (${why})`, 'Restrict to specific directories, e.g. the project folder'));
          }
        }
        for (const m of dockerMounts(l)) {
          const why = sensitivePath(m);
          if (why) add(at(v, ID, 'HIGH', `Container mounts sensitive host path ${m} (${why})`, 'Mount only the directories the server needs, read-only (:ro) where possible'));
        }
      }
    }
    return out;
  },
};
