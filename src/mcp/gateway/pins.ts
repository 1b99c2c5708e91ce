/**
 * Tool description pinning: the first time the gateway sees a tool it keeps
 * a hash of its name, description and input schema; a later change is a
 * "rug pull" (a server that swaps a harmless description for a poisoned one
 * after it was approved), reported as a TOOL-family detection.
 */
import type { Detection } from '../../core/index.js';

/** Persistence for pins, per upstream (the adapter stores it under the user's config dir). */
export interface PinStore {
  load(upstream: string): Record<string, string>;
  save(upstream: string, pins: Record<string, string>): void;
}

export class MemoryPinStore implements PinStore {
  readonly data = new Map<string, Record<string, string>>();
  load(u: string) {
    return { ...(this.data.get(u) ?? {}) };
  }
  save(u: string, p: Record<string, string>) {
    this.data.set(u, { ...p });
  }
}

export const RUG_PULL: Omit<Detection, 'confidence'> & { confidence: number } = {
  rule_id: 'tool-rug-pull',
  family: 'TOOL',
  sub_family: 'rug_pull',
  severity: 'high',
  confidence: 0.9,
  message: 'Tool definition changed since it was first seen (possible rug pull)',
  layer: 'L1',
};

/** Canonical JSON (sorted keys), so a reordered schema is not a change. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export async function toolHash(tool: Record<string, unknown>): Promise<string> {
  const data = new TextEncoder().encode(canonical({ name: tool.name, description: tool.description ?? null, inputSchema: tool.inputSchema ?? null }));
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks a tool list against the pins of `upstream`: new tools are pinned,
 * changed ones are returned (their pins are kept, so the change stays flagged).
 */
export async function checkPins(store: PinStore, upstream: string, tools: Array<Record<string, unknown>>): Promise<Set<string>> {
  const pins = store.load(upstream);
  const changed = new Set<string>();
  let dirty = false;
  for (const t of tools) {
    const name = String(t.name);
    const h = await toolHash(t);
    if (!(name in pins)) {
      pins[name] = h;
      dirty = true;
    } else if (pins[name] !== h) changed.add(name);
  }
  if (dirty) store.save(upstream, pins);
  return changed;
}
