/**
 * The progress line of `raxe scan --input` (shown only when stderr is a
 * terminal): rows done, rows per second, threats so far, redrawn in place at
 * most every PROGRESS_INTERVAL_MS and once more, final, at the end.
 */

/** Redraw interval: often enough to look alive, rarely enough to cost nothing next to scanning. */
export const PROGRESS_INTERVAL_MS = 200;

export class Progress {
  #rows = 0;
  #threats = 0;
  readonly #t0: number;
  #last = 0;
  readonly #write: (s: string) => void;
  readonly #now: () => number;

  constructor(write: (s: string) => void, now: () => number = () => performance.now()) {
    this.#write = write;
    this.#now = now;
    this.#t0 = now();
  }

  /** Counts one scanned row; redraws when the interval has passed. */
  row(threat: boolean): void {
    this.#rows++;
    if (threat) this.#threats++;
    const t = this.#now();
    if (t - this.#last >= PROGRESS_INTERVAL_MS) {
      this.#last = t;
      this.#write(`\r${this.line(t)}\x1b[K`);
    }
  }

  /** The final line, ended with a newline. */
  done(): void {
    this.#write(`\r${this.line(this.#now())}\x1b[K\n`);
  }

  /** "1,234 rows, 5,678 rows/s, 12 threats" */
  line(t: number): string {
    const secs = Math.max((t - this.#t0) / 1000, 1e-3);
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    return `${n(this.#rows)} row${this.#rows === 1 ? '' : 's'}, ${n(this.#rows / secs)} rows/s, ${n(this.#threats)} threat${this.#threats === 1 ? '' : 's'}`;
  }
}
