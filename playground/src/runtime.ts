/**
 * Everything the page fetches, from its own origin and nothing else: the
 * engine wasm, the built-in rules (their YAML text), and — when the build
 * found a model — the L2 model with onnxruntime-web's wasm files.
 */
import { createL2, loadEngine, type Engine, type L2Runtime, type OrtLike } from '../../src/core/index.js';

/** A built-in rule file, as playground/build.js writes it into rules.json. */
export interface BuiltinRule {
  rule_id: string;
  family: string;
  name: string;
  severity: string;
  file: string;
  text: string;
}

export interface Runtime {
  engine: Engine;
  builtin: BuiltinRule[];
  /** null when the build had no model (or it failed to load: see l2Problem). */
  l2: L2Runtime | null;
  l2Problem?: string;
}

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return res;
}

/** Loads the engine and the built-in rules; L2 is set up but its session is created on first use. */
export async function loadRuntime(base: URL): Promise<Runtime> {
  const [wasm, builtin] = await Promise.all([
    fetchOk(new URL('raxe.wasm', base)).then((r) => r.arrayBuffer()),
    fetchOk(new URL('rules.json', base)).then((r) => r.json() as Promise<BuiltinRule[]>),
  ]);
  const engine = await loadEngine(new Uint8Array(wasm));
  const rt: Runtime = { engine, builtin, l2: null };
  try {
    rt.l2 = await loadL2(base, engine);
  } catch (e) {
    rt.l2Problem = e instanceof Error ? e.message : String(e);
  }
  return rt;
}

async function loadL2(base: URL, engine: Engine): Promise<L2Runtime | null> {
  const metaRes = await fetch(new URL('models/raxe-l2.json', base));
  if (metaRes.status === 404) return null;
  if (!metaRes.ok) throw new Error(`models/raxe-l2.json: HTTP ${metaRes.status}`);
  const [metadata, model] = await Promise.all([
    metaRes.json(),
    fetchOk(new URL('models/raxe-l2.onnx', base)).then((r) => r.arrayBuffer()),
  ]);
  // a runtime URL, so that esbuild leaves the import alone: the file is
  // copied next to the page with the wasm it loads
  const ortUrl = new URL('ort/ort.wasm.min.mjs', base).href;
  const ort = (await import(/* @vite-ignore */ ortUrl)) as OrtLike & { env: { wasm: { proxy?: boolean } } };
  ort.env.wasm.wasmPaths = new URL('ort/', base).href;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  return createL2({ ort, engine, model: new Uint8Array(model), metadata, threads: 1 });
}
