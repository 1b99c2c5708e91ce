/**
 * A string builder for decoders whose output is many single characters
 * (50 MB of "%41" is 16.7M of them): code units go into a fixed buffer that
 * is flushed to a chunk string when full, so memory stays linear and no
 * array of millions of one-char strings is ever built.
 */
const CHUNK = 8192;

export class TextBuilder {
  private chunks: string[] = [];
  private buf = new Uint16Array(CHUNK);
  private n = 0;

  /** Appends one code point. */
  code(cp: number): void {
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
      for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i);
      return;
    }
    this.flush();
    this.chunks.push(s);
  }

  private flush(): void {
    if (this.n === 0) return;
    this.chunks.push(String.fromCharCode.apply(null, this.buf.subarray(0, this.n) as unknown as number[]));
    this.n = 0;
  }

  /** The text built so far. */
  toString(): string {
    this.flush();
    return this.chunks.join('');
  }
}
