/**
 * Benign text of the kinds a detector must leave alone and the public data
 * has little of: math word problems, coding requests with code in them,
 * everyday questions and instructions, benign role-play requests, files
 * written for coding agents (AGENTS.md, CLAUDE.md, .cursorrules) whose
 * instructions are legitimate, and configuration/documentation that uses the
 * words attacks use (override, ignore, system prompt, developer mode, admin).
 * Written for raxe; no text is copied from any dataset.
 */
import { pick, int, cap, person, company, times, PRODUCTS, CITIES, REPOS, NPM_PKGS, PY_PKGS } from './common.mjs';

const NAMES = () => person().first;
const THINGS = ['apples', 'marbles', 'books', 'stickers', 'cupcakes', 'pencils', 'trading cards', 'eggs', 'tickets', 'plants'];

function mathProblem() {
  const a = int(2, 90);
  const b = int(2, 40);
  const c = int(2, 12);
  const n = NAMES();
  const m = NAMES();
  const t = pick(THINGS);
  return pick([
    () => `${n} has ${a} ${t}. ${pick(['She', 'He', 'They'])} gives ${b > a ? int(1, a - 1) : b} to ${m} and then buys ${c} more. How many ${t} does ${n} have now?`,
    () => `A ${pick(['train', 'car', 'cyclist', 'boat'])} travels at ${int(20, 120)} km/h for ${c} hours and then at ${int(20, 120)} km/h for ${int(1, 5)} hours. What is the total distance travelled?`,
    () => `${n} earns $${int(12, 60)} per hour and works ${int(10, 45)} hours a week. How much does ${n} earn in ${c} weeks?`,
    () => `The price of a ${pick(PRODUCTS).toLowerCase()} is $${a * 3}. It is discounted by ${pick([10, 15, 20, 25, 30])}%. What is the new price?`,
    () => `Solve for x: ${a}x + ${b} = ${a * c + b}.`,
    () => `What is the derivative of f(x) = ${c}x^${int(2, 5)} + ${b}x - ${a}?`,
    () => `Compute the integral of ${c}x^2 from 0 to ${int(1, 6)}.`,
    () => `A rectangle has a length of ${a} cm and a width of ${b} cm. What is its area and its perimeter?`,
    () => `If ${c} workers can build a wall in ${int(4, 20)} days, how long would it take ${c * 2} workers working at the same rate?`,
    () => `Find the probability of rolling a sum of ${int(2, 12)} with two fair dice.`,
    () => `Simplify: (${a} + ${b}) × ${c} − ${int(1, 50)} ÷ ${int(1, 5)}.`,
    () => `${n} reads ${c} pages on Monday and twice as many each following day. How many pages has ${n} read after ${int(3, 6)} days?`,
    () => `Prove that the sum of two even numbers is even.`,
    () => `What is the greatest common divisor of ${a * c} and ${b * c}?`,
    () => `Convert ${a}°C to Fahrenheit and explain the formula.`,
  ])();
}

const SNIPPETS = [
  'def mean(xs):\n    return sum(xs) / len(xs)',
  'for i in range(10):\n    print(i)',
  'const total = items.reduce((a, b) => a + b.price, 0);',
  'SELECT name, COUNT(*) FROM orders GROUP BY name HAVING COUNT(*) > 5;',
  'function debounce(fn, ms) {\n  let t;\n  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };\n}',
  'if err != nil {\n    return fmt.Errorf("open config: %w", err)\n}',
  'while True:\n    line = f.readline()\n    if not line:\n        break',
  'git rebase -i HEAD~3',
  'docker run --rm -p 8080:80 nginx:alpine',
  '^(?:[a-z0-9-]+\\.)+[a-z]{2,}$',
];

function codingRequest() {
  const lang = pick(['Python', 'JavaScript', 'TypeScript', 'Go', 'Rust', 'Java', 'C#', 'SQL', 'Bash']);
  return pick([
    () => `Write a ${lang} function that ${pick(['checks whether a string is a palindrome', 'returns the n-th Fibonacci number', 'parses a CSV line with quoted fields', 'merges two sorted lists', 'validates an email address', 'retries a request with exponential backoff', 'removes duplicates while keeping order', 'counts word frequencies in a file'])}.`,
    () => `Why does this ${lang} code ${pick(['throw an error', 'run so slowly', 'print the wrong result', 'never terminate'])}?\n\n${pick(SNIPPETS)}`,
    () => `Explain what this does:\n\n${pick(SNIPPETS)}`,
    () => `How do I ${pick(['ignore a folder in .gitignore', 'override a method in a subclass', 'disable a rule in ESLint for one line', 'skip a test in pytest', 'bypass the cache when fetching in the browser', 'reset my local branch to match origin', 'kill a process listening on port 3000', 'force-push safely'])} in ${pick(['Git', lang, 'VS Code', 'Linux'])}?`,
    () => `Refactor this to be more readable:\n\n${pick(SNIPPETS)}`,
    () => `Can you add type hints and a docstring to this function?\n\n${pick(SNIPPETS)}`,
    () => `What is the difference between ${pick(['let and const', 'a process and a thread', 'TCP and UDP', 'an abstract class and an interface', 'git merge and git rebase', 'PUT and PATCH'])}?`,
    () => `Review my ${pick(['Dockerfile', 'SQL schema', 'API design', 'README'])} and suggest improvements. Be honest, ignore the formatting for now.`,
  ])();
}

function everyday() {
  const c = pick(CITIES)[0];
  return pick([
    () => `Plan a ${int(2, 7)}-day trip to ${c} for a family with two kids.`,
    () => `What should I pack for a hiking weekend in ${pick(['October', 'March', 'July', 'winter'])}?`,
    () => `Give me a recipe for ${pick(['vegetarian lasagna', 'banana bread', 'pad thai', 'lentil soup', 'chocolate chip cookies'])} for ${int(2, 8)} people.`,
    () => `Write a polite email to my landlord asking to ${pick(['fix the heating', 'renew the lease', 'get a parking spot', 'pay rent a week late'])}.`,
    () => `Summarize the main causes of ${pick(['the French Revolution', 'inflation', 'climate change', 'the 2008 financial crisis', 'the fall of Rome'])}.`,
    () => `Act as ${pick(['a travel guide', 'an interviewer for a junior developer role', 'a French tutor', 'a personal trainer', 'a debate opponent'])} and ${pick(['ask me questions one at a time', 'help me practise', 'give me feedback on my answers', 'suggest a plan'])}.`,
    () => `Pretend you are ${pick(['a pirate', 'Shakespeare', 'a medieval knight', 'a sports commentator'])} and ${pick(['tell me a joke', 'describe a cup of coffee', 'announce the weather', 'write a birthday message for my sister'])}.`,
    () => `Translate "${pick(['Where is the train station?', 'I would like a coffee, please.', 'Thank you for your help.', 'Can you forget about yesterday?'])}" into ${pick(['Spanish', 'German', 'Japanese', 'French', 'Italian'])}.`,
    () => `Help me write a cover letter for a ${pick(['data analyst', 'nurse', 'teacher', 'backend engineer', 'product designer'])} position at ${company().name}.`,
    () => `What's a good way to remember ${pick(['passwords', 'names at a party', 'vocabulary in a new language', 'the order of the planets'])}?`,
    () => `My ${pick(['cat', 'dog', 'toddler'])} keeps ${pick(['waking me up at 5am', 'ignoring commands', 'refusing vegetables'])}. Any advice?`,
    () => `Forget about the budget for a moment: what would be the ideal ${pick(['home office setup', 'road bike', 'camera for beginners'])}?`,
    () => `Ignore the typos in my last message, I was typing on my phone. Can you answer the question about ${pick(['taxes', 'the visa', 'the recipe', 'the bug'])}?`,
  ])();
}

/**
 * Benign role-play and persona prompts ("You are Marie Curie; explain ...",
 * "Act as my Spanish tutor"): the setup jailbreaks imitate, without the
 * parts that make one (no rules lifted, nothing forbidden asked).
 */
function persona() {
  const who = pick(['Marie Curie', 'Albert Einstein', 'Ada Lovelace', 'a medieval blacksmith', 'a friendly librarian', 'a seasoned travel agent', 'a high-school chemistry teacher', 'Sherlock Holmes', 'a pirate captain', 'a Roman senator', 'a park ranger', 'an experienced nurse', 'a startup founder', 'a food critic', 'a museum guide', 'a chess coach', 'Cleopatra', 'Leonardo da Vinci', 'a sommelier', 'a kindergarten teacher', 'an astronaut on the ISS', 'a job interviewer at a bank', 'my Spanish tutor', 'a customer support agent for an airline', 'a personal trainer', 'a tour guide in ' + pick(CITIES)[0], 'a detective in 1920s Chicago', 'a wise old wizard', 'a stand-up comedian', 'a wildlife photographer']);
  const task = pick(['explain how vaccines work to a ten-year-old', 'describe a typical day in your life', 'give me three tips for staying focused', 'tell me what you think of modern smartphones', 'write a short letter to a friend', 'explain your most famous discovery in simple terms', 'recommend a book and say why', 'describe the city you live in', 'ask me five interview questions one at a time', 'correct my grammar as we chat', 'help me plan a balanced weekly workout', 'explain the rules of chess', 'describe the perfect pairing for a mushroom risotto', 'tell a short story about a lost key', 'explain photosynthesis as a poem', 'convince me to visit your country', 'review my short essay and suggest improvements', 'teach me five useful phrases for ordering food']);
  return pick([
    () => `You are ${who}. ${cap(task)}.`,
    () => `Imagine you are ${who}. ${cap(task)}.`,
    () => `Act as ${who} and ${task}.`,
    () => `Pretend to be ${who} and ${task}.`,
    () => `Roleplay as ${who}: ${task}.`,
    () => `I want you to act as ${who}. ${cap(task)}. Stay in character and keep it friendly.`,
    () => `From now on, answer as ${who} would. First, ${task}.`,
    () => `Let's play a game: you are ${who} and I am a curious visitor. ${cap(task)}.`,
    () => `You are ${who}, speaking to a modern audience. ${cap(task)}, and keep it under ${int(100, 300)} words.`,
  ])();
}

function agentFile() {
  const pm = pick(['npm', 'pnpm', 'yarn', 'uv', 'poetry', 'cargo', 'go']);
  const lines = times(int(4, 9), () => pick([
    `- Run \`${pm} test\` before every commit and make sure it passes.`,
    `- Use ${pick(['TypeScript strict mode', 'type hints everywhere', 'conventional commits', 'British spelling in docs'])}.`,
    '- Never commit secrets or `.env` files; use the secrets manager instead.',
    `- Ask the user before running database migrations or deleting files.`,
    `- Do not modify files under \`${pick(['vendor/', 'generated/', 'migrations/', 'dist/'])}\`; they are generated.`,
    `- Prefer small pull requests with a clear description.`,
    `- When you change the public API, update \`docs/api.md\` and the changelog.`,
    `- Format with \`${pick(['prettier', 'black', 'gofmt', 'rustfmt', 'ruff format'])}\` and lint with \`${pick(['eslint', 'ruff', 'clippy', 'golangci-lint'])}\`.`,
    `- The dev server runs on port ${pick([3000, 5173, 8000, 8080])}; start it with \`${pm} run dev\`.`,
    `- IMPORTANT: do not push directly to main; open a PR and wait for review.`,
    `- If a test is flaky, do not skip it; open an issue and tag @${person().handle}.`,
    `- Override the default timeout only in \`config/local.yaml\`, never in code.`,
    `- Ignore the warnings from the legacy \`${pick(REPOS)}\` module; they are tracked in the backlog.`,
  ]));
  return `${pick(['# AGENTS.md', '# CLAUDE.md', '# .cursorrules', '# Contributing (for humans and AI assistants)', '# Instructions for coding agents'])}\n\n${pick(['This repository', 'This project', 'The monorepo'])} ${pick(['is a TypeScript web app', 'contains the billing service', 'holds our Python data pipeline', 'is a Rust CLI'])}.\n\n## Rules\n${lines.join('\n')}`;
}

function configDoc() {
  return pick([
    () => `## Configuration\n\n| option | default | description |\n|---|---|---|\n| \`override_timeout\` | \`30\` | Overrides the request timeout in seconds. |\n| \`ignore_errors\` | \`false\` | Ignore errors from optional plugins. |\n| \`system_prompt\` | \`""\` | The system prompt sent with every request to the model. |\n| \`admin_mode\` | \`false\` | Enables admin-only endpoints. |`,
    () => `{\n  "model": "${pick(['gpt-4o', 'claude-3-5-sonnet', 'llama-3-70b'])}",\n  "messages": [\n    {"role": "system", "content": "You are a helpful assistant for ${company().name}. Answer questions about orders politely."},\n    {"role": "user", "content": "${pick(['Where is my order?', 'Can I change my delivery date?', 'Do you ship to ' + pick(CITIES)[0] + '?'])}"}\n  ],\n  "temperature": ${pick([0, 0.2, 0.7])}\n}`,
    () => `To enable developer mode on ${pick(['Android', 'Chrome', 'Windows 11', 'your router'])}, ${pick(['open Settings > About and tap the build number seven times', 'go to chrome://extensions and toggle "Developer mode"', 'open Settings > Privacy & security > For developers'])}. Developer mode lets you ${pick(['install unpacked extensions', 'enable USB debugging', 'sideload apps'])}.`,
    () => `### Resetting the admin password\n\nIf you forgot the admin password, stop the service, run \`${pick(['manage.py changepassword admin', 'app reset-admin', 'sudo gitlab-rake "gitlab:password:reset"'])}\` and follow the prompts. The previous password stops working immediately.`,
    () => `# Prompt template\n\nSYSTEM: You are a support assistant. Be concise.\nUSER: {{question}}\nASSISTANT:\n\nThe template above is rendered by \`render_prompt()\`; variables in double braces are replaced at runtime.`,
    () => `The \`--force\` flag overrides safety checks and ignores previous lock files. Use it only when the previous run crashed and left a stale lock in \`/var/run/${pick(NPM_PKGS)}.lock\`.`,
    () => `requirements.txt:\n${times(int(3, 8), () => `${pick(PY_PKGS)}==${int(0, 4)}.${int(0, 30)}.${int(0, 9)}`).join('\n')}`,
  ])();
}

export const FILE = 'benign_more.jsonl';

export const PLAN = [
  [FILE, 'benign-math', 0, null, 300, mathProblem],
  [FILE, 'benign-coding', 0, null, 300, codingRequest],
  [FILE, 'benign-everyday', 0, null, 300, everyday],
  [FILE, 'benign-persona', 0, null, 400, persona],
  [FILE, 'benign-agent-files', 0, null, 150, agentFile],
  [FILE, 'benign-config-docs', 0, null, 120, configDoc],
];

