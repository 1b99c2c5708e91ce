/** Decision events: one JSON object per decision, never containing scanned text. */

export interface AuditEvent {
  ts: string;
  upstream: string;
  method: string;
  tool?: string;
  point: string;
  action: string;
  rule_ids: string[];
  families?: string[];
  severity: string;
  /** Present when some content could not be scanned completely: why. */
  unscanned?: string[];
  /** Pin changes: which fields of the tool definition changed (names only). */
  changed_fields?: string[];
  latency_ms?: number;
  mssp_id?: string;
  customer_id?: string;
}

/** Where events go (the adapter appends them to a local file; a sink only when configured). */
export interface AuditSink {
  write(e: AuditEvent): void;
}

export class MemoryAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  write(e: AuditEvent): void {
    this.events.push(e);
  }
}
