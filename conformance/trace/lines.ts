/**
 * Splits a byte stream into newline-delimited frames for observation (stdio framing,
 * 2025-11-25 basic/transports: one JSON-RPC message per line). The bytes themselves pass
 * on untouched elsewhere; a frame longer than the bound is reported by its size only.
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #size = 0;
  #over = false;
  /** The frame being read began in a gap ({@link resync}): it is dropped (already counted as skipped). */
  #lost = false;
  readonly #maxLineBytes: number;
  readonly #onLine: (line: string) => void;
  readonly #onOversize: (bytes: number) => void;

  constructor(maxLineBytes: number, onLine: (line: string) => void, onOversize: (bytes: number) => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
    this.#onOversize = onOversize;
  }

  /**
   * Some chunks after the last one pushed went unanalysed (the analysis queue was full): drop
   * the frame being read; with `midFrame`, the gap ended inside a frame, so the next pushed
   * bytes up to a newline are dropped too.
   */
  resync(midFrame: boolean): void {
    this.#parts = [];
    this.#size = 0;
    this.#over = false;
    this.#lost = midFrame;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.#take(chunk.subarray(start, nl));
      this.#end();
      start = nl + 1;
    }
    if (start < chunk.length) this.#take(chunk.subarray(start));
  }

  /** The stream ended: a last line without a newline is still a frame. */
  flush(): void {
    if (this.#size > 0 || this.#over) this.#end();
  }

  #take(part: Buffer): void {
    this.#size += part.length;
    if (this.#over || this.#lost) return;
    if (this.#size > this.#maxLineBytes) {
      this.#over = true;
      this.#parts = [];
      return;
    }
    if (part.length > 0) this.#parts.push(Buffer.from(part));
  }

  #end(): void {
    // A frame that began in a gap was counted as skipped there.
    if (this.#over && !this.#lost) this.#onOversize(this.#size);
    else if (!this.#lost) {
      const text = Buffer.concat(this.#parts).toString('utf8').replace(/\r$/, '');
      if (text.trim() !== '') this.#onLine(text);
    }
    this.#parts = [];
    this.#size = 0;
    this.#over = false;
    this.#lost = false;
  }
}
