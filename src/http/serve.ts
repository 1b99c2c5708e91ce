/**
 * The contract a runtime's serve shim fulfils (serve-node.ts, serve-deno.ts,
 * serve-bun.ts implement it; nothing here depends on a runtime). The app is a
 * plain `fetch` handler; the shim feeds it each request with the client's
 * address and hands back the Response it returns.
 */

/** What the shim knows of the connection a request came on. */
export interface ConnInfo {
  /** The peer's IP address, when the runtime reports it. */
  remoteAddress?: string;
}

export type FetchHandler = (request: Request, info: ConnInfo) => Response | Promise<Response>;

/** Connection limits a shim enforces where its runtime lets it (Node: all of them). */
export interface ConnectionLimits {
  /** Most open connections in all, and from one address; more are closed as they arrive. */
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** Time a client has to send its request headers, and its whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface ServeOptions {
  fetch: FetchHandler;
  hostname: string;
  /** 0 picks a free port (see RunningServer.port). */
  port: number;
  limits?: ConnectionLimits;
}

export interface RunningServer {
  readonly hostname: string;
  /** The port actually bound. */
  readonly port: number;
  /**
   * Stops accepting connections and resolves once the open ones have ended;
   * after `graceMs` the remaining ones are cut.
   */
  close(graceMs?: number): Promise<void>;
}

/** Starts listening; rejects when the address cannot be bound (the error names it). */
export type Serve = (options: ServeOptions) => Promise<RunningServer>;
