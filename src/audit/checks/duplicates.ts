/**
 * duplicate-server and duplicate-key: a server name defined twice (in one
 * file, where JSON keeps only the last entry, or across the files audited),
 * and keys repeated inside an entry or around the server map (where a whole
 * block of servers can vanish).
 */
import type { ConfigFile, DuplicateKey } from '../config.js';
import type { Client, Finding } from '../schema.js';
import type { ServerView } from '../view.js';
import { at, type Check } from './types.js';

const SAME = (a: string[], b: string[]) => a.length === b.length && a.every((x, k) => x === b[k]);

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Files whose servers end up in one host (Cursor project + user, VS Code workspace + user). */
function host(c: Client): string {
  return c;
}

function inFile(f: ConfigFile, d: DuplicateKey): Finding {
  const base = { file: f.path, line: d.pos.line, column: d.pos.column };
  if (f.sections.some((s) => SAME(s, d.path))) {
    return {
      check: 'duplicate-server', severity: 'MEDIUM', server: d.key, ...base,
      issue: `Server "${d.key}" is defined twice in this file (first at line ${d.first.line}); only the last entry is used`,
      recommendation: 'Rename or remove one of the entries',
    };
  }
  const owner = f.sections.find((s) => d.path.length > s.length && SAME(d.path.slice(0, s.length), s));
  if (owner) {
    const server = d.path[owner.length];
    const field = [...d.path.slice(owner.length + 1), d.key].join('.');
    return {
      check: 'duplicate-key', severity: 'MEDIUM', server, ...base,
      issue: `Key "${field}" appears twice in the entry (first at line ${d.first.line}); the last one silently wins`,
      recommendation: 'Keep one definition of the key',
    };
  }
  const path = [...d.path, d.key].join('.');
  const isSection = f.sections.some((sec) => SAME(sec.slice(0, d.path.length + 1), [...d.path, d.key]));
  return {
    check: 'duplicate-key', severity: isSection ? 'HIGH' : 'LOW', server: '(config)', ...base,
    issue: isSection
      ? `"${path}" appears twice (first at line ${d.first.line}); the servers of the first block are ignored`
      : `Key "${path}" appears twice (first at line ${d.first.line}); the last one silently wins`,
    recommendation: isSection ? `Merge the two "${path}" blocks into one` : 'Keep one definition of the key',
  };
}

export const duplicateServerCheck: Check = {
  id: 'duplicate-server',
  name: 'DuplicateServerName',
  title: 'Server name defined more than once',
  help: 'JSON keeps the last of two equal keys, silently: the first definition never runs, and a reviewer reading it is misled. Across files of one client, which definition wins depends on the client. Give every server one definition.',
  severity: 'MEDIUM',
  run({ files, views }) {
    const out: Finding[] = [];
    for (const f of files) for (const d of f.duplicates) {
      const x = inFile(f, d);
      if (x.check === 'duplicate-server') out.push(x);
    }
    const byName = new Map<string, ServerView[]>();
    for (const v of views) byName.set(v.entry.name, [...(byName.get(v.entry.name) ?? []), v]);
    for (const [name, vs] of byName) {
      for (let k = 1; k < vs.length; k++) {
        const v = vs[k];
        const prev = vs.slice(0, k).filter((p) => p.entry.file !== v.entry.file);
        const p = prev.find((x) => host(x.entry.client) === host(v.entry.client)) ?? prev[0];
        if (!p) continue;
        const same = stable(p.entry.data) === stable(v.entry.data);
        const sameHost = host(p.entry.client) === host(v.entry.client);
        if (!sameHost && same) continue;
        const severity = sameHost ? (same ? 'LOW' : 'MEDIUM') : 'INFO';
        const issue = same ? `Server "${name}" is also defined in ${p.entry.file} (same definition)`
          : `Server "${name}" is also defined in ${p.entry.file}, differently${sameHost ? '; which one runs depends on the client' : ''}`;
        out.push(at(v, 'duplicate-server', severity, issue, sameHost ? 'Keep one definition, or give the servers different names' : 'Give different servers different names'));
      }
    }
    return out;
  },
};

export const duplicateKeyCheck: Check = {
  id: 'duplicate-key',
  name: 'DuplicateJsonKey',
  title: 'Key repeated in a config object',
  help: 'A key written twice in one JSON object is legal to most parsers, which keep the last value without a word: an env variable, an argument list or a whole block of servers can be overridden out of sight.',
  severity: 'MEDIUM',
  run({ files }) {
    const out: Finding[] = [];
    for (const f of files) for (const d of f.duplicates) {
      const x = inFile(f, d);
      if (x.check === 'duplicate-key') out.push(x);
    }
    return out;
  },
};
