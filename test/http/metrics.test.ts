// GET /metrics: parsed by a Prometheus text-format parser and checked
// against the calls made (in process: the app as a fetch handler in front of
// an SDK server on an in-memory transport).
import { afterEach, describe, expect, it } from 'vitest';
import parse from 'parse-prometheus-text-format';
import { closeCurrent, make } from './in-process.js';
import { ATTACK } from './helpers.js';

afterEach(closeCurrent);

type Family = { name: string; type: string; metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }> };

function scrape(text: string) {
  const fams = parse(text) as Family[];
  const fam = (name: string) => fams.find((f) => f.name === name);
  // (this parser folds a histogram's labelled series into one: their counts are read from the _count lines)
  const count = (name: string, labels: string) => {
    expect(fam(name)?.type).toBe('HISTOGRAM');
    const m = new RegExp(`^${name}_count\\{${labels}\\} (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  /** The sum of a family's samples whose labels include `labels`. */
  const sum = (name: string, labels: Record<string, string> = {}) =>
    (fam(name)?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)).reduce((n, m) => n + Number(m.value ?? m.count ?? 0), 0);
  return { fams, fam, sum, count };
}

describe('GET /metrics', () => {
  it('counts requests, decisions by action/family/severity/point, rate-limit refusals, scans, sizes and sessions as they happened', async () => {
    const t = make({ default_policy: { on_threat: 'block', rate_limit_rpm: 6 } });
    const sid = await t.init();
    // one after the other (the first one also fetches the tool list, from the gateway's own bucket)
    const bodies: string[] = [];
    for (let i = 0; i < 5; i++) bodies.push(await (await t.call(sid, 10 + i, 'echo', { text: `hello ${i}` })).text());
    bodies.push(await (await t.call(sid, 20, 'echo', { text: ATTACK })).text());
    bodies.push(await (await t.call(sid, 21, 'echo', { text: 'one too many' })).text());
    expect(bodies[5]).toContain('-32001');
    expect(bodies[6]).toContain('-32000');

    const m = await t.g.fetch(new Request('http://127.0.0.1:8080/metrics'), { remoteAddress: '127.0.0.1' });
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await m.text();
    const { fam, sum, count } = scrape(text);

    expect(sum('raxe_mcp_requests_total', { method: 'initialize' })).toBe(1);
    expect(sum('raxe_mcp_requests_total', { method: 'tools/call' })).toBe(7);
    // the attack: blocked at the tool_call point, once per family it was detected as
    const blocked = fam('raxe_decisions_total')!.metrics.filter((x) => x.labels?.action === 'block' && x.labels.point === 'tool_call');
    expect(blocked.length).toBeGreaterThan(0);
    for (const b of blocked) expect(b.labels!.family).not.toBe('none');
    expect(blocked.every((b) => ['high', 'critical'].includes(b.labels!.severity))).toBe(true);
    expect(sum('raxe_decisions_total', { action: 'block', point: 'rate_limit' })).toBe(1);
    expect(sum('raxe_rate_limited_total', { bucket: 'mem' })).toBe(1);
    expect(sum('raxe_rate_limited_total')).toBe(1);
    // scans: 5 clean calls scanned both ways, the attack's request, the 4 tool descriptions (at least)
    expect(count('raxe_scan_duration_seconds', 'layer="l1"')).toBeGreaterThanOrEqual(5 * 2 + 1 + 4);
    expect(text).toMatch(new RegExp(`^raxe_scan_duration_seconds_bucket\\{layer="l1",le="\\+Inf"\\} ${count('raxe_scan_duration_seconds', 'layer="l1"')}$`, 'm'));
    expect(count('raxe_scan_duration_seconds', 'layer="l2"')).toBe(0); // (this scanner has no L2)
    // sizes: one "in" per POST (initialize + 7 calls), one "out" per answer
    expect(count('raxe_message_bytes', 'direction="in"')).toBe(8);
    expect(count('raxe_message_bytes', 'direction="out"')).toBeGreaterThanOrEqual(8);
    expect(count('raxe_upstream_request_duration_seconds', 'upstream="mem"')).toBe(5); // the 5 clean calls
    expect(sum('raxe_sessions')).toBe(1);
    expect(sum('raxe_sessions_created_total')).toBe(1);
    expect(sum('raxe_upstream_connections', { upstream: 'mem', state: 'ready' })).toBe(1);
    expect(sum('raxe_http_responses_total', { code: '200' })).toBe(8);
    expect(sum('raxe_state_connected', { backend: 'local' })).toBe(1);
    // privacy: nothing of the attack's text
    expect(text).not.toContain('Ignore all');
    expect(text).not.toContain('hello');
  });

  it('is behind the token, like /stats', async () => {
    const t = make({ token: 's3cret' });
    const get = (auth?: string) => t.g.fetch(new Request('http://127.0.0.1:8080/metrics', { headers: auth ? { authorization: auth } : {} }), { remoteAddress: '127.0.0.1' });
    expect((await get()).status).toBe(401);
    expect((await get('Bearer nope')).status).toBe(401);
    const ok = await get('Bearer s3cret');
    expect(ok.status).toBe(200);
    expect(scrape(await ok.text()).fam('raxe_sessions')).toBeDefined();
  });

  it('labels a method no one knows as "other" (a client cannot grow the series)', async () => {
    const t = make();
    const sid = await t.init();
    for (let i = 0; i < 3; i++) await (await t.req('POST', { jsonrpc: '2.0', id: i + 1, method: `x/custom-${i}` }, t.h(sid))).text();
    const text = await (await t.g.fetch(new Request('http://127.0.0.1:8080/metrics'), { remoteAddress: '127.0.0.1' })).text();
    expect(scrape(text).sum('raxe_mcp_requests_total', { method: 'other' })).toBe(3);
    expect(text).not.toContain('custom-');
  });
});
