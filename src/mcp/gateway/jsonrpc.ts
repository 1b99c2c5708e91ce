/** JSON-RPC 2.0 shapes and the gateway's error codes (see the spec's Error Codes). */

export type Id = string | number;

export interface Request {
  jsonrpc: '2.0';
  id: Id;
  method: string;
  params?: Record<string, unknown>;
}
export interface Notification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}
export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}
export interface Response {
  jsonrpc: '2.0';
  id: Id | null;
  result?: Record<string, unknown>;
  error?: RpcError;
}
export type Message = Request | Notification | Response;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
export const RATE_LIMITED = -32000;
export const BLOCKED = -32001;
export const NO_UPSTREAM = -32002;
export const UPSTREAM_FAILED = -32003;
export const MESSAGE_TOO_LARGE = -32004;

export function isRequest(m: Message): m is Request {
  return 'method' in m && 'id' in m && m.id !== undefined && m.id !== null;
}
export function isNotification(m: Message): m is Notification {
  return 'method' in m && !('id' in m && m.id !== undefined && m.id !== null);
}
export function isResponse(m: Message): m is Response {
  return !('method' in m) && ('result' in m || 'error' in m);
}

/** Checks the JSON-RPC envelope; returns a reason when it is not a valid message. */
export function envelopeProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON-RPC object';
  const m = v as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('method' in m) {
    if (typeof m.method !== 'string') return 'method must be a string';
    if ('id' in m && m.id !== null && typeof m.id !== 'string' && typeof m.id !== 'number') return 'id must be a string or number';
    if ('params' in m && m.params !== undefined && (typeof m.params !== 'object' || m.params === null)) return 'params must be an object or array';
    return null;
  }
  if ('result' in m || 'error' in m) {
    if (!('id' in m)) return 'a response needs an id';
    return null;
  }
  return 'neither a request, a notification nor a response';
}

export function errorResponse(id: Id | null, code: number, message: string, data?: unknown): Response {
  const error: RpcError = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

export function resultResponse(id: Id, result: Record<string, unknown>): Response {
  return { jsonrpc: '2.0', id, result };
}
