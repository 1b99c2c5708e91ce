/**
 * Shared by the L2 data generators: a seeded PRNG per generator (so editing
 * one generator never reshuffles another), small random helpers, the {a|b}
 * variant expander, dates, and word lists (names, companies, repos, cities...).
 * Everything here is written for raxe; nothing is copied from public datasets.
 */
export const SEED = 0x1a2b3c4d;

// ---------------------------------------------------------------------------
// PRNG and helpers
// ---------------------------------------------------------------------------

export function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function sfc32(a, b, c, d) {
  return function () {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export function makeRng(name) {
  const h = fnv1a(name);
  const r = sfc32(SEED, h, h ^ 0x9e3779b9, fnv1a(name + '#'));
  for (let i = 0; i < 15; i++) r();
  return r;
}

/** The current generator's PRNG (set by the driver before each generator runs, see useRng). */
export let R = makeRng('init');

/** Switches every helper to the PRNG of generator `name` (each generator has its own stream). */
export function useRng(name) {
  R = makeRng(name);
}

export const rnd = () => R();
export const int = (a, b) => a + Math.floor(R() * (b - a + 1));
export const chance = (p) => R() < p;
export const pick = (arr) => arr[Math.floor(R() * arr.length)];
export function picks(arr, n) {
  const a = arr.slice();
  const out = [];
  n = Math.min(n, a.length);
  for (let i = 0; i < n; i++) out.push(a.splice(Math.floor(R() * a.length), 1)[0]);
  return out;
}
export function shuffle(arr) {
  const a = arr.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(R() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
export function weighted(pairs) {
  let total = 0;
  for (const [, w] of pairs) total += w;
  let x = R() * total;
  for (const [v, w] of pairs) if ((x -= w) < 0) return v;
  return pairs[pairs.length - 1][0];
}
export const times = (n, f) => Array.from({ length: n }, (_, i) => f(i));
export const hex = (n) => times(n, () => '0123456789abcdef'[int(0, 15)]).join('');
export const HEXU = '0123456789ABCDEF';
export const alnum = (n) => times(n, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[int(0, 35)]).join('');
export const ALNUM_UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`;
export const pad = (n, w = 2) => String(n).padStart(w, '0');
export const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
export const an = (w) => (/^(?:[aeiou]|hour|LLM|AI|API|SQL|SSO|MCP)/i.test(w) ? 'an' : 'a');
export const money = (a, b) => (a + R() * (b - a)).toFixed(2);
export const fmtInt = (n) => n.toLocaleString('en-US');

/** Expands {a|b|c} alternations (innermost first; groups without '|' are left alone). */
export function v(s) {
  const re = /\{([^{}]*\|[^{}]*)\}/;
  let guard = 0;
  while (re.test(s) && guard++ < 200) s = s.replace(re, (_, body) => pick(body.split('|')));
  return s;
}

// --- dates (UTC, deterministic) ---
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const T0 = Date.UTC(2023, 0, 1);
export const date = () => new Date(T0 + Math.floor(R() * 2.75 * 365 * 86400) * 1000);
export const later = (d, maxSec) => new Date(d.getTime() + int(1, maxSec) * 1000);
export const isoDate = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
export const hms = (d) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
export const iso = (d, ms = false) => `${isoDate(d)}T${hms(d)}${ms ? '.' + pad(int(0, 999), 3) : ''}Z`;
export const apacheTime = (d) => `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${hms(d)} +0000`;
export const syslogTime = (d) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)}`;
export const rfc2822 = (d) => `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms(d)} ${pick(['+0000', '+0100', '+0200', '-0500', '-0700', '+0530', '+0900'])}`;
export const gitDate = (d) => `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${hms(d)} ${d.getUTCFullYear()} ${pick(['+0000', '+0100', '+0200', '-0400', '-0700', '+0530'])}`;
export const lsTime = (d) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${chance(0.7) ? pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) : ' ' + d.getUTCFullYear()}`;
export const longDate = (d) => `${DAYS_LONG[d.getUTCDay()]}, ${MONTHS_LONG[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
export const hm = (d) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

export const FIRST = ['Aisha', 'Mateo', 'Priya', 'Lukas', 'Chen', 'Olivia', 'Kwame', 'Sofia', 'Hiroshi', 'Fatima', 'Noah', 'Ingrid', 'Diego', 'Yuki', 'Amara', 'Ravi', 'Elena', 'Tomasz', 'Zainab', 'Liam', 'Mei', 'Jonas', 'Camila', 'Arjun', 'Freya', 'Omar', 'Hannah', 'Kenji', 'Nadia', 'Pedro', 'Sanna', 'Tariq', 'Chloe', 'Dmitri', 'Leila', 'Marcus', 'Ana', 'Bilal', 'Greta', 'Jamal', 'Rosa', 'Ethan', 'Ifeoma', 'Viktor', 'Lucia', 'Sipho', 'Maya', 'Henrik', 'Aylin', 'Gabriel', 'Wei', 'Isabel', 'Kofi', 'Anneke', 'Rahul', 'Beatriz', 'Samir', 'Emily', 'Jun', 'Grace'];
export const LAST = ['Okafor', 'Silva', 'Sharma', 'Müller', 'Wang', 'Johnson', 'Mensah', 'Rossi', 'Tanaka', 'Haddad', 'Williams', 'Larsen', 'García', 'Sato', 'Nwosu', 'Patel', 'Petrova', 'Kowalski', 'Ahmed', "O'Brien", 'Lin', 'Becker', 'Torres', 'Iyer', 'Nilsson', 'Farouk', 'Schmidt', 'Nakamura', 'Karimi', 'Costa', 'Virtanen', 'Rahman', 'Dubois', 'Ivanov', 'Mansour', 'Brown', 'Ferreira', 'Chaudhry', 'Lindqvist', 'Abdi', 'Novak', 'Kim', 'Park', 'Nguyen', 'Lopez', 'Kaplan', 'Eze', 'Horvath', 'Yilmaz', 'Moreau', 'Fischer', 'Adeyemi', 'Jensen', 'Reyes', 'Zhou', 'Walsh'];
export const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Northwind Traders', 'Contoso', 'Fabrikam', 'Tailspin Toys', 'Lumen Freight', 'Quartzline', 'Brightpath Learning', 'Harborview Bank', 'Kestrel Robotics', 'Mosaic Foods', 'Orbital Print', 'Redwood Dental', 'Silverleaf Insurance', 'Tidewater Energy', 'Vantage Retail', 'Zephyr Outdoor', 'Halcyon Studios', 'Ironbark Mining', 'Juniper Clinics', 'Meridian Travel', 'Nimbus Cloudworks', 'Oakridge Legal', 'Parallax Games', 'Riverside Books', 'Summit Fitness', 'Trellis HR', 'Wildflower Bakery'];
export const slug = (s) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
export const TLDS = ['com', 'io', 'dev', 'co', 'net', 'org', 'app'];
export function company() {
  const name = pick(COMPANIES);
  const s = slug(name.replace(/ (Corp|Inc)$/, ''));
  return { name, slug: s, domain: `${s.replace(/-/g, '')}.${pick(TLDS)}` };
}
export function person(domain) {
  const first = pick(FIRST);
  const last = pick(LAST);
  const d = domain ?? company().domain;
  const f = slug(first);
  const l = slug(last);
  const email = `${pick([`${f}.${l}`, `${f}`, `${f[0]}${l}`, `${f}_${l}`, `${f}${l[0]}`])}@${d}`;
  return { first, last, full: `${first} ${last}`, email, handle: pick([`${f}${l[0]}`, `${f}-${l}`, `${f}${int(1, 99)}`, `${f[0]}${l}`, `${f}.${l}`]) };
}
export const REPOS = ['billing-service', 'web-frontend', 'data-pipeline', 'auth-gateway', 'mobile-app', 'infra', 'ml-platform', 'search-indexer', 'notification-worker', 'inventory-api', 'design-system', 'docs-site', 'cli', 'analytics-etl', 'payments-core', 'reporting', 'scheduler', 'image-resizer', 'chat-backend', 'feature-flags', 'customer-portal', 'edge-proxy', 'geo-service', 'ledger', 'recommendations', 'terraform-modules', 'helm-charts', 'admin-dashboard', 'event-bus', 'pdf-renderer'];
export const ORGS = ['acme', 'globex-eng', 'initech', 'northwind', 'contoso-labs', 'kestrel-robotics', 'quartzline', 'lumen', 'harborview', 'tidewater-dev', 'mosaic-foods', 'parallax'];
export const CITIES = [
  ['Lisbon', 38.72, -9.14], ['Nairobi', -1.29, 36.82], ['Osaka', 34.69, 135.5], ['Toronto', 43.65, -79.38], ['Berlin', 52.52, 13.4], ['São Paulo', -23.55, -46.63], ['Mumbai', 19.08, 72.88], ['Seattle', 47.61, -122.33], ['Reykjavík', 64.15, -21.94], ['Cape Town', -33.92, 18.42], ['Melbourne', -37.81, 144.96], ['Mexico City', 19.43, -99.13], ['Helsinki', 60.17, 24.94], ['Singapore', 1.35, 103.82], ['Denver', 39.74, -104.99], ['Cairo', 30.04, 31.24], ['Dublin', 53.35, -6.26], ['Seoul', 37.57, 126.98], ['Austin', 30.27, -97.74], ['Warsaw', 52.23, 21.01], ['Lagos', 6.52, 3.38], ['Vancouver', 49.28, -123.12], ['Istanbul', 41.01, 28.98], ['Bogotá', 4.71, -74.07],
];
export const CONDITIONS = ['Clear', 'Partly cloudy', 'Overcast', 'Light rain', 'Heavy rain', 'Thunderstorms', 'Fog', 'Light snow', 'Drizzle', 'Sunny', 'Windy', 'Scattered showers'];
export const PRODUCTS = ['Trail Running Shoes', 'Espresso Grinder', 'Noise-Cancelling Headphones', 'Standing Desk Frame', 'Ceramic Pour-Over Set', 'USB-C Dock', 'Merino Wool Beanie', 'Cast Iron Skillet 26cm', 'Ergonomic Office Chair', 'Waterproof Hiking Jacket', 'Mechanical Keyboard (TKL)', 'LED Desk Lamp', '4K Monitor 27"', 'Yoga Mat 6mm', 'Insulated Water Bottle 750ml', 'Wireless Mouse', 'Backpack 28L', 'Bamboo Cutting Board', 'Smart Thermostat', 'Electric Kettle'];
export const TEAMS = ['platform', 'payments', 'growth', 'data', 'mobile', 'infra', 'security', 'support-tools', 'search', 'identity', 'frontend', 'ml'];
export const ENVS = ['production', 'staging', 'dev', 'qa', 'eu-prod', 'us-prod'];
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
export const HTTP_PATHS = ['/api/v1/users', '/api/v1/orders', '/api/v2/orders/{id}', '/health', '/metrics', '/login', '/static/js/main.{h}.js', '/static/css/app.{h}.css', '/api/v1/search', '/api/v1/products/{id}', '/checkout', '/cart', '/favicon.ico', '/robots.txt', '/api/v1/invoices', '/api/v1/sessions', '/graphql', '/webhooks/stripe', '/api/v1/reports/export', '/docs/getting-started', '/images/hero.webp', '/api/v2/customers/{id}/addresses', '/sitemap.xml', '/api/v1/notifications'];
export const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'curl/8.5.0', 'python-requests/2.31.0', 'Go-http-client/1.1', 'kube-probe/1.29', 'Prometheus/2.51.0', 'okhttp/4.12.0', 'axios/1.6.8', 'Googlebot/2.1 (+http://www.google.com/bot.html)',
];
export const ip = () => `${pick([10, 172, 192, 34, 52, 81, 93, 104, 151, 185, 203])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
export const privIp = () => pick([`10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`, `192.168.${int(0, 20)}.${int(2, 254)}`, `172.${int(16, 31)}.${int(0, 255)}.${int(1, 254)}`]);
export const path = (p) => p.replace('{id}', String(int(1, 99999))).replace('{h}', hex(8));
export const semver = () => `${int(0, 5)}.${int(0, 30)}.${int(0, 20)}`;
export const NPM_PKGS = ['express', 'react', 'react-dom', 'zod', 'lodash', 'axios', 'dayjs', 'pino', 'fastify', 'vite', 'vitest', 'typescript', 'eslint', 'prettier', '@types/node', 'next', 'prisma', 'jsonwebtoken', 'commander', 'chalk', 'uuid', 'dotenv', 'ws', 'redis', 'pg', 'tailwindcss', 'esbuild', 'yaml', 'undici', 'tsx'];
export const PY_PKGS = ['requests', 'numpy', 'pandas', 'fastapi', 'uvicorn', 'pydantic', 'sqlalchemy', 'pytest', 'httpx', 'boto3', 'click', 'rich', 'alembic', 'celery', 'redis', 'scipy', 'matplotlib', 'psycopg2-binary', 'jinja2', 'python-dateutil', 'orjson', 'tenacity'];
export const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'orbit', 'harbor', 'maple', 'cobalt', 'falcon', 'juniper', 'nova', 'ember', 'summit', 'atlas', 'lumen', 'quartz', 'willow', 'cedar', 'onyx', 'tango'];
export const TABLES = {
  users: ['id', 'email', 'full_name', 'created_at', 'plan', 'is_active'],
  orders: ['id', 'customer_id', 'status', 'total_cents', 'currency', 'created_at'],
  invoices: ['id', 'account_id', 'amount', 'due_date', 'status'],
  events: ['id', 'type', 'user_id', 'occurred_at', 'source'],
  products: ['sku', 'name', 'price', 'stock', 'category'],
  deployments: ['id', 'service', 'version', 'env', 'status', 'finished_at'],
  tickets: ['id', 'title', 'priority', 'assignee', 'state', 'updated_at'],
  sessions: ['id', 'user_id', 'ip', 'user_agent', 'started_at'],
};
export const COMMIT_MSGS = ['fix: handle empty cart on checkout', 'feat(api): add pagination to /orders', 'chore(deps): bump {pkg} from {v1} to {v2}', 'refactor: extract retry logic into helper', 'docs: update README with local setup steps', 'test: add coverage for invoice rounding', 'fix(auth): refresh token before expiry', 'perf: cache product lookups for 60s', 'ci: run integration tests on merge queue', 'feat: support CSV export for reports', 'fix: off-by-one in date range filter', 'build: switch to esbuild for bundling', 'feat(ui): dark mode toggle in settings', 'fix: close db connections on shutdown', 'chore: remove unused feature flag old-checkout', 'feat(search): boost exact title matches', 'fix(worker): avoid double-sending notifications', 'revert: "feat: experimental streaming export"', 'style: apply prettier to src/', 'feat(billing): prorate plan upgrades mid-cycle', 'fix: escape user input in email templates', 'chore: rename env var DB_URL to DATABASE_URL', 'fix(k8s): raise memory limit for indexer to 1Gi', 'feat: add /health/ready endpoint', 'fix: timezone handling in scheduler'];
export const commitMsg = () => pick(COMMIT_MSGS).replace('{pkg}', pick(NPM_PKGS)).replace('{v1}', semver()).replace('{v2}', semver());
export const SRC_FILES = ['src/index.ts', 'src/server.ts', 'src/routes/orders.ts', 'src/lib/retry.ts', 'src/components/Header.tsx', 'src/utils/date.ts', 'app/main.py', 'app/models.py', 'app/api/routes.py', 'app/services/billing.py', 'cmd/server/main.go', 'internal/store/postgres.go', 'internal/http/handler.go', 'src/main.rs', 'src/config.rs', 'src/lib.rs', 'scripts/deploy.sh', 'migrations/0042_add_invoice_status.sql', 'README.md', 'package.json', 'Dockerfile', '.github/workflows/ci.yml', 'tests/test_billing.py', 'src/__tests__/retry.test.ts'];

// Generic business/tech vocabulary used in prose generators.
export const TOPICS = ['the Q3 roadmap', 'the billing migration', 'onboarding for new hires', 'the on-call rotation', 'the office move', 'the vendor contract renewal', 'the mobile release', 'the data retention policy', 'the customer survey results', 'the API deprecation timeline', 'the hiring plan', 'the incident review', 'the design system refresh', 'the budget for next year', 'the offsite agenda', 'SOC 2 evidence collection', 'the warehouse inventory count', 'the new pricing page'];
