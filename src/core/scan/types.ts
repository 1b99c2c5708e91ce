import type { Severity } from '../rules/schema.js';

/**
 * One detection. Privacy: this shape never carries matched text, patterns or
 * surrounding context, so it may cross MCP or HTTP as is.
 */
export interface Detection {
  rule_id: string;
  family: string;
  sub_family: string;
  severity: Severity;
  confidence: number;
  message: string;
  layer: 'L1' | 'L2';
  /** Set when the rule matched only inside decoded content, e.g. "base64". */
  via?: string;
}

/** Local-only match details, returned only with `{ explain: true }`. */
export interface Explanation {
  rule_id: string;
  pattern_index: number;
  /** Which text the span refers to: "raw", "normalized", or a decoder chain like "base64". */
  text_layer: string;
  span: [number, number];
  matched: string;
}

/** Why a text was only partly scanned. */
export type PartialReason = 'decode_budget' | 'decode_depth' | 'decode_segments' | 'size';

export interface ScanResult {
  safe: boolean;
  /** Highest severity among detections, or "none". */
  severity: Severity | 'none';
  detections: Detection[];
  timings: { total_ms: number; l1_ms: number; l2_ms: number };
  /**
   * Present when the text was NOT scanned completely: why (e.g. "decode_budget",
   * "decode_depth", "decode_segments", "size"). Detection-free and text-free,
   * so it may cross MCP/HTTP; a gateway treats such a text as unscanned
   * (fail closed) whatever `safe` says.
   */
  partial?: PartialReason[];
  /** Present only with `{ explain: true }`: never send it over the wire. */
  explain?: { normalized: string; matches: Explanation[] };
}

export interface ScanOptions {
  /** Where the text comes from (e.g. "user_prompt", "tool_output"); informational. */
  context?: string;
  /** Include local-only spans and the normalised text. */
  explain?: boolean;
  /** Skip L2 for this call. */
  l2?: boolean;
}

/** The contract an L2 classifier fulfils (implemented in src/core/l2). */
export interface L2Classifier {
  classify(normalizedText: string): Promise<Detection[]>;
}
