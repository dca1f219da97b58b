/**
 * A request body on its way through the HTTP tracer: passed on to the target as it comes (a
 * large upload is not held back until its last byte, nor kept whole in memory), with a copy
 * of its first `max` bytes kept for the analysis that runs afterwards.
 */
import { finished, pipeline, Transform, type Readable } from 'node:stream';

/** What the tracer saw of a request body once it ended (or broke off). */
export interface TappedBody {
  /** Bytes that went through. */
  readonly size: number;
  /** The whole body, when it is at most `max` bytes and ended; otherwise absent. */
  readonly bytes?: Buffer;
  /** False when the body broke off (the client or the target went away mid-way). */
  readonly complete: boolean;
}

export interface RequestTap {
  /** The body to send on. */
  readonly stream: Readable;
  /** The body as the tracer saw it, once it ended or broke off (always settles). */
  readonly done: Promise<TappedBody>;
  /** The same, synchronously, once it has ended; undefined until then. */
  readonly ended: () => TappedBody | undefined;
}

/** Tap `source`, keeping at most `max` bytes of it for analysis. */
export function tapRequestBody(source: Readable, max: number): RequestTap {
  const chunks: Buffer[] = [];
  let size = 0;
  let seen: TappedBody | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      callback(null, chunk);
    },
  });
  // A source that breaks off destroys the tap, so the target sees the cut rather than a short body.
  pipeline(source, stream, () => { /* the outcome is read through `done` */ });
  const done = new Promise<TappedBody>((resolve) => {
    // Only the writable side: every byte received from the client went through.
    finished(stream, { readable: false }, (error) => {
      seen = { size, complete: !error, ...(!error && size <= max ? { bytes: Buffer.concat(chunks) } : {}) };
      chunks.length = 0;
      resolve(seen);
    });
  });
  return { stream, done, ended: () => seen };
}
