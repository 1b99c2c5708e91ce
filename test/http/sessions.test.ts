// Nothing one HTTP client does locks the others out or pins the gateway's
// memory, in process with an injected clock: a per-client session quota
// (idle sessions make room), cancelled requests that stop waiting at once,
// idle expiry that a request nobody answers cannot pin, answers of a dropped
// stream counted, a stream the client does not read that stops the reading
// of its upstream (and lets it go on when the client catches up, losing
// nothing), and a bounded batch.
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_EVICT_IDLE_MS } from '../../src/http/sessions.js';
import { MAX_BATCH } from '../../src/http/app.js';
import { SSE_HIGH_WATER_BYTES } from '../../src/http/sse-writer.js';
import { closeCurrent, make } from './in-process.js';
import { until } from './helpers.js';

afterEach(closeCurrent);

const sessionsOf = (t: ReturnType<typeof make>) => t.g.stats().sessions as Record<string, number>;

describe('sessions per client', () => {
  it('a client past max_sessions_per_client gets 429 while another client still gets in', async () => {
    const t = make({ max_sessions_per_client: 2 });
    await t.init('10.0.0.1');
    await t.init('10.0.0.1');
    const third = await t.req('POST', (await import('./helpers.js')).INIT, {}, '10.0.0.1');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('60');
    expect((await third.json()).error.message).toMatch(/max_sessions_per_client: 2/);
    await t.init('10.0.0.2');
    expect(sessionsOf(t)).toMatchObject({ active: 3, refused_client_quota: 1 });
  });

  it('a session idle for MIN_EVICT_IDLE_MS makes room for its client\'s new one (the least recently used goes)', async () => {
    const t = make({ max_sessions_per_client: 2 });
    const a = await t.init('10.0.0.1');
    t.advance(1000);
    const b = await t.init('10.0.0.1');
    t.advance(MIN_EVICT_IDLE_MS);
    await t.req('POST', { jsonrpc: '2.0', id: 1, method: 'ping' }, t.h(b), '10.0.0.1'); // b was used just now
    const c = await t.init('10.0.0.1');
    expect((await t.req('POST', { jsonrpc: '2.0', id: 2, method: 'ping' }, t.h(a), '10.0.0.1')).status).toBe(404);
    for (const s of [b, c]) expect((await t.req('POST', { jsonrpc: '2.0', id: 3, method: 'ping' }, t.h(s), '10.0.0.1')).status).toBe(200);
    expect(sessionsOf(t)).toMatchObject({ active: 2, evicted: 1 });
  });

  it('a full gateway evicts the least recently used idle session before refusing (503)', async () => {
    const t = make({ max_sessions: 2 });
    await t.init('10.0.0.1');
    await t.init('10.0.0.2');
    expect((await t.req('POST', (await import('./helpers.js')).INIT, {}, '10.0.0.3')).status).toBe(503);
    t.advance(MIN_EVICT_IDLE_MS);
    await t.init('10.0.0.3');
    expect(sessionsOf(t)).toMatchObject({ active: 2, evicted: 1, refused: 1 });
  });
});

describe('requests in flight', () => {
  it('a cancelled request stops waiting at once: its stream ends, nothing stays in flight, the session can expire', async () => {
    const t = make({ session_idle_s: 60 });
    const sid = await t.init();
    const res = await t.call(sid, 7, 'wait');
    expect(res.headers.get('content-type')).toMatch(/event-stream/);
    expect(sessionsOf(t).inflight_requests).toBe(1);
    const n = await t.req('POST', { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'user' } }, t.h(sid));
    expect(n.status).toBe(202);
    expect(await res.text()).toBe(''); // ended, with no answer (the spec: a cancelled request is not answered)
    expect(sessionsOf(t)).toMatchObject({ inflight_requests: 0, cancelled_requests: 1 });
    t.advance(61_000);
    await t.g.sessions.sweep();
    expect(t.g.sessions.size).toBe(0);
  });

  it('in JSON mode the cancelled request is answered -32800', async () => {
    const t = make();
    const sid = await t.init();
    const res = t.call(sid, 8, 'wait', {}, { accept: 'application/json' });
    await until(() => sessionsOf(t).inflight_requests === 1, 'the call in flight');
    await t.req('POST', { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 8 } }, t.h(sid));
    expect(await (await res).json()).toMatchObject({ id: 8, error: { code: -32800 } });
  });

  it('a request nobody answers keeps its session only as long as the gateway could answer it', async () => {
    const t = make({ session_idle_s: 60, request_timeout_s: 5 });
    const sid = await t.init();
    const res = await t.call(sid, 1, 'wait');
    t.advance(61_000); // idle long enough, but the call is young: kept
    await t.g.sessions.sweep();
    expect(t.g.sessions.size).toBe(1);
    t.advance(5_000 + 2 * 30_000 + 10_000); // past request timeout plus scan budgets: no longer pins it
    await t.g.sessions.sweep();
    expect(t.g.sessions.size).toBe(0);
    expect(await res.text()).toMatch(/session closed \(idle for too long\)/);
    void sid;
  });

  it('an answer whose stream the client dropped is counted, not silently discarded', async () => {
    const t = make();
    const sid = await t.init();
    const res = await t.call(sid, 3, 'wait');
    await until(() => t.ups.waiting === 1, 'the call at the upstream');
    await res.body!.cancel(); // the client goes away mid-request
    t.ups.release();
    await until(() => sessionsOf(t).undelivered_responses === 1, 'the undelivered answer counted');
    expect(sessionsOf(t).inflight_requests).toBe(0);
  });
});

describe('backpressure', () => {
  it('a GET stream the client does not read pauses the session\'s upstream; reading it resumes the upstream and nothing is lost', async () => {
    const t = make({}, { jsonResponse: true });
    const sid = await t.init();
    const get = await t.req('GET', undefined, { ...t.h(sid), accept: 'text/event-stream' });
    const count = 40;
    const call = t.call(sid, 1, 'flood', { count, kb: 64 }); // 2.5 MB of log messages to the GET stream
    await until(() => t.ups.paused[0], 'the upstream paused');
    // what waits for the client stays near the high-water mark, not the whole flood
    const reader = get.body!.getReader();
    let text = '';
    let seen = 0;
    while (seen < count) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      seen = (text.match(/notifications\/message/g) ?? []).length;
    }
    expect(seen).toBe(count);
    expect((await (await call).json()).result.content[0].text).toBe('flooded');
    expect(t.ups.paused[0]).toBe(false);
    await reader.cancel();
    expect(SSE_HIGH_WATER_BYTES).toBeLessThan(count * 64 * 1024);
  });
});

describe('batches', () => {
  it(`hold at most ${MAX_BATCH} messages`, async () => {
    const t = make();
    const sid = await t.init();
    const batch = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'ping' }));
    const r = await t.req('POST', batch, t.h(sid));
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/at most 64 messages/);
    expect((await t.req('POST', batch.slice(0, MAX_BATCH), t.h(sid))).status).toBe(200);
  });
});
