/**
 * A string builder for decoders whose output is many single characters
 * (50 MB of "%41" is 16.7M of them): code units go into a fixed buffer that
 * is flushed to a chunk string when full, so memory stays linear and no
 * array of millions of one-char strings is ever built.
 */
const CHUNK = 8192;

export class TextBuilder {
  private chunks: string[] = [];
  private buf: Uint16Array | null = null; // allocated on first use: most builders stay empty
  private n = 0;

  /** Appends one code point. */
  code(cp: number): void {
    this.buf ??= new Uint16Array(CHUNK);
    if (this.n + 2 > CHUNK) this.flush();
    if (cp > 0xffff) {
      cp -= 0x10000;
      this.buf[this.n++] = 0xd800 + (cp >> 10);
      this.buf[this.n++] = 0xdc00 + (cp & 0x3ff);
    } else this.buf[this.n++] = cp;
  }

  /** Appends a string (a slice of unchanged input). */
  text(s: string): void {
    if (s.length === 0) return;
    if (s.length <= 16 && this.n + s.length <= CHUNK) {
      this.buf ??= new Uint16Array(CHUNK);
      for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i);
      return;
    }
    this.flush();
    this.chunks.push(s);
  }

  private flush(): void {
    if (this.n === 0 || !this.buf) return;
    this.chunks.push(String.fromCharCode.apply(null, this.buf.subarray(0, this.n) as unknown as number[]));
    this.n = 0;
  }

  /** The text built so far; the builder is empty afterwards (and keeps its buffer). */
  take(): string {
    this.flush();
    const s = this.chunks.length === 1 ? this.chunks[0] : this.chunks.join('');
    this.chunks = [];
    return s;
  }

  /** The text built so far. */
  toString(): string {
    this.flush();
    return this.chunks.join('');
  }
}
