/** Node: the app on node:http through @hono/node-server. */
import type { AddressInfo } from 'node:net';
import { serve as honoServe } from '@hono/node-server';
import type { Serve } from './serve.js';

export const serve: Serve = (o) =>
  new Promise((resolve, reject) => {
    const server = honoServe({
      fetch: (req, env) => o.fetch(req, { remoteAddress: env.incoming.socket.remoteAddress }),
      hostname: o.hostname,
      port: o.port,
    });
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const http = server as import('node:http').Server;
      resolve({
        hostname: o.hostname,
        port: (server.address() as AddressInfo).port,
        close: (graceMs = 5000) =>
          new Promise<void>((done) => {
            const cut = setTimeout(() => http.closeAllConnections(), graceMs);
            // keep-alive connections go idle as their last response ends: close them as they do
            const idle = setInterval(() => http.closeIdleConnections(), 50);
            cut.unref();
            server.close(() => {
              clearTimeout(cut);
              clearInterval(idle);
              done();
            });
          }),
      });
    });
  });
