// `raxe playground`: the Hono app serves the built folder and nothing else;
// the command checks its port and reports a busy one.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPlaygroundApp, playgroundFallbacks, PLAYGROUND_DIR } from '../../src/cli/playground-command.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const raxe = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'raxe.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 }); // a bound for a stuck process, not a speed limit

describe('the playground app', () => {
  const app = createPlaygroundApp(PLAYGROUND_DIR);

  it('is built with everything the page loads, from its own folder', () => {
    for (const f of ['index.html', 'style.css', 'app.js', 'raxe.wasm', 'rules.json', 'ort/ort.wasm.min.mjs', 'ort/ort-wasm-simd-threaded.mjs', 'ort/ort-wasm-simd-threaded.wasm']) {
      expect(existsSync(join(PLAYGROUND_DIR, f)), f).toBe(true);
    }
  });

  it('without the build’s copies of onnxruntime-web and the model (the npm package leaves them out), serves them from where they are installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raxe-pg-lean-'));
    try {
      for (const f of ['index.html', 'app.js', 'raxe.wasm']) cpSync(join(PLAYGROUND_DIR, f), join(dir, f));
      const lean = createPlaygroundApp(dir, playgroundFallbacks());
      for (const f of ['ort/ort.wasm.min.mjs', 'ort/ort-wasm-simd-threaded.mjs', 'ort/ort-wasm-simd-threaded.wasm', 'models/raxe-l2.onnx', 'models/raxe-l2.json']) {
        const res = await lean.request(`/${f}`);
        expect(res.status, f).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(PLAYGROUND_DIR, f))), `${f} is the build’s file`).toBe(true);
      }
      expect((await lean.request('/ort/ort-wasm-simd-threaded.wasm')).headers.get('content-type')).toBe('application/wasm');
      expect((await lean.request('/ort/ort-wasm-simd-threaded.mjs')).headers.get('x-content-type-options')).toBe('nosniff');
      // only those files: nothing else of the dependency or the package
      for (const p of ['/ort/ort.all.min.mjs', '/ort/../package.json', '/models/README.md', '/models/../package.json']) expect((await lean.request(p)).status, p).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the page and the wasm with the right types and headers', async () => {
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('data-testid="rule-editor"');
    // no resource from another origin
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect((await app.request('/raxe.wasm')).headers.get('content-type')).toBe('application/wasm');
    expect((await app.request('/ort/ort-wasm-simd-threaded.mjs')).headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('serves nothing outside its folder', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/nope.txt']) {
      expect((await app.request(p)).status, p).toBe(404);
    }
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);
  });
});

describe('raxe playground', () => {
  it('refuses a bad port', () => {
    const r = raxe('playground', '--port', 'http');
    expect(r).toExitWith(2);
    expect(r.stderr).toMatch(/^raxe: --port must be a whole number from 0 to 65535/);
  });

  it('says when the port is taken', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => busy.once('listening', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = raxe('playground', '--port', String(port));
      expect(r).toExitWith(2);
      expect(r.stderr.trim()).toBe(`raxe: port ${port} is in use: choose another with --port (0 picks a free one)`);
    } finally {
      busy.close();
    }
  });
});
