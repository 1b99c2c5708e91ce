/**
 * `raxe playground [--port P]`: serves the browser rule playground — the
 * static folder `npm run build:playground` writes to dist/playground — on
 * 127.0.0.1 with Hono. The page scans in the browser; this server only hands
 * out files, so nothing typed into the page reaches it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { PACKAGE_ROOT } from './fs-packs.js';
import { CliError } from './errors.js';

export const PLAYGROUND_DIR = join(PACKAGE_ROOT, 'dist', 'playground');
export const DEFAULT_PLAYGROUND_PORT = 7411;

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Files the page loads that the build copies into dist/playground but the
 * npm package leaves out (they are in it already, elsewhere): onnxruntime-web's
 * three files from the installed dependency, the L2 model from models/.
 * URL path -> file; served only when the folder lacks them.
 */
export function playgroundFallbacks(): Record<string, string> {
  const ort = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  const out: Record<string, string> = {};
  for (const f of ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) out[`/ort/${f}`] = join(ort, f);
  for (const f of ['raxe-l2.onnx', 'raxe-l2.json']) out[`/models/${f}`] = join(PACKAGE_ROOT, 'models', f);
  return out;
}

/** The app: the static files of `root` (then `fallbacks`), with headers that keep the page to itself. */
export function createPlaygroundApp(root: string, fallbacks: Record<string, string> = {}): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-cache');
  });
  app.use('*', serveStatic({ root }));
  app.get('*', async (c, next) => {
    const file = Object.hasOwn(fallbacks, c.req.path) ? fallbacks[c.req.path] : undefined;
    if (!file || !existsSync(file)) return next();
    return c.body(await readFile(file), 200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  });
  app.notFound((c) => c.text('not found\n', 404));
  return app;
}

export async function runPlayground(o: Record<string, unknown>): Promise<void> {
  const port = o.port === undefined ? DEFAULT_PLAYGROUND_PORT : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a whole number from 0 to 65535 (got "${o.port}")`, 2);
  if (!existsSync(join(PLAYGROUND_DIR, 'index.html'))) {
    throw new CliError(`the playground is not built (${PLAYGROUND_DIR} is missing): run \`npm run build:playground\``, 2);
  }
  const server = serve({ fetch: createPlaygroundApp(PLAYGROUND_DIR, playgroundFallbacks()).fetch, port, hostname: '127.0.0.1' });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('listening', () => resolve(server.address() as AddressInfo));
    server.once('error', reject);
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use: choose another with --port (0 picks a free one)`, 2);
    if (e.code === 'EACCES') throw new CliError(`no permission to listen on port ${port}: choose a port above 1023 with --port`, 2);
    throw e;
  });
  // a static server holds nothing to flush: stop at once, open connections too
  // (handlers before the address line, which whoever waits for it may answer with a signal)
  const stop = () => {
    server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`raxe playground: http://127.0.0.1:${address.port}/ (Ctrl+C to stop)\n`);
}
