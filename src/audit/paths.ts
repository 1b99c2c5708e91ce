/**
 * Sensitive locations on disk, for filesystem servers and docker mounts. A
 * path is sensitive when it is, or lies inside, a place that holds keys or
 * system files (~/.ssh, /etc, C:\Windows), or when it contains one (/, the
 * home directory, /home, C:\). Matching is lexical: the path is normalised
 * (home forms -> "~", "\" -> "/", "." and ".." resolved, lower case), never
 * looked up on disk.
 */

/** Places that must not be shared, with what they hold. */
const SUBTREES: Array<[string, string]> = [
  ['~/.ssh', 'SSH keys'],
  ['~/.aws', 'AWS credentials'],
  ['~/.gnupg', 'GPG keys'],
  ['~/.kube', 'Kubernetes credentials'],
  ['~/.docker', 'Docker credentials'],
  ['~/.azure', 'Azure credentials'],
  ['~/.config', 'app credentials and tokens'],
  ['~/.netrc', 'login credentials'],
  ['~/.npmrc', 'registry tokens'],
  ['~/.pypirc', 'registry tokens'],
  ['~/.git-credentials', 'git credentials'],
  ['~/.password-store', 'passwords'],
  ['~/.local/share/keyrings', 'keyrings'],
  ['~/.bash_history', 'shell history'],
  ['~/.zsh_history', 'shell history'],
  ['~/library', 'keychains, cookies and app data'],
  ['~/appdata', 'app data and credentials'],
  ['/etc', 'system configuration'],
  ['/private/etc', 'system configuration'],
  ['/root', "root's home"],
  ['/proc', 'process memory and environment'],
  ['/sys', 'kernel interfaces'],
  ['/boot', 'boot files'],
  ['/dev', 'devices'],
  ['/var/lib', 'service data'],
  ['c:/windows', 'Windows system files'],
  ['c:/programdata', 'machine-wide app data'],
];
/** Folders that hold the home directory. */
const HOME_PARENTS = ['/home', '/users', 'c:/users'];

/** Home forms written in configs, replaced by "~". */
const HOME_FORMS = /^(~|\$home|\$\{home\}|\$\{env:home\}|\$\{env:userprofile\}|\$\{userhome\}|%userprofile%|%homedrive%%homepath%|\/home\/[^/]+|\/users\/[^/]+|[a-z]:\/users\/[^/]+)(?=\/|$)/;
const WIN_VARS: Array<[RegExp, string]> = [
  [/^%appdata%/, '~/appdata/roaming'],
  [/^%localappdata%/, '~/appdata/local'],
  [/^(%systemroot%|%windir%)/, 'c:/windows'],
  [/^%programdata%/, 'c:/programdata'],
  [/^%systemdrive%/, 'c:'],
];

/**
 * The normalised form of an absolute or home-relative path, or null for a
 * relative path or something that is not a path.
 *
 * @example normalizePath('C:\\Users\\me\\.ssh\\') // "~/.ssh"
 */
export function normalizePath(raw: string): string | null {
  let p = raw.trim().replace(/^["']|["']$/g, '').replace(/\\/g, '/').toLowerCase();
  if (!p) return null;
  p = p.replace(/^file:\/\//, '');
  for (const [re, to] of WIN_VARS) p = p.replace(re, to);
  // the root user's home is /root: it stays itself (sensitive as a whole)
  p = p.replace(HOME_FORMS, '~');
  const abs = p.startsWith('/') || p.startsWith('~') || /^[a-z]:(\/|$)/.test(p);
  if (!abs) return null;
  const [head, ...rest] = p.split('/');
  const out: string[] = [];
  for (const seg of rest) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  if (head === '') return '/' + out.join('/');
  return [head, ...out].join('/');
}

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');

/**
 * Why a path is sensitive ("whole filesystem", "SSH keys", "contains /etc"),
 * or null when it is not (or is not an absolute path).
 */
export function sensitivePath(raw: string): string | null {
  const p = normalizePath(raw);
  if (p === null) return null;
  if (p === '/') return 'whole filesystem';
  if (/^[a-z]:$/.test(p)) return 'whole drive';
  if (p === '~') return 'home directory';
  for (const [dir, what] of SUBTREES) if (under(p, dir)) return what;
  for (const parent of HOME_PARENTS) if (under(parent, p)) return "every user's home";
  for (const [dir, what] of SUBTREES) if (under(dir, p)) return `contains ${display(dir)}: ${what}`;
  return null;
}

function display(p: string): string {
  return p.startsWith('c:') ? 'C:\\' + p.slice(3).replace(/\//g, '\\') : p;
}

/** Does this look like a path argument (not a flag, not a URL)? `--root=/x` gives "/x". */
export function pathArgument(arg: string): string | null {
  const v = /^--?[A-Za-z][\w-]*=(.+)$/.exec(arg)?.[1] ?? arg;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !v.startsWith('file://')) return null;
  return /^(\/|~|\$HOME|\$\{|%|[A-Za-z]:[\\/]?$|[A-Za-z]:[\\/]|\\\\|file:\/\/)/i.test(v) ? v : null;
}
