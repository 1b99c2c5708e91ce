// The legitimate side of every channel: the SDK's server-everything behind
// `raxe mcp gateway --on-threat block --severity-threshold LOW`, next to a
// direct SDK connection to its own copy. Its instructions, tool, prompt,
// resource and template definitions, resource links, embedded text and blob
// resources, images, gzip blobs, structured content, annotations, completions
// and task-based tools pass unchanged — no false block, no unscanned
// content, no decision line above "allow".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { EVERYTHING_SERVER, everythingCmd, NODE, removeTemps, startGateway, statsFromStderr, type Gw } from './helpers.js';

let gw: Gw;
let direct: Client;

beforeAll(async () => {
  direct = new Client({ name: 'direct', version: '1.0.0' });
  [gw] = await Promise.all([
    startGateway({ args: ['-u', everythingCmd(), '--on-threat', 'block', '--severity-threshold', 'LOW', '--no-l2'] }),
    direct.connect(new StdioClientTransport({ command: NODE, args: [EVERYTHING_SERVER, 'stdio'], env: getDefaultEnvironment(), stderr: 'ignore' })),
  ]);
});
afterAll(async () => {
  await Promise.all([gw?.close(), direct?.close()]);
  removeTemps();
});

/** What a result looks like without its volatile parts (timestamps, session ids). */
const shape = (r: unknown) => JSON.parse(JSON.stringify(r).replace(/\b[0-9a-f]{32}\b/g, 'ID').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|\d{13}/g, 'T').replace(/[A-Za-z0-9+/]{40,}={0,2}/g, 'B64'));

describe('server-everything under block, threshold LOW', () => {
  it('instructions and every definition pass unchanged', async () => {
    expect(gw.client.getInstructions()).toBe(direct.getInstructions());
    expect(gw.client.getInstructions()!.length).toBeGreaterThan(200);
    const [a, b] = await Promise.all([gw.client.listTools(), direct.listTools()]);
    expect(a.tools).toEqual(b.tools);
    expect((await gw.client.listPrompts()).prompts).toEqual((await direct.listPrompts()).prompts);
    expect((await gw.client.listResources()).resources).toEqual((await direct.listResources()).resources);
    expect((await gw.client.listResourceTemplates()).resourceTemplates).toEqual((await direct.listResourceTemplates()).resourceTemplates);
  });

  const CALLS: Array<[string, Record<string, unknown>]> = [
    ['get-resource-links', { count: 4 }],
    ['get-resource-reference', { resourceType: 'Text', resourceId: 2 }],
    ['get-resource-reference', { resourceType: 'Blob', resourceId: 3 }],
    ['get-structured-content', { location: 'Chicago' }],
    ['get-annotated-message', { messageType: 'error', includeImage: true }],
    ['get-tiny-image', {}],
    ['gzip-file-as-resource', { name: 'notes.txt.gz', data: `data:text/plain;base64,${Buffer.from('Meeting notes: ship on Friday.\n'.repeat(50)).toString('base64')}`, outputType: 'resource' }],
    ['get-sum', { a: 2, b: 40 }],
  ];

  it.each(CALLS.map(([n, a]) => [`${n} ${JSON.stringify(a).slice(0, 60)}`, n, a] as const))('%s passes unchanged', async (_label, name, args) => {
    const [a, b] = await Promise.all([
      gw.client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
      direct.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    ]);
    expect(a.isError).toBeFalsy();
    expect(a._meta?.raxe).toBeUndefined();
    expect(shape(a)).toEqual(shape(b));
  });

  it('resources (text and base64 blob) and completions pass unchanged', async () => {
    for (const uri of ['demo://resource/dynamic/text/1', 'demo://resource/dynamic/blob/1']) {
      const [a, b] = await Promise.all([gw.client.readResource({ uri }), direct.readResource({ uri })]);
      expect(shape(a)).toEqual(shape(b));
    }
    const ask = { ref: { type: 'ref/prompt' as const, name: 'completable-prompt' }, argument: { name: 'department', value: 'E' } };
    expect(await gw.client.complete(ask)).toEqual(await direct.complete(ask));
  });

  it('a task-based tool runs through tasks/get and tasks/result', async () => {
    const run = async (c: Client) => {
      const types: string[] = [];
      for await (const m of c.experimental.tasks.callToolStream({ name: 'simulate-research-query', arguments: { topic: 'tide pools' } }, CallToolResultSchema, { task: { ttl: 60_000 } })) {
        types.push(m.type);
        if (m.type === 'result') return { types, result: m.result as CallToolResult };
        if (m.type === 'error') throw m.error;
      }
      throw new Error('no result');
    };
    const [a, b] = await Promise.all([run(gw.client), run(direct)]);
    expect(a.types[0]).toBe('taskCreated');
    expect(a.result.isError).toBeFalsy();
    expect(shape(a.result)).toEqual(shape(b.result));
  });

  it('nothing was blocked, withheld or unscanned; no decision above allow', async () => {
    const stderr = await gw.close();
    gw = undefined as never;
    const s = statsFromStderr(stderr);
    expect(s).toMatchObject({ requests_blocked: 0, entries_withheld: 0, unscanned: 0, notifications_blocked: 0 });
    expect(stderr).not.toMatch(/ action=(log|warn|block) /);
  });
});
