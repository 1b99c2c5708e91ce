/**
 * `raxe playground [--port P]`: serves the browser rule playground — the
 * static folder `npm run build:playground` writes to dist/playground — on
 * 127.0.0.1 with Hono. The page scans in the browser; this server only hands
 * out files, so nothing typed into the page reaches it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { PACKAGE_ROOT } from './fs-packs.js';
import { CliError } from './errors.js';

/** dist/playground beside dist/cli.js (or, running from src/cli, in the package root). */
export const PLAYGROUND_DIR = existsSync(join(PACKAGE_ROOT, 'dist', 'playground')) ? join(PACKAGE_ROOT, 'dist', 'playground') : resolve(PACKAGE_ROOT, '..', 'dist', 'playground');
export const DEFAULT_PLAYGROUND_PORT = 7411;

/** The app: the static files of `root`, with headers that keep the page to itself. */
export function createPlaygroundApp(root: string): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-cache');
  });
  app.use('*', serveStatic({ root }));
  app.notFound((c) => c.text('not found\n', 404));
  return app;
}

export async function runPlayground(o: Record<string, unknown>): Promise<void> {
  const port = o.port === undefined ? DEFAULT_PLAYGROUND_PORT : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a whole number from 0 to 65535 (got "${o.port}")`, 2);
  if (!existsSync(join(PLAYGROUND_DIR, 'index.html'))) {
    throw new CliError(`the playground is not built (${PLAYGROUND_DIR} is missing): run \`npm run build:playground\``, 2);
  }
  const server = serve({ fetch: createPlaygroundApp(PLAYGROUND_DIR).fetch, port, hostname: '127.0.0.1' });
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
