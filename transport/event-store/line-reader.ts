/** Chunked reading of newline-terminated lines from a file region (the file store's logs). */
import type { LogHandle } from './log-fs.ts';

/** Default read size: large enough for few syscalls, small enough to bound memory. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Call `onLine` with each complete (`\n`-terminated) line of bytes `[start, end)` of the
 * file, without its `\n`, and its byte offset. The line is a view of a reused buffer, valid
 * only during the call. `onLine` returning `false` stops the read.
 *
 * `afterChunk`, when given, is awaited after the lines of each chunk read (e.g. to write out
 * what they produced, keeping memory bounded).
 *
 * Resolves with the offset where unterminated bytes begin (`end` when the region ends with
 * a `\n`), or, when stopped, the offset just after the last line delivered.
 */
export async function forEachLine(
  fh: Pick<LogHandle, 'read'>,
  start: number,
  end: number,
  onLine: (line: Buffer, offset: number) => boolean | void,
  afterChunk?: () => Promise<void>,
): Promise<number> {
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, end - start)));
  let pos = start;
  let carry: Buffer | undefined;
  let carryOffset = start;
  while (pos < end) {
    const { bytesRead } = await fh.read(buffer, 0, Math.min(buffer.length, end - pos), pos);
    if (bytesRead === 0) break; // the file is shorter than `end`: what is there is all there is
    let data = buffer.subarray(0, bytesRead);
    let dataOffset = pos;
    pos += bytesRead;
    if (carry) {
      data = Buffer.concat([carry, data]);
      dataOffset = carryOffset;
      carry = undefined;
    }
    let lineStart = 0;
    for (let lf = data.indexOf(0x0a); lf !== -1; lf = data.indexOf(0x0a, lineStart)) {
      if (onLine(data.subarray(lineStart, lf), dataOffset + lineStart) === false) return dataOffset + lf + 1;
      lineStart = lf + 1;
    }
    if (afterChunk) await afterChunk();
    if (lineStart < data.length) {
      // Copy: `buffer` is overwritten by the next read.
      carry = Buffer.from(data.subarray(lineStart));
      carryOffset = dataOffset + lineStart;
    }
  }
  return carry ? carryOffset : pos;
}
