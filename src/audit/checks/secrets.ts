/**
 * plaintext-secret: API keys, tokens and passwords written into the config
 * (env, headers, args, url). Values are matched by the SEC rules (injected);
 * variables named like a credential (*_TOKEN, *_KEY, *SECRET*) with a
 * literal value are reported too. Findings name the variable and the rule,
 * never the value.
 */
import { severityRank, type Severity } from '../../core/index.js';
import { urlCredentials } from '../url.js';
import { at, fromRule, type Check, type SecretHit, type SecretScan } from './types.js';
import type { Finding } from '../schema.js';
import type { ServerView } from '../view.js';

const ID = 'plaintext-secret';

/** A reference resolved at start-up (${input:x}, ${env:X}, $X, %X%, <your key>) or an obvious dummy. */
export function isPlaceholder(v: string): boolean {
  const s = v.trim();
  if (s === '') return true;
  if (/\$\{[^}]*\}|\{\{[^}]*\}\}/.test(s)) return true;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$|^%[A-Za-z_][A-Za-z0-9_]*%$|^<[^>]*>$|^\[[^\]]*\]$/.test(s)) return true;
  if (/^(your|my|insert|enter|put|add)[-_ ]?[a-z0-9_ -]*$/i.test(s)) return true;
  return /^(x+|\*+|\.+|-+|changeme|change[-_ ]me|replace[-_ ]?me|todo|tbd|placeholder|secret|token|password|none|null|undefined|true|false|redacted)$/i.test(s);
}

/** A variable, header or flag name that holds a credential: GITHUB_TOKEN, OPENAI_API_KEY, DB_PASSWORD, Authorization. */
export function isSecretName(name: string): boolean {
  const n = name.replace(/^-+/, '').toUpperCase().replace(/-/g, '_');
  if (/_(PATH|FILE|DIR|URL|URI|ID|NAME|TYPE|HOST|PORT|LENGTH|SIZE|LIMIT|COUNT|ENDPOINT|REGION)$/.test(n)) return false;
  return /(^|_)(TOKEN|API_?KEY|KEY|SECRET|PASSWORD|PASSWD|PWD|PAT|CREDENTIALS?|AUTH|AUTHORIZATION|COOKIE)$/.test(n) || /SECRET|PASSWORD|PRIVATE_KEY|ACCESS_KEY|API_KEY|APIKEY/.test(n);
}

/** A value that looks like a literal credential (not a path, flag, number or placeholder). */
function literalValue(v: string): boolean {
  const s = v.trim();
  return s.length >= 8 && !isPlaceholder(s) && !/^(\/|~|\.{1,2}\/|[A-Za-z]:[\\/])/.test(s) && !/^\d+$/.test(s) && !/^https?:\/\/[^@]*$/.test(s);
}

function worst(hits: SecretHit[]): Severity {
  return hits.reduce<Severity>((w, h) => (severityRank(h.severity) > severityRank(w) ? h.severity : w), 'medium');
}

function describe(hits: SecretHit[]): string {
  const ids = [...new Set(hits.map((h) => h.rule_id))];
  const first = hits[0].message;
  return `${ids.join(', ')}: ${first}${ids.length > 1 ? ', ...' : ''}`;
}

const RECOMMEND = 'Move it out of the config (an environment variable or a ${input:...} prompt) and rotate the exposed credential';

function found(v: ServerView, where: string, hits: SecretHit[]): Finding {
  return at(v, ID, fromRule(worst(hits)), `Plain-text secret in ${where} (${describe(hits)})`, RECOMMEND, {
    rule_ids: [...new Set(hits.map((h) => h.rule_id))],
    families: ['SEC'],
  });
}

function named(v: ServerView, where: string): Finding {
  return at(v, ID, 'MEDIUM', `${where} holds a literal credential`, RECOMMEND);
}

export const secretsCheck: Check = {
  id: ID,
  name: 'PlaintextSecret',
  title: 'Credential written in plain text in the config',
  help: 'Config files are read by every app and backup that can see your home directory, and get pasted into issues. Keep keys in the environment or in a secret store, reference them (VS Code: ${input:...}, ${env:...}), and rotate any key that was in a file.',
  severity: 'HIGH',
  run({ views, secrets }) {
    const scan = (t: string) => (secrets ? secrets(t).filter((h) => h.family === 'SEC') : []);
    const out: Finding[] = [];
    for (const v of views) {
      const d = v.entry.data;
      for (const [k, val] of Object.entries(d.env)) {
        if (isPlaceholder(val)) continue;
        const hits = scan(`${k}=${val}`);
        if (hits.length) out.push(found(v, `env ${k}`, hits));
        else if (isSecretName(k) && literalValue(val)) out.push(named(v, `env ${k}`));
      }
      for (const [k, val] of Object.entries(d.headers)) {
        if (isPlaceholder(val) || isPlaceholder(val.replace(/^(Bearer|Basic|Token)\s+/i, ''))) continue;
        const hits = scan(`${k}: ${val}`);
        if (hits.length) out.push(found(v, `header ${k}`, hits));
        else if (isSecretName(k) && literalValue(val)) out.push(named(v, `header ${k}`));
      }
      const args = d.args;
      if (args.length) {
        const hits = scan(args.join(' '));
        if (hits.length) out.push(found(v, 'args', hits));
        else {
          // --api-key VALUE, --token=VALUE, KEY=VALUE (docker -e, env)
          for (let k = 0; k < args.length; k++) {
            const a = args[k];
            const kv = /^(--?[A-Za-z][\w-]*|[A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(a);
            if (kv && isSecretName(kv[1]) && literalValue(kv[2])) out.push(named(v, `args (${kv[1]}=...)`));
            else if (/^--?[A-Za-z][\w-]*$/.test(a) && isSecretName(a) && args[k + 1] !== undefined && !args[k + 1].startsWith('-') && literalValue(args[k + 1])) {
              out.push(named(v, `args (${a} ...)`));
            }
          }
        }
      }
      const url = d.url ?? d.serverUrl;
      if (url && urlCredentials(url).length === 0 && !isPlaceholder(url)) {
        const hits = scan(url);
        if (hits.length) out.push(found(v, 'url', hits));
      }
    }
    return dedupe(out);
  },
};

/**
 * The command line with credential values replaced by "<redacted>" (SEC rule
 * hits, values after --token-like flags, TOKEN=value pairs, URL credentials),
 * for recommendations that print a command.
 */
export function redactArgv(argv: string[], secrets?: SecretScan): string[] {
  const scan = (t: string) => (secrets ? secrets(t).some((h) => h.family === 'SEC') : false);
  return argv.map((a, k) => {
    const prev = argv[k - 1];
    const kv = /^(--?[A-Za-z][\w-]*|[A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(a);
    if (kv && isSecretName(kv[1]) && !isPlaceholder(kv[2])) return `${kv[1]}=<redacted>`;
    if (prev && /^--?[A-Za-z][\w-]*$/.test(prev) && isSecretName(prev) && !a.startsWith('-') && !isPlaceholder(a)) return '<redacted>';
    if (urlCredentials(a).length) return a.replace(/\/\/[^/@\s]*@/, '//<redacted>@').replace(/([?&][^=&#\s]+=)[^&#\s]*/g, '$1<redacted>');
    if (scan(a)) return '<redacted>';
    return a;
  });
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.file}\u0000${f.server}\u0000${f.issue}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
