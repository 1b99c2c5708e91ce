// Types of test-only packages that ship none.
declare module 'parse-prometheus-text-format' {
  interface Sample {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  /** Prometheus text format -> metric families (prom2json's shape). */
  export default function parse(text: string): Array<{ name: string; help: string; type: string; metrics: Sample[] }>;
}
