/**
 * What a server stream (server-stream.ts) is made with: the settings shared by a server's
 * streams, its key and kind, and how a POST stream answers while its reply is still JSON.
 */
import type { JsonRpcMessage } from '../../protocol/index.ts';
import type { EventStore, StreamKey } from '../event-store/index.ts';
import type { SyncStreamStore } from '../event-store/memory.ts';
import type { ServerReply } from './exchange.ts';
import type { ConnectionSettings } from './sse-connection.ts';
import type { JsonSseTurns } from './json-sse-turns.ts';

/** Settings shared by the streams of one server. */
export interface StreamSettings extends ConnectionSettings {
  store: EventStore;
  /**
   * `store` itself when it is a memory store, whose calls need no waiting (memory.ts): a step
   * that only opens or appends then runs at once, with no chain, when nothing is queued.
   */
  sync?: SyncStreamStore | undefined;
  /** Largest message sent (see server-outbound.ts); none when absent. */
  maxMessageBytes?: number;
  /**
   * Turns a JSON reply still owed after `jsonSseAfterMs` to SSE with a priming event, so a
   * client that loses the connection, or a server that restarts, can still deliver the
   * result (resumption needs an event id). None: only a streaming handler turns it.
   */
  jsonTurns?: JsonSseTurns | undefined;
}

/** How a POST stream answers while it has not committed to SSE (JSON reply mode). */
export interface JsonReply {
  /** Collected responses; resolved into one JSON body once every request is answered. */
  responses: JsonRpcMessage[];
  /** The POST was a JSON-RPC batch (2025-03-26): its answer is an array, even of one. */
  batch?: boolean;
  resolve(reply: ServerReply): void;
  /** Called once the reply has turned to SSE and the stream is open in the store. */
  onSse?(): void;
}

export interface ServerStreamOptions {
  key: StreamKey;
  kind: 'post' | 'standalone';
  settings: StreamSettings;
  /**
   * Its session, asked whether to send the 2025-11-25 priming event and retry hint when a
   * connection starts (the initialize POST learns its version on the way).
   */
  session: { primingFor(): { retryMs: number } | undefined };
}
