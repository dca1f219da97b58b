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

/**
 * Before a stream's append is built: a damaged last event left by recovery (`hole`) that the
 * stream was not opened again to fill is a gap for good: a resume from before it is refused
 * (410), and the append takes the next seq, never the damaged one's.
 */
export function settleHole(stream: Pick<FileStream, 'offsets' | 'head' | 'base' | 'lastSeq' | 'nextSeq' | 'hole'>): void {
  const hole = stream.hole;
  if (hole === undefined || hole.open) return;
  stream.hole = undefined;
  stream.base = stream.lastSeq = stream.nextSeq = hole.seq;
  stream.offsets = [];
  stream.head = 0;
}

/** After an append was indexed: the hole is filled once the stream's events reach its seq. */
export function filledHole(stream: Pick<FileStream, 'lastSeq' | 'hole'>): void {
  if (stream.hole !== undefined && stream.lastSeq >= stream.hole.seq) stream.hole = undefined;
}
