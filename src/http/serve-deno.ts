/** Deno: the app on Deno.serve. */
import type { Serve } from './serve.js';

// the few members of the Deno namespace this shim uses (no Deno types needed to build it)
interface DenoServer {
  shutdown(): Promise<void>;
  finished: Promise<void>;
}
interface DenoNs {
  serve(
    o: { hostname: string; port: number; onListen(addr: { port: number }): void; onError?(e: unknown): Response },
    handler: (req: Request, info: { remoteAddr: { hostname?: string } }) => Response | Promise<Response>,
  ): DenoServer;
}
declare const Deno: DenoNs;

export const serve: Serve = (o) =>
  new Promise((resolve, reject) => {
    let server: DenoServer;
    try {
      server = Deno.serve(
        {
          hostname: o.hostname,
          port: o.port,
          onListen: (addr) =>
            resolve({
              hostname: o.hostname,
              port: addr.port,
              close: async (graceMs = 5000) => {
                let cut: ReturnType<typeof setTimeout> | undefined;
                await Promise.race([server.shutdown(), new Promise<void>((r) => (cut = setTimeout(r, graceMs)))]);
                clearTimeout(cut); // a pending timer would keep the process alive
              },
            }),
        },
        (req, info) => o.fetch(req, { remoteAddress: info.remoteAddr.hostname }),
      );
    } catch (e) {
      reject(e);
    }
  });
