/**
 * Node adapter for --scan-tools: starts a stdio server with the official SDK
 * client, lists its tools, prompts, resources and templates within a
 * deadline, and stops it. Failures come back as a reason, never a throw.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Listing, ProbeTarget } from '../tools.js';

const MAX_PAGES = 50;

function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] ?? '').replace(/^MCP error -?\d+: /, '').slice(0, 160) || 'unknown error';
}

/** Lists one command's server; resolves with the listing or a reason. */
export async function listServer(argv: string[], env: Record<string, string>, cwd: string | undefined, timeoutMs: number): Promise<{ listing?: Listing; error?: string }> {
  const transport = new StdioClientTransport({ command: argv[0], args: argv.slice(1), env: { ...getDefaultEnvironment(), ...env }, cwd, stderr: 'ignore' });
  const client = new Client({ name: 'raxe-audit', version: '0.1.0' }, { capabilities: {} });
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s (--timeout)`)), timeoutMs);
  });
  const work = async (): Promise<Listing> => {
    await client.connect(transport, { timeout: left() });
    const caps = client.getServerCapabilities() ?? {};
    const pages = async <T>(fetch: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> => {
      const out: T[] = [];
      let cursor: string | undefined;
      for (let k = 0; k < MAX_PAGES; k++) {
        const r = await fetch(cursor);
        out.push(...r.items);
        if (!r.next) break;
        cursor = r.next;
      }
      return out;
    };
    const opts = () => ({ timeout: left() });
    const tools = caps.tools ? await pages(async (cursor) => {
      const r = await client.listTools(cursor ? { cursor } : {}, opts());
      return { items: r.tools as Record<string, unknown>[], next: r.nextCursor };
    }) : [];
    const prompts = caps.prompts ? await pages(async (cursor) => {
      const r = await client.listPrompts(cursor ? { cursor } : {}, opts());
      return { items: r.prompts as Record<string, unknown>[], next: r.nextCursor };
    }) : [];
    const resources = caps.resources ? await pages(async (cursor) => {
      const r = await client.listResources(cursor ? { cursor } : {}, opts());
      return { items: r.resources as Record<string, unknown>[], next: r.nextCursor };
    }) : [];
    const resourceTemplates = caps.resources ? await pages(async (cursor) => {
      const r = await client.listResourceTemplates(cursor ? { cursor } : {}, opts());
      return { items: r.resourceTemplates as Record<string, unknown>[], next: r.nextCursor };
    }).catch(() => []) : [];
    return { tools, prompts, resources, resourceTemplates };
  };
  try {
    return { listing: await Promise.race([work(), expired]) };
  } catch (e) {
    return { error: reason(e) };
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
  }
}

/** Lists every target, `concurrency` at a time; a gateway entry's upstreams are merged into one listing. */
export async function listAll(targets: ProbeTarget[], timeoutMs: number, concurrency = 4): Promise<Map<number, { listing: Listing; error?: string }>> {
  const out = new Map<number, { listing: Listing; error?: string }>();
  const jobs = targets.flatMap((t) => t.commands.map((argv) => ({ t, argv })));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { t, argv } = jobs[next++];
      const r = await listServer(argv, t.env, t.cwd, timeoutMs);
      const acc = out.get(t.view) ?? { listing: { tools: [], prompts: [], resources: [], resourceTemplates: [] } };
      if (r.listing) for (const k of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) acc.listing[k].push(...r.listing[k]);
      if (r.error) acc.error = acc.error ? `${acc.error}; ${r.error}` : r.error;
      out.set(t.view, acc);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return out;
}
