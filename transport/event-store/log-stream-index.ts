/** The index of a file-store stream's events: the byte offset in its log of every event retained. */
import type { FileStream } from './log-file.ts';

/** Record the event just written at `offset` and drop events past the per-stream limit. */
export function indexEvent(
  stream: Pick<FileStream, 'offsets' | 'head' | 'base' | 'lastSeq'>,
  offset: number,
  maxEvents: number,
): void {
  stream.offsets.push(offset);
  stream.lastSeq += 1;
  while (stream.lastSeq - stream.base > maxEvents) {
    stream.head += 1;
    stream.base += 1;
  }
  // Compact the array once the dead prefix outweighs the live part: O(1) amortized.
  if (stream.head >= 1024 && stream.head * 2 >= stream.offsets.length) {
    stream.offsets = stream.offsets.slice(stream.head);
    stream.head = 0;
  }
}
