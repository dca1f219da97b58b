/**
 * The memory event store's records (memory.ts): one stream and its events, and the streams
 * of one session.
 */

/**
 * One stream. A server holds two per idle session (its initialize POST's and its GET's),
 * so this stays small: flat fields, and no event array until the first append.
 */
export interface MemoryStream {
  readonly token: string;
  readonly sessionId: string;
  readonly streamId: string;
  /** Serialized events, from the first append; `events[head]` is event `base + 1`. */
  events: string[] | undefined;
  head: number;
  /** Seq of the last evicted event (0 when none was). */
  base: number;
  lastSeq: number;
  /** UTF-8 bytes of the events kept. */
  bytes: number;
  touched: number;
  /** Neighbours in the store's least-recently-used list (undefined at its ends). */
  older: MemoryStream | undefined;
  newer: MemoryStream | undefined;
}

/**
 * The streams of one session: a short array while it has few (a linear scan of a handful
 * beats a Map's table in size and speed), a Map once it has more than {@link FEW_STREAMS}.
 */
export type SessionStreams = MemoryStream[] | Map<string, MemoryStream>;

const FEW_STREAMS = 8;

export function findStream(streams: SessionStreams, streamId: string): MemoryStream | undefined {
  if (!Array.isArray(streams)) return streams.get(streamId);
  for (const stream of streams) if (stream.streamId === streamId) return stream;
  return undefined;
}

/** `streams` with `stream` added (a new array, sized exactly, while short). */
export function withStream(streams: SessionStreams | undefined, stream: MemoryStream): SessionStreams {
  if (streams === undefined) return [stream];
  if (!Array.isArray(streams)) return streams.set(stream.streamId, stream);
  if (streams.length < FEW_STREAMS) return [...streams, stream];
  const map = new Map<string, MemoryStream>();
  for (const s of streams) map.set(s.streamId, s);
  return map.set(stream.streamId, stream);
}

/** `streams` without `stream`, or undefined when none is left. */
export function withoutStream(streams: SessionStreams, stream: MemoryStream): SessionStreams | undefined {
  if (!Array.isArray(streams)) {
    streams.delete(stream.streamId);
    return streams.size === 0 ? undefined : streams;
  }
  const rest = streams.filter((s) => s !== stream);
  return rest.length === 0 ? undefined : rest;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 length of a string, without allocating (JSON is mostly ASCII: one regex test). */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
}

/** Drop the oldest event (its size is measured again rather than kept per event); returns its size. */
export function evictHead(stream: MemoryStream, events: string[]): number {
  const size = utf8Length(events[stream.head]!);
  stream.bytes -= size;
  events[stream.head] = '';
  stream.head += 1;
  stream.base += 1;
  // Compact once the dead prefix outweighs the live part: O(1) amortized per eviction.
  if (stream.head >= 1024 && stream.head * 2 >= events.length) {
    stream.events = events.slice(stream.head);
    stream.head = 0;
  }
  return size;
}
