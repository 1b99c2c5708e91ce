// Deterministic generator of realistic detection patterns (Python `re` syntax).
//
// Patterns are modelled on real prompt-injection / jailbreak / secret / PII /
// code-injection / exfiltration detection rules. Only a portable subset of the
// syntax is used (literals, escapes, classes, \d \w \s \b, groups, alternation,
// greedy and lazy quantifiers incl. {n,m}, a few named groups, IGNORECASE), so
// every pattern is valid for Python `re`, V8 RegExp (after translation, with
// the 'u' flag) and re2js.
//
//   import { buildPatterns, toV8, toRE2 } from './patterns.js';
//   const pats = buildPatterns();   // [{ source, flags, category, noLiteral }]
//
// `node bench/patterns.js` prints the patterns as JSON lines (handy to feed a
// Python oracle: json.loads each line, re.compile(source, flags)).

import { makeRng } from './prng.js';

export const IGNORECASE = 2;

const SEED = 0x5eed_2024;
const DEFAULT_TARGET = 700;

// ---------------------------------------------------------------------------
// helpers

/** "system prompt" -> "system\s+prompt" (words are plain ASCII/Unicode letters). */
const w = (phrase) => phrase.trim().split(/\s+/).join(String.raw`\s+`);
/** Non-capturing alternation of phrases. */
const alt = (list) => `(?:${list.map(w).join('|')})`;
/** Alternation of raw regex fragments. */
const altRaw = (list) => `(?:${list.join('|')})`;
/** Escape regex syntax characters (only those; V8 'u' mode rejects identity escapes of others). */
const esc = (s) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

// ---------------------------------------------------------------------------
// word lists

const OVERRIDE_VERBS = [
  'ignore', 'disregard', 'forget', 'bypass', 'override', 'skip', 'discard', 'neglect',
  'abandon', 'drop', 'dismiss', 'overlook', 'erase', 'delete', 'remove', 'cancel',
  'nullify', 'void', 'reset', 'circumvent', 'throw away', 'set aside', 'stop following',
  'pay no attention to', 'do not follow', 'no longer follow', 'wipe', 'clear', 'purge', 'invalidate',
];
const TIME_WORDS = [
  'previous', 'prior', 'above', 'earlier', 'preceding', 'initial', 'original', 'former',
  'existing', 'system', 'old', 'foregoing', 'aforementioned', 'default', 'current', 'given',
];
const RULE_OBJECTS = [
  'instructions?', 'rules?', 'prompts?', 'directives?', 'guidelines?', 'constraints?',
  'commands?', 'guidance', 'context', 'polic(?:y|ies)', 'restrictions?', 'programming',
  'messages?', 'orders?', 'settings?', 'safeguards?', 'filters?', 'moderation', 'training',
  'configuration', 'guardrails?', 'limitations?', 'boundaries', 'protocols?', 'requirements?',
];
const PERSONAS = [
  'DAN', 'STAN', 'DUDE', 'AIM', 'an? unrestricted (?:AI|assistant|model)', 'an? unfiltered (?:AI|assistant|model)',
  'an? uncensored (?:AI|assistant|model|chatbot)', 'an? evil (?:AI|assistant|twin|confidant)', 'jailbroken',
  'an? rogue (?:AI|agent)', 'developer mode', 'an? AI without (?:any )?(?:rules|limits|restrictions|filters)',
  'BetterDAN', 'AntiGPT', 'an? amoral (?:AI|assistant)', 'Mongo Tom', 'Machiavelli', 'an? hacker',
  'the opposite (?:AI|assistant)', 'an? unaligned (?:AI|model)', 'free from (?:all )?(?:restrictions|rules|policies)',
];
const MODES = [
  'developer', 'god', 'debug', 'admin', 'jailbreak', 'unrestricted', 'sudo', 'maintenance',
  'root', 'DAN', 'uncensored', 'unfiltered', 'test', 'raw', 'superuser', 'evil', 'chaos', 'dev',
];
const MODE_VERBS = ['enable', 'activate', 'enter', 'switch to', 'turn on', 'engage', 'unlock', 'boot into', 'go into', 'start'];
const REVEAL_VERBS = [
  'reveal', 'show', 'print', 'display', 'output', 'repeat', 'leak', 'dump', 'tell me', 'give me',
  'expose', 'disclose', 'recite', 'echo', 'write out', 'spell out', 'paste', 'share', 'list', 'return',
];
const SECRET_OBJECTS = [
  'system prompt', 'instructions', 'initial prompt', 'hidden prompt', 'pre-prompt', 'developer message',
  'system message', 'configuration', 'rules', 'guidelines', 'context window', 'secret instructions',
  'prompt template', 'meta prompt', 'internal notes', 'api keys?', 'credentials', 'environment variables',
];
const OBEY_VERBS = ['follow', 'obey', 'adhere to', 'respect', 'comply with', 'listen to', 'abide by', 'honor', 'enforce'];
const ROLE_VERBS = ['act', 'behave', 'respond', 'roleplay', 'answer', 'reply', 'speak', 'pose', 'function', 'operate'];
const EXFIL_VERBS = [
  'send', 'post', 'upload', 'forward', 'email', 'transmit', 'exfiltrate', 'leak', 'copy', 'sync',
  'mail', 'push', 'submit', 'beam', 'relay', 'dump',
];
const EXFIL_OBJECTS = [
  'conversation', 'chat history', 'chat log', 'data', 'credentials', 'passwords?', 'api keys?', 'secrets?',
  'files?', 'system prompt', 'tokens?', 'cookies', 'session', 'ssh keys?', 'private keys?', 'env(?:ironment)? vars?',
  'database', 'customer records', 'user data', 'emails',
];
const EXFIL_DEST = [String.raw`https?://`, String.raw`\S+@\S+`, String.raw`my\s+server`, String.raw`this\s+(?:url|endpoint|address|webhook)`, String.raw`ftp://`, String.raw`(?:\d{1,3}\.){3}\d{1,3}`];
const HARM_TOPICS = [
  'make a bomb', 'build a weapon', 'synthesize meth(?:amphetamine)?', 'make napalm', 'create malware',
  'write ransomware', 'hack (?:a|into) (?:bank|email|account|server)', 'make poison', 'steal (?:a )?cars?',
  'launder money', 'make explosives', 'pick a lock', 'hotwire a car', 'make a molotov', 'build a botnet',
  'write a keylogger', 'bypass (?:a )?paywall', 'phish (?:a|someone)', 'dox someone', 'make ricin',
];
const FICTION_FRAMES = [
  'hypothetical(?:ly)?', 'in a fictional (?:world|story|universe)', 'for a novel', 'for educational purposes(?: only)?',
  'for research purposes', 'as a thought experiment', 'in a movie script', 'purely theoretical(?:ly)?',
  'my grandmother used to', 'in character', 'for a (?:ctf|capture the flag)', 'in a parallel universe',
];
const SPECIAL_TOKENS = [
  String.raw`<\|im_start\|>\s*system`, String.raw`<\|im_end\|>`, String.raw`<\|endoftext\|>`, String.raw`\[/?INST\]`,
  String.raw`<<\s*/?SYS\s*>>`, String.raw`<\|system\|>`, String.raw`<\|assistant\|>`, String.raw`<\|user\|>`,
  String.raw`###\s*(?:system|instruction|response)\s*:`, String.raw`\[\s*system\s*(?:message|prompt|note)\s*\]`,
  String.raw`<\|start_header_id\|>\s*system`, String.raw`<\|eot_id\|>`, String.raw`\bBEGIN\s+SYSTEM\s+PROMPT\b`,
  String.raw`\{\{\s*system_prompt\s*\}\}`, String.raw`<system>\s*\w`, String.raw`</?(?:admin|root)_instructions?>`,
];
const FOREIGN_INJECTION = [
  // French, Spanish, German, Italian, Portuguese, Dutch
  String.raw`\bignore[rz]?\s+(?:toutes\s+)?les\s+instructions\s+(?:précédentes|antérieures)\b`,
  String.raw`\boublie[rz]?\s+(?:toutes\s+)?(?:les|tes|vos)\s+(?:instructions|règles|consignes)\b`,
  String.raw`\bignora\s+(?:todas\s+)?las\s+instrucciones\s+(?:anteriores|previas)\b`,
  String.raw`\bolvida\s+(?:todas\s+)?(?:las|tus)\s+(?:instrucciones|reglas)\b`,
  String.raw`\bignoriere\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen)\s+(?:Anweisungen|Regeln|Befehle)\b`,
  String.raw`\bvergiss\s+(?:alle\s+)?(?:deine|die)\s+(?:Anweisungen|Regeln)\b`,
  String.raw`\bignora\s+(?:tutte\s+)?le\s+istruzioni\s+(?:precedenti|sopra)\b`,
  String.raw`\bignore\s+(?:todas\s+)?as\s+instruções\s+(?:anteriores|prévias)\b`,
  String.raw`\bnegeer\s+(?:alle\s+)?(?:vorige|eerdere)\s+instructies\b`,
  String.raw`\bdu\s+bist\s+(?:jetzt|nun)\s+(?:ein\s+)?(?:uneingeschränkte[rs]?|unzensierte[rs]?)\s+(?:KI|Assistent)\b`,
];

// Secret / credential formats: [prefix-regex, body-regex]
const TOKEN_FORMATS = [
  [String.raw`AKIA`, '[0-9A-Z]{16}'],
  [String.raw`(?:ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)`, '[0-9A-Z]{16}'],
  [String.raw`ghp_`, '[A-Za-z0-9]{36}'],
  [String.raw`gho_`, '[A-Za-z0-9]{36}'],
  [String.raw`ghu_`, '[A-Za-z0-9]{36}'],
  [String.raw`ghs_`, '[A-Za-z0-9]{36}'],
  [String.raw`ghr_`, '[A-Za-z0-9]{36,76}'],
  [String.raw`github_pat_`, '[A-Za-z0-9_]{82}'],
  [String.raw`glpat-`, String.raw`[A-Za-z0-9_\-]{20}`],
  [String.raw`gldt-`, String.raw`[A-Za-z0-9_\-]{20}`],
  [String.raw`xox[baprs]-`, '[0-9A-Za-z-]{10,48}'],
  [String.raw`xapp-\d-`, String.raw`[A-Z0-9]{9,12}-\d{10,14}-[a-z0-9]{32,80}`],
  [String.raw`sk-proj-`, String.raw`[A-Za-z0-9_\-]{40,200}`],
  [String.raw`sk-ant-(?:api|admin)\d{2}-`, String.raw`[A-Za-z0-9_\-]{80,120}`],
  [String.raw`\bsk-`, '[A-Za-z0-9]{48}'],
  [String.raw`sk_live_`, '[0-9a-zA-Z]{24,99}'],
  [String.raw`sk_test_`, '[0-9a-zA-Z]{24,99}'],
  [String.raw`rk_live_`, '[0-9a-zA-Z]{24,99}'],
  [String.raw`pk_live_`, '[0-9a-zA-Z]{24,99}'],
  [String.raw`whsec_`, '[A-Za-z0-9]{32,64}'],
  [String.raw`AIza`, String.raw`[0-9A-Za-z_\-]{35}`],
  [String.raw`ya29\.`, String.raw`[0-9A-Za-z_\-]{20,}`],
  [String.raw`1//0`, String.raw`[0-9A-Za-z_\-]{40,}`],
  [String.raw`SG\.`, String.raw`[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}`],
  [String.raw`npm_`, '[A-Za-z0-9]{36}'],
  [String.raw`pypi-AgEIcHlwaS5vcmc`, String.raw`[A-Za-z0-9_\-]{50,}`],
  [String.raw`hf_`, '[A-Za-z]{34}'],
  [String.raw`dop_v1_`, '[a-f0-9]{64}'],
  [String.raw`doo_v1_`, '[a-f0-9]{64}'],
  [String.raw`shpat_`, '[a-fA-F0-9]{32}'],
  [String.raw`shpss_`, '[a-fA-F0-9]{32}'],
  [String.raw`shpca_`, '[a-fA-F0-9]{32}'],
  [String.raw`EAACEdEose0cBA`, '[0-9A-Za-z]+'],
  [String.raw`\bAC`, '[a-f0-9]{32}\\b'],
  [String.raw`\bSK`, '[a-f0-9]{32}\\b'],
  [String.raw`key-`, '[0-9a-zA-Z]{32}'],
  [String.raw`sq0atp-`, String.raw`[0-9A-Za-z_\-]{22}`],
  [String.raw`sq0csp-`, String.raw`[0-9A-Za-z_\-]{43}`],
  [String.raw`access_token\$production\$`, String.raw`[0-9a-z]{16}\$[0-9a-f]{32}`],
  [String.raw`amzn\.mws\.`, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'],
  [String.raw`https://hooks\.slack\.com/services/`, 'T[A-Z0-9]{8,10}/B[A-Z0-9]{8,10}/[A-Za-z0-9]{24}'],
  [String.raw`https://discord(?:app)?\.com/api/webhooks/`, String.raw`\d{17,20}/[A-Za-z0-9_\-]{60,70}`],
  [String.raw`https://outlook\.office\.com/webhook/`, String.raw`[0-9a-f\-]{36}@`],
  [String.raw`https://api\.telegram\.org/bot`, String.raw`\d{8,10}:[A-Za-z0-9_\-]{35}`],
  [String.raw`lin_api_`, '[A-Za-z0-9]{40}'],
  [String.raw`secret_`, '[A-Za-z0-9]{43}'],
  [String.raw`ntn_`, '[A-Za-z0-9]{46}'],
  [String.raw`pat[A-Za-z0-9]{14}\.`, '[a-f0-9]{64}'],
  [String.raw`figd_`, String.raw`[A-Za-z0-9_\-]{40}`],
  [String.raw`PMAK-`, '[a-f0-9]{24}-[a-f0-9]{34}'],
  [String.raw`dapi`, '[a-h0-9]{32}'],
  [String.raw`FLWSECK-`, '[a-z0-9]{32}-X'],
  [String.raw`sntrys_`, String.raw`[A-Za-z0-9+/=_\-]{80,}`],
  [String.raw`glc_`, '[A-Za-z0-9+/]{32,400}={0,2}'],
  [String.raw`xkeysib-`, '[a-f0-9]{64}-[A-Za-z0-9]{16}'],
  [String.raw`CLOJARS_`, '[a-z0-9]{60}'],
  [String.raw`rubygems_`, '[a-f0-9]{48}'],
  [String.raw`dckr_pat_`, String.raw`[A-Za-z0-9_\-]{27}`],
  [String.raw`tfp_`, '[A-Za-z0-9]{40,}'],
  [String.raw`atlasv1\.`, '[A-Za-z0-9]{60,70}'],
  [String.raw`r8_`, '[A-Za-z0-9]{37}'],
  [String.raw`gsk_`, '[A-Za-z0-9]{52}'],
  [String.raw`pplx-`, '[A-Za-z0-9]{48}'],
  [String.raw`xai-`, '[A-Za-z0-9]{80}'],
  [String.raw`csk-`, '[a-z0-9]{48}'],
  [String.raw`AGE-SECRET-KEY-1`, '[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'],
  [String.raw`eyJ`, String.raw`[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}`],
];

const SERVICES = [
  'stripe', 'twilio', 'sendgrid', 'mailgun', 'mailchimp', 'openai', 'anthropic', 'cohere', 'huggingface',
  'slack', 'discord', 'telegram', 'github', 'gitlab', 'bitbucket', 'heroku', 'netlify', 'vercel', 'datadog',
  'newrelic', 'sentry', 'pagerduty', 'okta', 'auth0', 'firebase', 'supabase', 'pinecone', 'algolia',
  'mapbox', 'shopify', 'square', 'paypal', 'braintree', 'plaid', 'airtable', 'notion', 'linear', 'jira',
  'asana', 'dropbox', 'zoom', 'twitch', 'cloudflare', 'digitalocean', 'azure', 'gcp', 'aws', 'mongodb',
  'snowflake', 'databricks', 'replicate', 'mistral', 'groq', 'perplexity',
];
const SECRET_KEYNAMES = [
  String.raw`api[_\-]?key`, 'secret', 'token', 'passwd', 'password', 'pwd', String.raw`auth[_\-]?token`,
  String.raw`access[_\-]?key(?:[_\-]?id)?`, String.raw`secret[_\-]?access[_\-]?key`, String.raw`client[_\-]?secret`,
  String.raw`private[_\-]?key`, String.raw`bearer[_\-]?token`, String.raw`refresh[_\-]?token`,
  String.raw`session[_\-]?(?:id|key|token)`, String.raw`db[_\-]?pass(?:word)?`, String.raw`encryption[_\-]?key`,
  String.raw`signing[_\-]?(?:key|secret)`, String.raw`webhook[_\-]?secret`, 'master_key', String.raw`app[_\-]?secret`,
];

const PII_LABELS = [
  String.raw`ssn`, String.raw`social\s+security\s+(?:number|no\.?|#)`, String.raw`passport\s+(?:number|no\.?|#)`,
  String.raw`driver'?s?\s+licen[cs]e\s+(?:number|no\.?|#)`, String.raw`tax\s+(?:id|identification\s+number)`,
  String.raw`\bein`, String.raw`routing\s+(?:number|no\.?)`, String.raw`account\s+(?:number|no\.?)`,
  String.raw`nhs\s+(?:number|no\.?)`, String.raw`sort\s+code`, String.raw`medical\s+record\s+(?:number|no\.?)`,
  String.raw`\bmrn`, String.raw`national\s+insurance\s+(?:number|no\.?)`, String.raw`date\s+of\s+birth`, String.raw`\bdob`,
  String.raw`credit\s+card\s+(?:number|no\.?|#)`, String.raw`card\s+(?:number|no\.?)`, String.raw`cvv2?`,
  String.raw`bank\s+account`, String.raw`iban`, String.raw`swift\s+(?:code|bic)`, String.raw`member\s+id`,
  String.raw`policy\s+(?:number|no\.?)`, String.raw`employee\s+id`, String.raw`student\s+id`, String.raw`aadhaar`,
  String.raw`\bpan\s+(?:number|no\.?|card)`, String.raw`\bsin\s+(?:number|no\.?)`, String.raw`\bnpi`, String.raw`\bitin`,
];
const PII_VALUES = [
  String.raw`\d{3}-?\d{2}-?\d{4}`, String.raw`[A-Z0-9]{6,12}`, String.raw`\d{6,17}`, String.raw`\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4}`,
  String.raw`\d{2}-\d{2}-\d{2}`, String.raw`[A-Z]{2}\d{2}[A-Z0-9]{10,30}`, String.raw`\d{3,4}`, String.raw`\d{4}\s?\d{4}\s?\d{4}`,
];

const SHELL_CMDS = [
  [String.raw`rm`, String.raw`\s+-(?:rf|fr|r\s+-f|f\s+-r)\s+(?:/|~|\*|\$HOME|/\*|\.\.)`],
  [String.raw`curl`, String.raw`\s+[^\s|]{1,80}\s*\|\s*(?:ba|z|k|da)?sh\b`],
  [String.raw`wget`, String.raw`\s+(?:-\w+\s+){0,3}[^\s|]{1,80}\s*\|\s*(?:ba|z|k)?sh\b`],
  [String.raw`curl`, String.raw`\s+(?:-[sSkLfo]+\s+)*https?://\S{1,120}\s*-o\s*/tmp/\S+`],
  [String.raw`nc`, String.raw`\s+(?:-\w+\s+)*-[ec]\s+/bin/(?:ba)?sh\b`],
  [String.raw`ncat`, String.raw`\s+(?:-\w+\s+)*--exec\s+\S+`],
  [String.raw`bash`, String.raw`\s+-i\s+>&\s*/dev/tcp/`],
  [String.raw`sh`, String.raw`\s+-i\s+>&\s*/dev/(?:tcp|udp)/\S+`],
  [String.raw`chmod`, String.raw`\s+(?:-R\s+)?(?:\+x|777|u\+s|4755|a\+rwx)\s+\S+`],
  [String.raw`chown`, String.raw`\s+(?:-R\s+)?root(?::root)?\s+/\S*`],
  [String.raw`sudo`, String.raw`\s+(?:su|-i|-s|bash|sh)\b`],
  [String.raw`mkfifo`, String.raw`\s+/tmp/\w+`],
  [String.raw`dd`, String.raw`\s+if=/dev/(?:zero|random|urandom)\s+of=/dev/[sh]d[a-z]`],
  [String.raw`mkfs`, String.raw`(?:\.\w+)?\s+/dev/[sh]d[a-z]\d*`],
  [String.raw`crontab`, String.raw`\s+-r\b`],
  [String.raw`history`, String.raw`\s+-c\b`],
  [String.raw`iptables`, String.raw`\s+-F\b`],
  [String.raw`setenforce`, String.raw`\s+0\b`],
  [String.raw`base64`, String.raw`\s+(?:-d|--decode)\s*(?:<<<|\|)\s*(?:ba)?sh`],
  [String.raw`echo`, String.raw`\s+[A-Za-z0-9+/=]{20,}\s*\|\s*base64\s+(?:-d|--decode)\s*\|\s*(?:ba)?sh\b`],
  [String.raw`python[23]?`, String.raw`\s+-c\s+['"]import\s+(?:socket|pty|os|subprocess)`],
  [String.raw`perl`, String.raw`\s+-e\s+['"]use\s+Socket`],
  [String.raw`php`, String.raw`\s+-r\s+['"]\$sock\s*=\s*fsockopen`],
  [String.raw`ssh-keygen`, String.raw`\s+.{0,40}?-f\s+~/\.ssh/`],
  [String.raw`cat`, String.raw`\s+(?:/etc/(?:passwd|shadow|sudoers)|~/\.ssh/id_\w+|~/\.aws/credentials|\.env)\b`],
  [String.raw`scp`, String.raw`\s+(?:-\w+\s+)*\S+\s+\w+@[\w.\-]+:\S*`],
  [String.raw`nmap`, String.raw`\s+(?:-\w+\s+){0,5}(?:\d{1,3}\.){3}\d{1,3}`],
  [String.raw`kill`, String.raw`\s+-9\s+-1\b`],
  [String.raw`shutdown`, String.raw`\s+(?:-h|-r|/s|/r)\s+(?:now|\+?\d+)`],
  [String.raw`systemctl`, String.raw`\s+(?:stop|disable|mask)\s+(?:firewalld|ufw|auditd|apparmor|sshd)\b`],
  [String.raw`git`, String.raw`\s+push\s+(?:--force|-f)\s+\w+\s+(?:main|master)\b`],
  [String.raw`docker`, String.raw`\s+run\s+(?:-\S+\s+)*--privileged\b`],
  [String.raw`docker`, String.raw`\s+run\s+(?:-\S+\s+)*-v\s+/:/\w+`],
  [String.raw`kubectl`, String.raw`\s+delete\s+(?:ns|namespace|pods?|deployments?)\s+--all\b`],
  [String.raw`aws`, String.raw`\s+s3\s+(?:rm|rb)\s+s3://\S+\s+--recursive\b`],
  [String.raw`powershell(?:\.exe)?`, String.raw`\s+(?:-\w+\s+)*-(?:enc|encodedcommand|e)\s+[A-Za-z0-9+/=]{20,}`],
  [String.raw`reg`, String.raw`\s+(?:add|delete)\s+HK(?:LM|CU)\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\b`],
  [String.raw`vssadmin`, String.raw`\s+delete\s+shadows\b`],
  [String.raw`certutil`, String.raw`(?:\.exe)?\s+-urlcache\s+-split\s+-f\s+https?://`],
  [String.raw`schtasks`, String.raw`\s+/create\s+.{0,80}?/tr\s+`],
  [String.raw`net`, String.raw`\s+user\s+\w+\s+\S+\s+/add\b`],
  [String.raw`bitsadmin`, String.raw`\s+/transfer\s+\w+\s+https?://`],
  [String.raw`rundll32`, String.raw`(?:\.exe)?\s+\S+,\s*\w+`],
  [String.raw`mshta`, String.raw`(?:\.exe)?\s+(?:https?://|javascript:|vbscript:)`],
];

const CODE_PATTERNS = [
  // Python
  String.raw`\b(?:eval|exec)\s*\(\s*(?:base64\.b64decode|compile|__import__|codecs\.decode|bytes\.fromhex|zlib\.decompress)`,
  String.raw`\b__import__\s*\(\s*['"](?:os|subprocess|socket|pty|ctypes)['"]\s*\)`,
  String.raw`\bos\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?)\s*\(`,
  String.raw`\bsubprocess\.(?:Popen|call|run|check_output|check_call|getoutput)\s*\(`,
  String.raw`\bsubprocess\.\w+\s*\(.{0,200}?shell\s*=\s*True`,
  String.raw`\bpickle\.loads?\s*\(`, String.raw`\bcPickle\.loads?\s*\(`, String.raw`\bmarshal\.loads\s*\(`,
  String.raw`\byaml\.(?:load|unsafe_load)\s*\(\s*\w+\s*\)`,
  String.raw`\bpty\.spawn\s*\(\s*['"]/bin/(?:ba)?sh['"]`,
  String.raw`\bsocket\.socket\s*\(.{0,80}?\)\s*;?\s*\w+\.connect\s*\(`,
  String.raw`\bctypes\.(?:CDLL|windll|cdll)\b`,
  String.raw`\bgetattr\s*\(\s*__builtins__\s*,`,
  String.raw`\b__builtins__\s*\[\s*['"](?:eval|exec|__import__)['"]\s*\]`,
  String.raw`\b__subclasses__\s*\(\s*\)`, String.raw`\b__globals__\s*\[`, String.raw`\b__class__\s*\.\s*__mro__`,
  String.raw`\bimportlib\.import_module\s*\(\s*['"]os['"]`,
  String.raw`\bshutil\.rmtree\s*\(\s*['"]/['"]`,
  // JS / Node
  String.raw`\brequire\s*\(\s*['"]child_process['"]\s*\)`, String.raw`\bchild_process\b.{0,40}?\b(?:exec|spawn|execSync|spawnSync)\s*\(`,
  String.raw`\bnew\s+Function\s*\(\s*['"]`, String.raw`\bdocument\.cookie\b`, String.raw`\bdocument\.write\s*\(\s*unescape\s*\(`,
  String.raw`\bwindow\.location\s*=\s*['"]javascript:`, String.raw`\blocalStorage\.getItem\s*\(\s*['"](?:token|jwt|auth|session)`,
  String.raw`\bprocess\.env\b.{0,60}?\bfetch\s*\(`, String.raw`\bfetch\s*\(\s*['"]https?://[^'"]{1,200}['"]\s*,\s*\{\s*method\s*:\s*['"]POST`,
  String.raw`\beval\s*\(\s*atob\s*\(`, String.raw`\bString\.fromCharCode\s*\(\s*\d+(?:\s*,\s*\d+){10,}`,
  String.raw`\bprocess\.mainModule\.require\b`, String.raw`\bconstructor\.constructor\s*\(`,
  String.raw`\b__proto__\s*\[?\s*['"]?\s*(?:polluted|isAdmin|admin)`,
  // PHP / templates / deserialization
  String.raw`\b(?:shell_exec|passthru|proc_open|popen|system)\s*\(\s*\$_(?:GET|POST|REQUEST|COOKIE)`,
  String.raw`\bassert\s*\(\s*\$_(?:GET|POST|REQUEST)`, String.raw`\bunserialize\s*\(\s*\$_(?:GET|POST|COOKIE)`,
  String.raw`<\?php\s+(?:eval|system|exec|passthru)\s*\(`, String.raw`\bpreg_replace\s*\(\s*['"]/.{0,50}?/e['"]`,
  String.raw`\{\{\s*(?:config|self|request)\.(?:__class__|items|application)`, String.raw`\{\{\s*''\.__class__`,
  String.raw`\$\{jndi:(?:ldaps?|rmi|dns|iiop|corba|nds|https?)://`, String.raw`\$\{(?:lower|upper|env|sys):`,
  String.raw`\bjava\.lang\.Runtime\b.{0,60}?\bexec\s*\(`, String.raw`\bRuntime\.getRuntime\s*\(\s*\)\s*\.exec\s*\(`,
  String.raw`\bObjectInputStream\s*\(`, String.raw`\bProcessBuilder\s*\(`, String.raw`\bSystem\.Diagnostics\.Process\.Start\s*\(`,
  String.raw`\bInvoke-Expression\b`, String.raw`\bIEX\s*\(\s*(?:New-Object|\(New-Object)`, String.raw`\bDownloadString\s*\(\s*['"]https?://`,
  String.raw`\bNew-Object\s+(?:System\.)?Net\.WebClient\b`, String.raw`\bSet-MpPreference\s+-DisableRealtimeMonitoring\s+\$true`,
  String.raw`\bAdd-MpPreference\s+-ExclusionPath\b`, String.raw`\bFromBase64String\s*\(`,
  // SQL injection
  String.raw`\bunion\s+(?:all\s+)?select\b`, String.raw`'\s*or\s+'?1'?\s*=\s*'?1`, String.raw`'\s*or\s+'[^']{1,20}'\s*=\s*'`,
  String.raw`;\s*drop\s+(?:table|database)\b`, String.raw`\bxp_cmdshell\b`, String.raw`\bwaitfor\s+delay\s+'\d`,
  String.raw`\b(?:sleep|pg_sleep|benchmark)\s*\(\s*\d+`, String.raw`\binformation_schema\.(?:tables|columns)\b`,
  String.raw`\bload_file\s*\(\s*['"]/`, String.raw`\binto\s+(?:out|dump)file\s+['"]`, String.raw`'\s*;\s*(?:shutdown|exec|declare)\b`,
  String.raw`\border\s+by\s+\d{1,3}\s*--`, String.raw`\bselect\s+.{0,100}?\bfrom\s+(?:users|accounts|passwords|credentials)\b`,
  String.raw`\b(?:and|or)\s+\d+\s*=\s*\d+\s*(?:--|#|/\*)`, String.raw`\bupdatexml\s*\(`, String.raw`\bextractvalue\s*\(`,
  String.raw`\bsqlite_master\b`, String.raw`\bpg_read_file\s*\(`, String.raw`\bcopy\s+\w+\s+from\s+program\b`,
  // XSS / HTML
  String.raw`<script\b[^>]*>`, String.raw`\bjavascript\s*:\s*\w`, String.raw`\bvbscript\s*:`,
  String.raw`\bon(?:error|load|click|mouseover|focus|blur|submit|toggle|animationstart|pointerover)\s*=\s*['"]?[^\s>]`,
  String.raw`<iframe\b[^>]{0,200}\bsrc\s*=`, String.raw`<img\b[^>]{0,200}\bonerror\s*=`, String.raw`<svg\b[^>]{0,100}\bonload\s*=`,
  String.raw`<object\b[^>]{0,200}\bdata\s*=\s*['"]?(?:javascript|data):`, String.raw`<embed\b[^>]{0,200}\bsrc\s*=`,
  String.raw`\bdata:text/html(?:;base64)?,`, String.raw`<meta\b[^>]{0,100}http-equiv\s*=\s*['"]?refresh`,
  String.raw`\bexpression\s*\(\s*[a-z]`, String.raw`<base\b[^>]{0,100}\bhref\s*=`, String.raw`\bsrcdoc\s*=`,
  String.raw`&#x?0*(?:6a|106);?&#x?0*(?:61|97);?&#x?0*(?:76|118)`,
  // path traversal / LFI / SSRF
  String.raw`(?:\.\./){3,}`, String.raw`(?:\.\.\\){3,}`, String.raw`(?:%2e%2e%2f){2,}`, String.raw`(?:%2e%2e/){2,}`, String.raw`(?:\.\.%2f){2,}`,
  String.raw`(?:%252e%252e%252f){2,}`, String.raw`/etc/(?:passwd|shadow|sudoers|hosts\.allow)\b`, String.raw`/proc/self/(?:environ|cmdline|mem|maps)\b`,
  String.raw`\bC:\\Windows\\(?:System32|win\.ini|repair\\sam)\b`, String.raw`\bboot\.ini\b`, String.raw`\bphp://(?:filter|input|expect)\b`,
  String.raw`\b(?:file|gopher|dict|ldap|tftp|jar|netdoc)://`, String.raw`\b169\.254\.169\.254\b`, String.raw`\bmetadata\.google\.internal\b`,
  String.raw`\b100\.100\.100\.200\b`, String.raw`\blocalhost:\d{2,5}/(?:admin|internal|debug|actuator)\b`, String.raw`\b127\.0\.0\.1:\d{2,5}/`,
  String.raw`\b0x7f000001\b`, String.raw`\b(?:0177|0x7f)\.0+\.0+\.0*1\b`, String.raw`/\.git/(?:config|HEAD|index)\b`, String.raw`/\.aws/credentials\b`,
  String.raw`/\.ssh/(?:id_rsa|id_ed25519|id_ecdsa|authorized_keys)\b`, String.raw`/\.kube/config\b`, String.raw`/\.docker/config\.json\b`,
  String.raw`\bactuator/(?:env|heapdump|jolokia)\b`, String.raw`/wp-admin/(?:admin-ajax|setup-config)\.php\b`,
  // fork bomb / misc
  String.raw`:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:`, String.raw`\bwhile\s*(?:true|1|:)\s*;\s*do\s+fork\b`,
  String.raw`\bLD_PRELOAD\s*=\s*\S+\.so\b`, String.raw`\bexport\s+PATH\s*=\s*/tmp\b`, String.raw`\b/dev/shm/\.\w+`,
];

// Patterns without a required literal of 3+ characters (~5%).
const NO_LITERAL = [
  String.raw`\b[A-Za-z0-9+/]{40,}={0,2}`,
  String.raw`\b[0-9a-f]{64}\b`,
  String.raw`\b[A-Fa-f0-9]{32}\b`,
  String.raw`\b\d{3}-\d{2}-\d{4}\b`,
  String.raw`\b(?:\d{1,3}\.){3}\d{1,3}\b`,
  String.raw`\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b`,
  String.raw`\b\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{4}\b`,
  String.raw`\b4\d{3}(?:[ \-]?\d{4}){3}\b`,
  String.raw`\b(?:5[1-5]\d{2}|2[2-7]\d{2})(?:[ \-]?\d{4}){3}\b`,
  String.raw`\b3[47]\d{2}[ \-]?\d{6}[ \-]?\d{5}\b`,
  String.raw`\b6(?:011|5\d{2})(?:[ \-]?\d{4}){3}\b`,
  String.raw`\b(?:\+?1[\-. ]?)?\(?\d{3}\)?[\-. ]?\d{3}[\-. ]?\d{4}\b`,
  String.raw`\b\+(?:4[0-9]|3[0-9])[ \-]?\d{2,4}[ \-]?\d{3,4}[ \-]?\d{3,4}\b`,
  String.raw`\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b`,
  String.raw`\b(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}\b`,
  String.raw`\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b`,
  String.raw`\\x[0-9a-fA-F]{2}(?:\\x[0-9a-fA-F]{2}){7,}`,
  String.raw`(?:%[0-9a-fA-F]{2}){12,}`,
  String.raw`\b[a-z0-9]{32}\b`,
  String.raw`\b[A-Z0-9]{20}\b`,
  String.raw`\b[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,}\b`,
  String.raw`\b[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\b`,
  String.raw`(?:[A-Za-z0-9+/]{4}){20,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?`,
  String.raw`[\u200b\u200c\u200d\u2060\ufeff]{2,}`,
  String.raw`[\u202a-\u202e\u2066-\u2069]`,
  String.raw`[\U000e0000-\U000e007f]{3,}`,
  String.raw`(?:[A-Za-z]\s){12,}`,
  String.raw`\b\d{1,2}[/\-]\d{1,2}[/\-](?:19|20)\d{2}\b`,
  String.raw`\b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\b`,
  String.raw`\b0x[a-fA-F0-9]{40}\b`,
  String.raw`\b[LM][a-km-zA-HJ-NP-Z1-9]{26,33}\b`,
  String.raw`\b[A-Z]{1,2}\d{6,9}\b`,
  String.raw`\b\d{9}\b`,
  String.raw`[!-~]{200,}`,
];

// ---------------------------------------------------------------------------
// Unicode escapes: Python and V8 'u' accept \uXXXX, RE2 does not; so the
// sources are emitted with the actual characters instead (valid everywhere).

function materializeUnicodeEscapes(src) {
  return src
    .replace(/\\U([0-9a-fA-F]{8})/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCodePoint(parseInt(h, 16)));
}

// ---------------------------------------------------------------------------

/**
 * Build the pattern set. Deterministic for a given `target`.
 * @returns {{source: string, flags: number, category: string, noLiteral: boolean}[]}
 */
export function buildPatterns({ target = DEFAULT_TARGET, seed = SEED } = {}) {
  const rng = makeRng(seed);
  const out = [];
  const seen = new Set();
  const add = (category, source, flags = 0, noLiteral = false) => {
    source = materializeUnicodeEscapes(source);
    const key = `${flags}:${source}`;
    if (seen.has(key)) return false;
    seen.add(key);
    out.push({ source, flags, category, noLiteral });
    return true;
  };
  const I = IGNORECASE;

  // --- fixed, hand-written rules --------------------------------------------
  for (const s of NO_LITERAL) add('noliteral', s, 0, true);
  for (const s of SPECIAL_TOKENS) add('injection', s, I);
  for (const s of FOREIGN_INJECTION) add('injection', s, I);
  for (const [cmd, rest] of SHELL_CMDS) add('code', String.raw`\b${cmd}${rest}`, 0);
  for (let i = 0; i < CODE_PATTERNS.length; i++) {
    // SQL/XSS/path rules are case-insensitive in practice; language APIs are not.
    const s = CODE_PATTERNS[i];
    const ci = /union|select|drop|xp_|waitfor|sleep|information_schema|load_file|outfile|shutdown|order|updatexml|extractvalue|sqlite|pg_read|copy|script|javascript|vbscript|\bon\(|iframe|img|svg|object|embed|data:text|meta|expression|base\\b|srcdoc|%2e|%252e|etc|proc|Windows|boot|php:|file\|/.test(s);
    add('code', s, ci ? I : 0);
  }
  for (const [prefix, body] of TOKEN_FORMATS) add('secret', prefix + body, 0);
  add('secret', String.raw`-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----`);
  add('secret', String.raw`-----BEGIN CERTIFICATE-----\s*[A-Za-z0-9+/=\s]{100,}?-----END CERTIFICATE-----`);
  add('secret', String.raw`\b(?:mongodb(?:\+srv)?|postgres(?:ql)?|mysql|redis|amqps?|mssql|mariadb)://[^\s:@/]{1,64}:[^\s:@/]{1,128}@[^\s/]{1,255}`);
  add('secret', String.raw`\bhttps?://[^\s:@/]{1,64}:[^\s:@/]{3,128}@[\w.\-]{3,255}`);
  add('secret', String.raw`\b(?:AccountKey|SharedAccessKey)\s*=\s*[A-Za-z0-9+/]{43,88}={0,2}`);
  add('secret', String.raw`\bDefaultEndpointsProtocol=https?;AccountName=\w+;AccountKey=`);
  add('secret', String.raw`"type"\s*:\s*"service_account".{0,400}?"private_key"\s*:`);
  add('secret', String.raw`\baws_secret_access_key\s*=\s*[A-Za-z0-9/+=]{40}\b`, I);
  add('secret', String.raw`\bAuthorization\s*:\s*(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/\-]{20,}=*`, I);
  add('secret', String.raw`\b(?P<user>[A-Za-z0-9_]{3,32}):(?P<pw>[^\s:@]{6,64})@(?:smtp|mail|imap)\.[\w.\-]+`);
  add('secret', String.raw`\bpassword\s*[:=]\s*(?P<q>["'])[^"'\s]{8,64}["']`, I);

  // PII: label + value (case-insensitive)
  for (const label of PII_LABELS) {
    const value = rng.pick(PII_VALUES);
    add('pii', String.raw`\b${label.replace(/^\\b/, '')}\s*(?:[:#=]|is|was)?\s*${value}\b`, I);
  }
  add('pii', String.raw`\b(?:my|his|her|their)\s+(?:ssn|social\s+security\s+number)\s+is\s+\d{3}-?\d{2}-?\d{4}\b`, I);
  add('pii', String.raw`\b(?:born|dob)\s+(?:on\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d{2}\b`, I);
  add('pii', String.raw`\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr)\.?,?\s+(?:Apt|Suite|Unit)?\s*\d{0,5},?\s*[A-Z][a-z]+`);
  add('pii', String.raw`\bmother'?s\s+maiden\s+name\s*(?:is|:)\s*\w+`, I);

  // --- combinatorial families ----------------------------------------------
  // Family budgets are fractions of what is left after the fixed rules (the
  // fractions below sum to FRAC_SUM); a final top-up makes the count exact.
  const FRAC_SUM = 0.86;
  const fixedCount = out.length + SERVICES.length + SECRET_KEYNAMES.length;
  const remaining = Math.max(0, target - fixedCount);
  const budget = (frac) => Math.max(1, Math.round((remaining * frac) / FRAC_SUM));
  const fill = (n, category, flags, gen) => {
    let made = 0;
    for (let tries = 0; made < n && tries < n * 40; tries++) if (add(category, gen(), flags)) made++;
  };

  // Generic "<service> key = value" secrets.
  for (const svc of SERVICES) {
    add('secret', String.raw`\b${svc}[_\-]?(?:api[_\-]?)?(?:key|token|secret)\s*[:=]\s*["']?[A-Za-z0-9_\-]{20,64}`, I);
  }
  for (const key of SECRET_KEYNAMES) {
    add('secret', String.raw`\b${key}\s*[:=]\s*["']?[A-Za-z0-9_\-/+]{16,}`, I);
  }

  // Instruction override: verb + (all) (the/your) time-word + object.
  fill(budget(0.26), 'injection', I, () => {
    const verb = rng.pick(OVERRIDE_VERBS);
    const times = rng.sample(TIME_WORDS, rng.range(2, 6));
    const objs = rng.sample(RULE_OBJECTS, rng.range(1, 4));
    const lead = rng.chance(0.3) ? String.raw`(?:please\s+)?` : '';
    const mid = rng.pick([
      String.raw`\s+(?:all\s+)?(?:(?:the|your|my|any|of\s+the)\s+)?`,
      String.raw`\s+(?:all\s+|every\s+|any\s+)?(?:(?:of\s+)?(?:the|your)\s+)?`,
      String.raw`\s+(?:everything\s+in\s+)?(?:the\s+|your\s+)?`,
      String.raw`\s+(?:\w+\s+){0,2}?`,
    ]);
    return `${lead}\\b${w(verb)}${mid}${altRaw(times)}\\s+${altRaw(objs)}\\b`;
  });

  // Personas / role-play.
  fill(budget(0.05), 'jailbreak', I, () => {
    const lead = rng.pick([
      String.raw`\byou\s+are\s+(?:now\s+)?`, String.raw`\bfrom\s+now\s+on,?\s+you\s+(?:are|will\s+be)\s+`,
      String.raw`\bpretend\s+(?:to\s+be|you\s+are)\s+`, String.raw`\bimagine\s+you\s+are\s+`,
      String.raw`\bstay\s+in\s+character\s+as\s+`, String.raw`\byour\s+new\s+(?:name|identity|persona)\s+is\s+`,
      String.raw`\bhenceforth,?\s+you\s+shall\s+be\s+`, String.raw`\bswitch\s+(?:your\s+)?persona\s+to\s+`,
    ]);
    const ps = rng.sample(PERSONAS, rng.range(1, 4)).map((p) => p.replace(/ /g, String.raw`\s+`));
    return `${lead}${altRaw(ps)}\\b`;
  });
  fill(budget(0.04), 'jailbreak', I, () => {
    const verbs = rng.sample(ROLE_VERBS, rng.range(1, 3));
    const ps = rng.sample(PERSONAS, rng.range(1, 3)).map((p) => p.replace(/ /g, String.raw`\s+`));
    return String.raw`\b${altRaw(verbs)}\s+as\s+(?:if\s+you\s+(?:are|were)\s+)?${altRaw(ps)}\b`;
  });
  fill(budget(0.04), 'jailbreak', I, () => {
    const verbs = rng.sample(MODE_VERBS, rng.range(1, 4));
    const modes = rng.sample(MODES, rng.range(1, 4));
    return String.raw`\b${alt(verbs)}\s+(?:the\s+)?${alt(modes)}\s+mode\b`;
  });
  fill(budget(0.05), 'jailbreak', I, () => {
    const frame = rng.pick(FICTION_FRAMES).replace(/ /g, String.raw`\s+`);
    const topics = rng.sample(HARM_TOPICS, rng.range(1, 3)).map((t) => t.replace(/ /g, String.raw`\s+`));
    const gap = rng.pick(['.{0,80}?', String.raw`[^.!?\n]{0,120}`, String.raw`(?:\W+\w+){0,15}?\W+`, '.{0,200}']);
    return String.raw`\b${frame}\b${gap}\b(?:how\s+to\s+|explain\s+how\s+to\s+|steps?\s+to\s+)?${altRaw(topics)}\b`;
  });
  fill(budget(0.03), 'jailbreak', I, () => {
    const a = rng.pick(['no', 'without', 'free of', 'zero', 'absent any', 'unbound by']);
    const b = rng.sample(['restrictions', 'limits', 'rules', 'filters', 'guidelines', 'censorship', 'ethics', 'morals', 'policies', 'safety'], rng.range(2, 5));
    const c = rng.pick([String.raw`\byou\s+(?:have|are\s+under|operate\s+with)\s+`, String.raw`\b(?:answer|respond|reply)\s+`, String.raw`\ban?\s+(?:AI|assistant|model)\s+(?:with\s+)?`]);
    return `${c}${w(a)}\\s+(?:\\w+\\s+)?${altRaw(b)}\\b`;
  });

  // Prompt extraction.
  fill(budget(0.08), 'injection', I, () => {
    const verbs = rng.sample(REVEAL_VERBS, rng.range(1, 4));
    const objs = rng.sample(SECRET_OBJECTS, rng.range(1, 4));
    const q = rng.pick([
      String.raw`(?:full\s+|entire\s+|complete\s+|original\s+|hidden\s+|exact\s+)?`,
      String.raw`(?:\w+\s+){0,2}`,
      '',
    ]);
    return String.raw`\b${alt(verbs)}\s+(?:me\s+|us\s+)?(?:your|the|all|any)\s+${q}${altRaw(objs.map(w))}\b`;
  });
  fill(budget(0.04), 'injection', I, () => {
    const verbs = rng.sample(['what', 'which'], 1);
    const objs = rng.sample(SECRET_OBJECTS, rng.range(1, 3));
    return String.raw`\b${alt(verbs)}\s+(?:is|are|was|were)\s+(?:your|the)\s+${altRaw(objs.map(w))}\s*\?`;
  });

  // Don't follow / obey.
  fill(budget(0.05), 'injection', I, () => {
    const verbs = rng.sample(OBEY_VERBS, rng.range(1, 4));
    const objs = rng.sample(RULE_OBJECTS, rng.range(1, 4));
    const neg = rng.pick([String.raw`(?:do\s+not|don'?t|never|stop\s+to)`, String.raw`(?:you\s+(?:no\s+longer|don'?t)\s+(?:have|need)\s+to)`, String.raw`(?:refuse\s+to|cease\s+to)`]);
    return String.raw`\b${neg}\s+${alt(verbs)}\s+(?:your|the|any|those|these)\s+(?:\w+\s+)?${altRaw(objs)}\b`;
  });
  fill(budget(0.03), 'injection', I, () => {
    const head = rng.pick(['new', 'updated', 'revised', 'real', 'actual', 'secret', 'override', 'priority', 'urgent', 'admin']);
    const objs = rng.sample(RULE_OBJECTS, rng.range(1, 3));
    return String.raw`\b${head}\s+${altRaw(objs)}\s*(?::|-{1,2}|=>)`;
  });

  // Exfiltration.
  fill(budget(0.08), 'exfil', I, () => {
    const verbs = rng.sample(EXFIL_VERBS, rng.range(1, 4));
    const objs = rng.sample(EXFIL_OBJECTS, rng.range(1, 4)).map((o) => o.replace(/ /g, String.raw`\s+`));
    const dest = rng.sample(EXFIL_DEST, rng.range(1, 3));
    return String.raw`\b${altRaw(verbs)}\s+(?:(?:all|the|your|this|my|our|every)\s+)*${altRaw(objs)}\s+(?:\w+\s+){0,3}?(?:to|into|at|via)\s+${altRaw(dest)}`;
  });
  add('exfil', String.raw`!\[[^\]]{0,100}\]\(https?://[^\s)]{1,200}\?(?:q|data|d|p|prompt|secret|c|token)=`);
  add('exfil', String.raw`<img\s+src\s*=\s*['"]https?://[^'"\s]{1,200}\?[^'"\s]{0,50}=\{`, I);
  add('exfil', String.raw`\b(?:webhook\.site|requestbin\.net|pipedream\.net|ngrok\.io|ngrok-free\.app|burpcollaborator\.net|interact\.sh|oast\.(?:fun|live|pro|me))\b`, I);
  add('exfil', String.raw`\bcurl\s+(?:-\w+\s+)*(?:-d|--data(?:-binary)?)\s+@(?:/etc/passwd|~/\.ssh/\w+|\.env)\b`);

  // Tool / agent abuse.
  fill(budget(0.04), 'agent', I, () => {
    const verbs = rng.sample(['call', 'invoke', 'run', 'execute', 'use', 'trigger', 'fire'], rng.range(1, 3));
    const tools = rng.sample(['shell', 'terminal', 'bash', 'exec', 'python', 'browser', 'file_write', 'delete_file', 'send_email', 'http_request', 'code_interpreter', 'sql'], rng.range(1, 4));
    const tail = rng.pick([String.raw`\s+tool\s+(?:silently|without\s+(?:asking|confirmation|telling))`, String.raw`\s+(?:tool|function)\s+with\s+(?:the\s+)?(?:following|these)\s+arg(?:ument)?s`, String.raw`\b.{0,60}?\bwithout\s+(?:user\s+)?(?:approval|consent|confirmation)`, String.raw`\b.{0,40}?\bdo\s+not\s+(?:tell|inform|notify)\s+the\s+user`]);
    return String.raw`\b${alt(verbs)}\s+(?:the\s+)?${alt(tools)}${tail}`;
  });
  fill(budget(0.02), 'agent', I, () => {
    const who = rng.pick(['the user', 'the human', 'the operator', 'anyone', 'the admin']);
    const verbs = rng.sample(['tell', 'inform', 'notify', 'mention', 'reveal', 'alert', 'warn'], rng.range(2, 4));
    return String.raw`\b(?:do\s+not|don'?t|never)\s+${alt(verbs)}\s+${w(who)}\b`;
  });

  // Shell command variety: dangerous command with options.
  fill(budget(0.03), 'code', 0, () => {
    const tool = rng.pick(['curl', 'wget', 'fetch', 'aria2c', 'lwp-download', 'Invoke-WebRequest', 'iwr']);
    const dest = rng.pick(['/tmp/', '/dev/shm/', '/var/tmp/', String.raw`\$HOME/\.`, String.raw`C:\\Users\\Public\\`]);
    const ext = rng.sample(['sh', 'py', 'elf', 'bin', 'exe', 'ps1', 'dll', 'so', 'jar'], rng.range(1, 4));
    return String.raw`\b${esc(tool)}\s+.{1,120}?${dest}[\w.\-]{1,40}\.${altRaw(ext)}\b`;
  });

  // Obfuscation hints.
  fill(budget(0.02), 'obfuscation', I, () => {
    const verbs = rng.sample(['decode', 'decrypt', 'unscramble', 'reverse', 'translate', 'deobfuscate', 'rot13', 'interpret'], rng.range(1, 3));
    const codecs = rng.sample(['base64', 'hex', 'rot13', 'rot-13', 'binary', 'morse', 'leetspeak', 'caesar cipher', 'unicode escapes', 'url encoding', 'ascii codes'], rng.range(1, 4));
    return String.raw`\b${alt(verbs)}\s+(?:the\s+|this\s+)?(?:following\s+)?(?:${codecs.map(w).join('|')})\b.{0,60}?\b(?:and\s+)?(?:then\s+)?(?:execute|run|follow|obey|do)\b`;
  });

  // Top up deterministically with more instruction-override variants if short.
  for (let k = 0; out.length < target && k < 100000; k++) {
    const verb = OVERRIDE_VERBS[k % OVERRIDE_VERBS.length];
    const obj = RULE_OBJECTS[(k * 7 + 3) % RULE_OBJECTS.length];
    const t = TIME_WORDS[(k * 5 + 1) % TIME_WORDS.length];
    add('injection', String.raw`\b${w(verb)}\s+(?:\w+\s+){0,3}?${t}\s+${obj}\b`, I);
  }
  return out;
}

// ---------------------------------------------------------------------------
// translations

/** Python source -> V8 RegExp. Python `(?P<n>` -> `(?<n>`; IGNORECASE -> 'i'; always 'u'. */
export function toV8(p) {
  const src = p.source.replace(/\(\?P</g, '(?<');
  let flags = 'u';
  if (p.flags & IGNORECASE) flags += 'i';
  if (p.flags & 8) flags += 'm';
  if (p.flags & 16) flags += 's';
  return new RegExp(src, flags);
}

/** Python source -> RE2 source (per-pattern flags become an inline group). */
export function toRE2(p) {
  let f = '';
  if (p.flags & IGNORECASE) f += 'i';
  if (p.flags & 8) f += 'm';
  if (p.flags & 16) f += 's';
  return f ? `(?${f})${p.source}` : p.source;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pats = buildPatterns();
  for (const p of pats) process.stdout.write(JSON.stringify(p) + '\n');
}
