/**
 * A 2025-era connection as applications and features see it (2025-11-25 basic/lifecycle):
 * what was negotiated at `initialize`, and the snapshot a restarted server brings back.
 */
import type { ClientCapabilities, Implementation, LoggingLevel, ServerCapabilities, ServerSide, Peer } from '../protocol/index.ts';

/** Where a 2025 connection is in its lifecycle (2025-11-25 basic/lifecycle). */
export type ConnectionState = 'awaiting-initialize' | 'initializing' | 'ready' | 'closed';

/** Negotiated facts of a connection that a restarted server brings back from disk. */
export interface ConnectionSnapshot {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
  /**
   * False when saved between the initialize response and the client's
   * notifications/initialized (absent once it came): a copy restored from it, on another
   * instance or after a restart, still holds asks back until it hears that notification.
   */
  initialized?: false;
}

/** A connected client, as features and applications see it. */
export interface ServerConnection {
  /** The JSON-RPC engine of this connection: raw requests and notifications to the client. */
  readonly peer: Peer<ServerSide>;
  /** Where the connection is in its lifecycle: `awaiting-initialize`, `initializing`, `ready`, `closed`. */
  readonly state: ConnectionState;
  /** The HTTP session id (Streamable HTTP, 2025); undefined over stdio and memory pairs. */
  readonly sessionId: string | undefined;
  /** What this server declared to this client (fixed when the connection was made). */
  readonly capabilities: ServerCapabilities;
  /** The version negotiated at initialize. */
  readonly protocolVersion: string;
  /** What the client declared at initialize. */
  readonly clientCapabilities: ClientCapabilities;
  /** The client's `clientInfo` from initialize. */
  readonly clientInfo: Implementation | undefined;
  /** The level the client set with `logging/setLevel`; undefined until it sets one. */
  readonly logLevel: LoggingLevel | undefined;
  /** What a restarted server needs to serve this session again (HTTP sessions in a store); undefined before initialize. */
  snapshot(): ConnectionSnapshot | undefined;
  /** Close this connection: its pending requests reject, its handlers' signals abort. */
  close(): Promise<void>;
}
