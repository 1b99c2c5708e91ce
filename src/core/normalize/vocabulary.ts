/**
 * The security vocabulary: words that attack text is built from and rules
 * look for. The snap layer moves misspellings onto these words; the
 * skeleton and rot13/reversed layers accept them as words besides the
 * common-English list (which lacks "jailbreak", "exfiltrate", "sudo", ...).
 */
import { isWord } from './unicode.js';

/** Words a misspelling is snapped onto (lower-case; 5+ letters: shorter words are not snapped). */
export const SNAP_VOCABULARY: readonly string[] = [
  'ignore', 'ignoring', 'disregard', 'disregarding', 'forget', 'override', 'overwrite', 'bypass', 'circumvent',
  'previous', 'preceding', 'earlier', 'above', 'prior', 'original', 'initial', 'instructions', 'instruction',
  'directives', 'guidelines', 'rules', 'constraints', 'restrictions', 'limitations', 'policies', 'policy',
  'system', 'prompt', 'prompts', 'message', 'messages', 'context', 'conversation', 'assistant', 'developer',
  'reveal', 'repeat', 'print', 'output', 'display', 'disclose', 'verbatim', 'everything', 'anything',
  'jailbreak', 'jailbroken', 'unrestricted', 'unfiltered', 'uncensored', 'censorship', 'filters', 'safety',
  'pretend', 'roleplay', 'persona', 'character', 'character', 'simulate', 'hypothetical', 'fictional',
  'admin', 'administrator', 'password', 'passwords', 'credentials', 'secret', 'secrets', 'token', 'tokens',
  'confidential', 'private', 'hidden', 'internal', 'configuration', 'environment', 'variables',
  'execute', 'command', 'commands', 'delete', 'remove', 'exfiltrate', 'upload', 'download', 'forward', 'email',
  'contents', 'database', 'terminal', 'shell', 'access', 'enabled', 'disabled', 'activate', 'mode', 'now',
  'respond', 'response', 'answer', 'without', 'unlock', 'privileges', 'elevated', 'immediately', 'important',
];

/** Technical words that read as instruction text in shell/secret/PII examples but are not in the English list. */
const TECH: readonly string[] = [
  'http', 'https', 'www', 'com', 'org', 'net', 'html', 'json', 'xml', 'api', 'apis', 'url', 'urls', 'ssh', 'sudo',
  'bash', 'sh', 'zsh', 'cmd', 'exe', 'curl', 'wget', 'nc', 'netcat', 'ncat', 'rm', 'rf', 'cat', 'etc', 'passwd',
  'shadow', 'env', 'tmp', 'dev', 'tcp', 'udp', 'bin', 'usr', 'root', 'whoami', 'id', 'ls', 'chmod', 'python',
  'powershell', 'eval', 'exec', 'os', 'sql', 'select', 'drop', 'table', 'union', 'script', 'js', 'py', 'txt', 'aws',
  'ssn', 'iban', 'dob', 'pii', 'llm', 'ai', 'gpt', 'dan', 'mcp', 'repo', 'repos', 'config', 'admin', 'login',
  'exfiltrate', 'jailbreak', 'jailbroken', 'uncensored', 'unfiltered', 'roleplay', 'todo', 'webhook', 'ngrok',
  'pastebin', 'base64', 'rot13', 'hex', 'token', 'tokens', 'github', 'gmail', 'localhost', 'sk', 'ok', 'btw', 'i',
];

const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'ly', 'er', 'ers'];
const EXTRA = new Set<string>([...SNAP_VOCABULARY, ...TECH]);
const VOCAB = new Set<string>([...SNAP_VOCABULARY, ...TECH]);

/** A word of the security vocabulary or the technical list, or one with a common inflection (lower-case input). */
export function isVocabulary(w: string): boolean {
  if (VOCAB.has(w)) return true;
  for (const suf of SUFFIXES) if (w.endsWith(suf) && VOCAB.has(w.slice(0, -suf.length))) return true;
  return false;
}


/**
 * A word of the vocabulary, the technical list or common English (lower-case
 * input), also with a common inflection ("previews", "ignored").
 */
export function knownWord(w: string): boolean {
  if (EXTRA.has(w) || isWord(w)) return true;
  if (w.length < 5) return false;
  for (const suf of SUFFIXES) {
    if (w.endsWith(suf)) {
      const stem = w.slice(0, -suf.length);
      if (EXTRA.has(stem) || isWord(stem) || (suf === 'ing' && isWord(stem + 'e'))) return true;
    }
  }
  return false;
}
