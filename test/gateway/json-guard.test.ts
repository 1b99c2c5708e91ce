// The guards for untrusted JSON: the sniffer that recovers the id and method
// of a message too large to parse (any chunking, ids anywhere at the top
// level, nothing kept from nested levels), the iterative depth check (at the
// limit and just past it), and their use in the stdio framing and the SSE
// parser.
import { describe, expect, it } from 'vitest';
import { depthExceeds, MAX_JSON_DEPTH, MAX_SNIFFED_ID_CHARS, MessageSniffer, sniff } from '../../src/mcp/gateway/json-guard.js';
import { LineReader } from '../../src/mcp/gateway/framing.js';
import { SseParser } from '../../src/mcp/gateway/http-sse.js';

const enc = new TextEncoder();

describe('MessageSniffer', () => {
  const cases: Array<[string, ReturnType<typeof sniff>]> = [
    ['{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"id":1,"method":"x"}}', { id: 7, method: 'tools/call', response: false }],
    ['{"method":"tools/call","params":{"arguments":{"id":"inner"}},"jsonrpc":"2.0","id":"last"}', { id: 'last', method: 'tools/call', response: false }],
    ['{ "id" : -12.5e3 , "method" : "a\\"b\\u00e9" }', { id: -12500, method: 'a"bé', response: false }],
    ['{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}}', { method: 'notifications/message', response: false }],
    ['{"jsonrpc":"2.0","id":3,"result":{"content":[{"id":9}]}}', { id: 3, response: true }],
    ['{"jsonrpc":"2.0","error":{"code":1},"id":"é"}', { id: 'é', response: true }],
    ['{"id":{"a":1},"method":"m"}', { method: 'm', response: false }],
    ['{"id":null,"method":"m"}', { method: 'm', response: false }],
    ['{"id":true}', { response: false }],
    ['[{"id":1,"method":"m"}]', { response: false }],
    ['garbage "id": 5', { response: false }],
    ['{"params":"a \\\\\\" } \\" { [","id":4}', { id: 4, response: false }],
  ];

  it('recovers the top-level id and method, whatever the chunking', () => {
    for (const [text, want] of cases) {
      expect(sniff(text), text).toEqual(want);
      const bytes = enc.encode(text);
      for (const size of [1, 2, 3, 7]) {
        const s = new MessageSniffer();
        for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
        expect(s.result(), `${text} by ${size}`).toEqual(want);
      }
    }
  });

  it('keeps ids up to MAX_SNIFFED_ID_CHARS and gives up on longer ones', () => {
    const at = 'i'.repeat(MAX_SNIFFED_ID_CHARS);
    expect(sniff(`{"id":"${at}","method":"m"}`).id).toBe(at);
    expect(sniff(`{"id":"${at}i","method":"m"}`).id).toBeUndefined();
  });

  it('reads a 20 MB message in one pass with nothing of it kept', () => {
    const s = new MessageSniffer();
    s.push(enc.encode('{"method":"tools/call","params":{"text":"'));
    const chunk = enc.encode('x'.repeat(1 << 20));
    for (let i = 0; i < 20; i++) s.push(chunk);
    s.push(enc.encode('"},"jsonrpc":"2.0","id":42}'));
    expect(s.result()).toEqual({ id: 42, method: 'tools/call', response: false });
  });
});

describe('depthExceeds', () => {
  const deep = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));

  it('accepts MAX_JSON_DEPTH levels and refuses one more, in objects and arrays alike', () => {
    expect(depthExceeds(deep(MAX_JSON_DEPTH))).toBe(false);
    expect(depthExceeds(deep(MAX_JSON_DEPTH + 1))).toBe(true);
    let o: unknown = {};
    for (let i = 1; i < MAX_JSON_DEPTH; i++) o = { a: [1, 'x'], b: o };
    expect(depthExceeds(o)).toBe(false);
    expect(depthExceeds({ wrap: o })).toBe(true);
    expect(depthExceeds('text')).toBe(false);
  });

  it('checks 100,000 levels without overflowing the stack', () => {
    expect(depthExceeds(deep(100_000))).toBe(true);
  });
});

describe('framing of oversized lines', () => {
  it('reports the id of a discarded line and reads the next line normally', () => {
    const lines: string[] = [];
    const big: Array<[number, unknown]> = [];
    const r = new LineReader(64, { line: (l) => lines.push(l), tooLarge: (n, head) => big.push([n, head]) });
    const huge = `{"method":"tools/call","params":{"t":"${'x'.repeat(200)}"},"id":"h"}`;
    const text = `${huge}\n{"id":1}\n`;
    for (let i = 0; i < text.length; i += 10) r.push(enc.encode(text.slice(i, i + 10)));
    expect(big).toEqual([[huge.length, { id: 'h', method: 'tools/call', response: false }]]);
    expect(lines).toEqual(['{"id":1}']);
  });
});

describe('SSE events over the limit', () => {
  it('are reported when they end, with the id of the response they carried', () => {
    const events: string[] = [];
    const big: unknown[] = [];
    const p = new SseParser(64, { event: (e) => events.push(e.data), tooLarge: (_n, head) => big.push(head) });
    p.push(`event: message\ndata: {"jsonrpc":"2.0","result":{"t":"${'x'.repeat(50)}`);
    p.push(`"},\ndata: "id":9}\n\n`);
    p.push(`data: {"jsonrpc":"2.0","method":"m","params":"${'y'.repeat(300)}`);
    p.push(`"}\n\ndata: ok\n\n`);
    expect(big).toEqual([{ id: 9, response: true }, { method: 'm', response: false }]);
    expect(events).toEqual(['ok']);
  });
});
