/**
 * Node: the app on node:http through @hono/node-server, with connection
 * limits suited to an API: request headers within seconds (Node checks
 * every second instead of every 30), the whole request within seconds (not
 * Node's five minutes), a cap on open connections in all and per address
 * (a connection past it is closed as it arrives), idle keep-alive
 * connections closed after 5 s. Streams being sent (SSE) are not limited.
 */
import type { AddressInfo, Socket } from 'node:net';
import { serve as honoServe } from '@hono/node-server';
import type { ConnectionLimits, Serve } from './serve.js';

export const NODE_DEFAULT_LIMITS: ConnectionLimits = { maxConnections: 1024, maxConnectionsPerAddress: 256, headersTimeoutMs: 10_000, requestTimeoutMs: 20_000 };

export const serve: Serve = (o) =>
  new Promise((resolve, reject) => {
    const l = o.limits ?? NODE_DEFAULT_LIMITS;
    const server = honoServe({
      fetch: (req, env) => o.fetch(req, { remoteAddress: env.incoming.socket.remoteAddress }),
      hostname: o.hostname,
      port: o.port,
      serverOptions: {
        headersTimeout: l.headersTimeoutMs,
        requestTimeout: Math.max(l.requestTimeoutMs, l.headersTimeoutMs + 1),
        keepAliveTimeout: 5000,
        connectionsCheckingInterval: Math.max(100, Math.min(1000, l.headersTimeoutMs / 2)),
      },
    });
    const http = server as import('node:http').Server;
    http.maxConnections = l.maxConnections;
    const perAddress = new Map<string, number>();
    http.on('connection', (sock: Socket) => {
      const a = sock.remoteAddress ?? '';
      const n = (perAddress.get(a) ?? 0) + 1;
      if (n > l.maxConnectionsPerAddress) {
        sock.destroy();
        return;
      }
      perAddress.set(a, n);
      sock.once('close', () => {
        const left = (perAddress.get(a) ?? 1) - 1;
        if (left > 0) perAddress.set(a, left);
        else perAddress.delete(a);
      });
    });
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
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
