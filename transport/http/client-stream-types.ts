/**
 * What an SSE stream of the HTTP client transport is to the transport that owns it: how it
 * starts, what it needs from the transport, and what the transport can do with it
 * (client-streams.ts implements it).
 */
import type { McpError, RequestId, Timers } from '../../protocol/index.ts';
import type { Exchange, ClientReply } from './client-exchange.ts';
import type { ReconnectPolicy } from './reconnect.ts';

/** Which kind of stream: it decides when the stream is done and how failures are reported. */
export type StreamKind = 'post' | 'standalone' | 'resume';

/** What a stream needs from the transport that owns it. */
export interface StreamDeps {
  /** Send `GET` for this stream, with `Last-Event-ID` when `lastEventId` is given. */
  get(lastEventId: string | undefined): Exchange;
  /** Hand one parsed message (or an UnparsablePayload) up. */
  deliver(value: unknown, relatedRequestId: RequestId | undefined): void;
  /** The response to `id` can no longer arrive. */
  requestFailed(id: RequestId, error: Error): void;
  reportError(error: Error): void;
  policy: ReconnectPolicy;
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  maxEventBytes: number;
  maxJsonDepth: number;
  /** An error when `value` is a batch the negotiated version does not allow. */
  refuseBatch(value: unknown): McpError | undefined;
  /** While answers to the server's requests wait their turn: a promise of their drain (stop reading till then). */
  answersWaiting?(): Promise<void> | undefined;
}

/** How a stream starts. */
export interface EventStreamInit {
  kind: StreamKind;
  /** Our requests whose responses travel on this stream; once all arrived, it is done. */
  awaiting?: Iterable<RequestId>;
  /** Given with each message to `deliver` (the request whose stream this is). */
  relatedRequestId?: RequestId;
  /** Resume from here (a token stored by an earlier process). */
  lastEventId?: string;
  /** Told each event id seen on the stream, after the event's message was delivered. */
  onResumptionToken?: (token: string) => void;
}

/** An open connection of the stream: its exchange, whose reply head arrived. */
export interface StreamConnection {
  exchange: Exchange;
  reply: ClientReply;
}

/** A running stream. */
export interface EventStream {
  readonly kind: StreamKind;
  readonly lastEventId: string | undefined;
  /** Requests still waiting for their response here. */
  readonly awaiting: ReadonlySet<RequestId>;
  /**
   * Read `first`, or connect with GET when it is absent, and keep the stream going until it
   * is done, given up, or stopped. Never rejects: failures are reported through the deps.
   */
  run(first?: StreamConnection): Promise<void>;
  /** Nobody waits for `id` any more (it was cancelled); a stream left with none stops. */
  abandon(id: RequestId): void;
  /** Stop now, quietly: abort the connection and any wait. */
  stop(): void;
}
