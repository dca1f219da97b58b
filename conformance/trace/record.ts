/**
 * One line of a trace: a JSON-RPC message seen between a client and a server, with what the
 * tracer worked out about it (what it answers, which call it belongs to, the era and
 * version, an explanation and its spec section, rule breaks).
 */

/** Which way a message went. */
export type TraceDirection = 'client-to-server' | 'server-to-client';

/**
 * What kind of JSON-RPC message it is; `http` for an HTTP event with no message (a GET that
 * resumes, a cut stream); `stdio` for a stdio event with no message (the client closing the
 * server's stdin, a signal passed on, the server's exit); `skipped` for messages that passed
 * unanalysed (the analysis queue was full).
 */
export type TraceKind = 'request' | 'response' | 'error' | 'notification' | 'invalid' | 'http' | 'stdio' | 'skipped';

/** The HTTP exchange a message travelled in (HTTP mode only). */
export interface TraceHttp {
  /** The HTTP method of the exchange (POST, GET, DELETE). */
  readonly method: string;
  /** The response status, once known. */
  readonly status?: number;
  /** The exchange's number in the trace (`#3`): messages on one SSE stream share it. */
  readonly exchange: number;
  /** The SSE event id, when the message came as an event that had one. */
  readonly eventId?: string;
  /** The MCP headers that matter (session id, protocol version, Mcp-Method, Last-Event-ID). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A rule or schema the message breaks. */
export interface TraceFinding {
  /** The rule id `mcpwire check` uses for it (its RULE_CATALOG), e.g. `schema.message`, `jsonrpc.id-unique`. */
  readonly id: string;
  /** What failed, in the validator's words: a schema definition (`CallToolRequest`) or a `rule:` name. */
  readonly definition: string;
  readonly message: string;
}

export interface TraceRecord {
  /** 1, 2, 3 ... in the order the tracer saw the messages. */
  readonly seq: number;
  /** ISO time the tracer saw it. */
  readonly time: string;
  /** Milliseconds since the trace started. */
  readonly ms: number;
  readonly direction: TraceDirection;
  readonly transport: 'stdio' | 'http';
  readonly kind: TraceKind;
  readonly id?: string | number;
  readonly method?: string;
  /** For a response: the method of the request it answers. */
  readonly answers?: string;
  /** The client request (its id) this message belongs to: progress by token, server requests by stream. */
  readonly call?: string | number;
  /** `legacy` (initialize and a session) or `modern` (2026-07-28 per-request `_meta`). */
  readonly era?: 'legacy' | 'modern';
  /** The protocol version in force for this message. */
  readonly version?: string;
  /** A short explanation of what the message does. */
  readonly explain: string;
  /** The spec section the explanation rests on, e.g. `2025-11-25 client/elicitation`. */
  readonly spec?: string;
  readonly findings: readonly TraceFinding[];
  readonly http?: TraceHttp;
  /** For a `skipped` record: how many messages went unanalysed (they passed on unchanged). */
  readonly skipped?: number;
  /** The message as sent (parsed JSON), or the raw text when it was not JSON. */
  readonly message: unknown;
}

/** Something that is told of each record as it is made (the live view, a JSONL file...). */
export type TraceSink = (record: TraceRecord) => void;
