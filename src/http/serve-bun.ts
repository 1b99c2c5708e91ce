/** Bun: the app on Bun.serve. */
import type { Serve } from './serve.js';

// the few members of the Bun namespace this shim uses (no Bun types needed to build it)
interface BunServer {
  port: number;
  requestIP(req: Request): { address: string } | null;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}
interface BunNs {
  serve(o: { hostname: string; port: number; idleTimeout: number; fetch(req: Request, server: BunServer): Response | Promise<Response> }): BunServer;
}
declare const Bun: BunNs;

export const serve: Serve = async (o) => {
  const server = Bun.serve({
    hostname: o.hostname,
    port: o.port,
    // seconds without a byte before Bun drops a connection (its default, 10, would cut
    // quiet SSE streams; the app sends a keep-alive comment every 15 s)
    idleTimeout: 60,
    fetch: (req, srv) => o.fetch(req, { remoteAddress: srv.requestIP(req)?.address }),
  });
  return {
    hostname: o.hostname,
    port: server.port,
    async close(graceMs = 5000) {
      const cut = setTimeout(() => void server.stop(true), graceMs);
      await server.stop(false);
      clearTimeout(cut);
    },
  };
};
