/**
 * The Transport contract: moves whole JSON-RPC messages, knows nothing of MCP features.
 * It lives in protocol/ because the peer engine depends on it; implementations live in
 * transport/.
 */
import type { JsonRpcMessage, RequestId } from './jsonrpc.ts';

/** Options for one outbound message. */
export interface SendOptions {
  /**
   * The inbound request this message belongs to (a progress notification, a log, a
   * server-to-client request made while handling it). Streamable HTTP puts it on that
   * request's stream (2025-11-25 basic/transports: "multiple connections").
   */
  relatedRequestId?: RequestId;
  /** Called with a resumption token (an SSE event id) for this message's stream. */
  onResumptionToken?: (token: string) => void;
}

/**
 * Who sent a message, as the server's authentication established it (HTTP with OAuth,
 * 2025-11-25 and 2026-07-28 basic/authorization). Plain JSON, so a session can keep it.
 * It never holds the access token itself: a server must not pass the client's token on to
 * the services it calls (basic/security_best_practices: token passthrough).
 */
export interface AuthInfo {
  /** The authenticated principal (`sub`), when there is one. */
  readonly subject?: string;
  /** The authorization server that issued the credentials (`iss`). */
  readonly issuer?: string;
  /** The OAuth client the token was issued to (`client_id` / `azp`). */
  readonly clientId?: string;
  /** Granted scopes. */
  readonly scopes?: readonly string[];
  /** When the credentials expire, in seconds since the epoch. */
  readonly expiresAt?: number;
  /** The validated token's claims (JWT payload or introspection response), for application checks. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** What a transport knows about an inbound message beyond its body. */
export interface MessageExtra {
  /** The outbound request this inbound message arrived in answer to (HTTP POST streams). */
  relatedRequestId?: RequestId;
  /**
   * The transport carries every message on one channel (stdio), so it cannot tell which of
   * our requests a peer's request belongs to. The engine then takes our only pending request,
   * when exactly one is pending, as the one it belongs to for aborting (not for `relatedRequestId`).
   */
  oneChannel?: boolean;
  /** HTTP request headers, lower-cased names, when the message came over HTTP. */
  headers?: Readonly<Record<string, string>>;
  /** The HTTP session id, when there is one. */
  sessionId?: string;
  /** Who sent it, when the server authenticates requests. */
  auth?: AuthInfo;
  /**
   * End the connection now carrying the stream of this message's request, keeping the
   * stream itself: later messages wait in its history for the client to resume with
   * `Last-Event-ID` (2025-11-25 basic/transports: the server MAY close the connection
   * after the priming event, "polling"). Returns false when that is not possible. Set by
   * transports that can do it (Streamable HTTP with SSE, 2025-11-25 sessions).
   */
  closeConnection?: () => boolean;
  /**
   * The request was in flight when the server's previous process stopped and is delivered
   * again from the session's durable state after a restart: its handler ran before, at least
   * in part (a tool registered with `restart: 'fail'` is then not run again).
   */
  rerun?: boolean;
}

/** Callbacks a transport reports to, called as methods of this object; set once by {@link Transport.start}. */
export interface TransportHandlers {
  /**
   * A parsed JSON value (object or array) or an `UnparsablePayload` when the bytes were not
   * JSON. The peer engine classifies it. `size`: the message's size as received, in characters,
   * from a transport that reads each message whole (a stdio line): a 2026-07-28 server counts a
   * suspended call by it against `inputRounds.maxContinuationBytes`, `_meta` included. An
   * argument rather than an `extra` member, so a line costs no object for it (bench h).
   * `text`: the message's JSON text as received, from such a transport (the stdio line): a
   * 2026-07-28 server signs a multi round trip's params from it, and only if its handler asks.
   * An argument too: a handler that ignores it (the 2025 peer) keeps no reference to the line.
   */
  onMessage(payload: unknown, extra?: MessageExtra, size?: number, text?: string): void;
  /** The transport is closed, for good; `error` says why when it was not asked to close. */
  onClose(error?: Error): void;
  /** A non-fatal fault (a dropped line, a failed reconnect). */
  onError(error: Error): void;
  /**
   * The response to our request `requestId` can no longer arrive (its stream was lost and
   * could not be resumed); the peer engine rejects that request with `error`. With `method`,
   * only a pending request of that method (a stdio line that wrote our request back).
   */
  onRequestFailed?(requestId: RequestId, error: Error, method?: string): void;
}

/**
 * What a transport's `send` returns when the message was handed on at once and nothing about
 * it can fail later: one settled promise shared by every such send. The peer engine chains no
 * rejection handler to it, so an answer written at once costs no promise and no reaction job.
 */
export const SENT: Promise<void> = Promise.resolve();

/**
 * Told of a request's failure that comes after {@link Transport.send} returned (an HTTP POST
 * refused or lost, its reply unreadable), in place of a rejection of the promise `send`
 * returned. Called as a method of this object, at most once, in a later job than `send`.
 */
export interface SendFailure {
  sendFailed(error: unknown): void;
}

/** A bidirectional message channel. */
export interface Transport {
  /** Begin delivering inbound messages to `handlers`. Called once. */
  start(handlers: TransportHandlers): Promise<void>;
  /**
   * Send one message (or a batch array, 2025-03-26 only). Rejects when it cannot be sent;
   * {@link SENT} when it was handed on at once.
   *
   * With `failure` (the peer engine passes a request's pending entry), a transport may report
   * a failure that comes after `send` returned through `failure.sendFailed(error)` and return
   * {@link SENT} at once, rather than a promise that settles with the exchange: an HTTP call
   * then makes no promise and no rejection handler for the failure it almost never has. A
   * transport that ignores `failure` rejects as before; a failure found before `send` returns
   * rejects either way. So the caller must still handle a promise other than {@link SENT}.
   */
  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions, failure?: SendFailure): Promise<void>;
  /**
   * Send the answer to the peer's request `id` written already as one JSON text (a 2026-07-28
   * result, made without its shaped copy: server/modern/result-answer.ts), as `send` sends a
   * message. Optional: without it the caller sends the message.
   */
  sendAnswerText?(id: RequestId, text: string): Promise<void>;
  /** Close the channel; calls `onClose` once. Safe to call more than once. */
  close(): Promise<void>;
  /** The HTTP session id, for transports that have one. */
  readonly sessionId?: string | undefined;
  /**
   * Told the negotiated protocol version after `initialize`, for transports whose framing
   * depends on it (the HTTP `MCP-Protocol-Version` header).
   */
  setProtocolVersion?(version: string): void;
}
