/**
 * The HTTP client transport's own view of one request and its reply, below which sit two
 * implementations: undici's dispatcher, spoken directly (client-undici.ts, the default), and
 * an adapter onto any fetch-compatible function (client-fetch.ts, used when one is injected).
 * It asks for nothing a small MCP exchange does not need: no WHATWG Request or Response, no
 * web stream, no AbortSignal; a body is pushed chunk by chunk into one consumer.
 */

/** One request, as the transport builds it. Header names are lower case. */
export interface OutboundRequest {
  method: 'POST' | 'GET' | 'DELETE';
  headers: Readonly<Record<string, string>>;
  body?: string;
}

/** A reply whose head arrived; its body is read at most once. */
export interface ClientReply {
  readonly status: number;
  readonly statusText: string;
  /** A response header by its lower-case name; repeated headers are joined with ", ". */
  header(name: string): string | undefined;
  /**
   * Read the body: `onChunk` gets each chunk in order, synchronously as it arrives. Resolves
   * when the body ended. Rejects with the reason of {@link Exchange.abort}, with the body's
   * own failure, or with what `onChunk` threw (the exchange is aborted then). Chunks that
   * arrived before the call are handed over first; until then at most a small amount is
   * held (the connection is paused past it), so a slow consumer holds the server back.
   * When `onChunk` returns a promise, nothing more is read from the connection until it
   * settles (a rejection aborts the exchange with its reason): the consumer's backpressure.
   */
  stream(onChunk: (chunk: Uint8Array) => void | PromiseLike<void>): Promise<void>;
  /**
   * The body's chunks, when all of it has arrived and nobody read it yet (this is then its one
   * read); undefined otherwise, and always from a reply that does not offer it. A whole reply is
   * then read without a promise or a callback per chunk.
   */
  takeBody?(): readonly Uint8Array[] | undefined;
}

/** A request on its way: its reply head to await, and a way to stop it at any point. */
export interface Exchange {
  /**
   * Resolves once the reply's head arrived (after any redirects were followed); rejects when
   * the request failed or was aborted first (with the abort's reason).
   */
  readonly head: Promise<ClientReply>;
  /** True once {@link abort} was called. */
  readonly aborted: boolean;
  /** True once the whole body arrived: nothing is left to abort. */
  readonly ended: boolean;
  /**
   * Stop the exchange, whatever its stage: a head not yet here rejects, a body being read
   * rejects, with `reason`; the connection is dropped unless the exchange already ended.
   * Idempotent; a no-op once the body was read to its end.
   */
  abort(reason: Error): void;
  /**
   * Tell `listener` of the head, or of the failure before it, instead of a `head` promise: in
   * a microtask after it arrived, where an `await` of `head` would resume, so that a body that
   * came in the same read has arrived too. Called at most once, and then `head` is not read.
   * Offered by the undici exchange, where it saves a POST its promise and the turns an `await`
   * of `head` takes.
   */
  listen?(listener: HeadListener): void;
}

/** Told of an exchange's head by {@link Exchange.listen}; neither method may throw. */
export interface HeadListener {
  onHead(reply: ClientReply): void;
  onHeadError(error: Error): void;
}

/** Sends requests to the transport's one endpoint. */
export interface Exchanger {
  send(request: OutboundRequest): Exchange;
  /** Changes each time the credentials sent change (client-auth.ts); absent without credentials. */
  credentialsEpoch?(): number;
  /** Abort the exchanges still running; connections it owns are released (a shared pool stays open). */
  close(): Promise<void>;
}
