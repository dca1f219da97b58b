/**
 * The SSE streams one HTTP client transport runs (2025-11-25 basic/transports): the POST
 * replies read as streams, the resumed ones, and the one standalone GET stream. It launches
 * them, tells them about cancelled requests, stops them, and keeps what closing must wait for.
 */
import type { RequestId } from '../../protocol/index.ts';
import { createEventStream, type EventStream, type EventStreamInit, type StreamConnection, type StreamDeps } from './client-streams.ts';

/** The running streams of one transport (see the module comment). */
export class StreamSet {
  /** What every stream needs from the transport; made once. */
  readonly deps: StreamDeps;
  readonly #streams = new Set<EventStream>();
  /** The standalone GET stream, while it runs. */
  #standalone: EventStream | undefined;
  /** Work running in the background (streams, bodies being drained), which closing waits for. */
  readonly running = new Set<Promise<void>>();

  constructor(deps: StreamDeps) {
    this.deps = deps;
  }

  /** True while the standalone GET stream runs. */
  get hasStandalone(): boolean {
    return this.#standalone !== undefined;
  }

  /** Start a stream, reading `first` when given (else it connects with GET). */
  launch(init: EventStreamInit, first?: StreamConnection): EventStream {
    const stream = createEventStream(this.deps, init);
    this.#streams.add(stream);
    const done = stream.run(first).finally(() => {
      this.#streams.delete(stream);
      this.running.delete(done);
      if (this.#standalone === stream) this.#standalone = undefined;
    });
    this.running.add(done);
    return stream;
  }

  /** Open the standalone GET stream (the caller checked none runs). */
  openStandalone(): void {
    this.#standalone = this.launch({ kind: 'standalone' });
  }

  /** Stop the standalone stream, if one runs (its session is gone). */
  stopStandalone(): void {
    this.#standalone?.stop();
  }

  /** Nobody waits for our request `id` any more: no stream resumes for it. */
  abandon(id: RequestId): void {
    for (const stream of this.#streams) stream.abandon(id);
  }

  /** Stop every stream (the transport closes). */
  stopAll(): void {
    for (const stream of this.#streams) stream.stop();
  }
}
