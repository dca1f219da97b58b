/**
 * One errors module, two families.
 *
 * - {@link RpcError}: an error that travels on the wire as a JSON-RPC error object.
 * - {@link McpError}: a local failure that never goes on the wire (timeouts, closed
 *   sessions, aborted calls, limits). It carries a stable string `code`.
 * - {@link HttpError}: a transport failure with an HTTP `status`.
 */

/** Numeric JSON-RPC and MCP error codes (JSON-RPC 2.0 section 5.1; MCP basic/index). */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** 2024-11-05 .. 2025-11-25 server/resources: resource not found. */
  ResourceNotFound: -32002,
  /** 2025-11-25 client/elicitation: URL elicitation required. */
  UrlElicitationRequired: -32042,
  /** mcpwire: a request was refused because too many are in flight. */
  ServerBusy: -32001,
  /** 2026-07-28 basic/transports/streamable-http: header and body disagree. */
  HeaderMismatch: -32020,
  /** 2026-07-28 basic/index (`_meta`, error codes): a client capability the request needs is missing. */
  MissingRequiredClientCapability: -32021,
  /** 2026-07-28 basic/versioning: protocol version not supported. */
  UnsupportedProtocolVersion: -32022,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The JSON shape of a JSON-RPC error object. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** An error that is (or came from) a JSON-RPC error object on the wire. */
export class RpcError<Data = unknown> extends Error {
  override name = 'RpcError';
  readonly code: number;
  readonly data: Data | undefined;

  constructor(code: number, message: string, data?: Data, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.data = data;
  }

  /** Build from a received error object, keeping code, message and data. */
  static fromObject(obj: RpcErrorObject): RpcError {
    return new RpcError(obj.code, obj.message, obj.data);
  }

  toJSON(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** Stable codes of local failures; the README lists each one. */
export const LocalErrorCode = {
  Timeout: 'MCP_ERR_TIMEOUT',
  Closed: 'MCP_ERR_CLOSED',
  Aborted: 'MCP_ERR_ABORTED',
  MessageTooLarge: 'MCP_ERR_MESSAGE_TOO_LARGE',
  Capability: 'MCP_ERR_CAPABILITY',
  NotConnected: 'MCP_ERR_NOT_CONNECTED',
  Protocol: 'MCP_ERR_PROTOCOL',
  TooManyPending: 'MCP_ERR_TOO_MANY_PENDING',
  Version: 'MCP_ERR_VERSION',
  State: 'MCP_ERR_STATE',
  Http: 'MCP_ERR_HTTP',
  Resume: 'MCP_ERR_RESUME',
  Store: 'MCP_ERR_STORE',
  Validation: 'MCP_ERR_VALIDATION',
  /** A handler needs input from the client before it can finish (server/input.ts). */
  InputRequired: 'MCP_ERR_INPUT_REQUIRED',
  /** The client application's `onElicit` / `onSample` / `onRoots` threw (client/callback-error.ts). */
  Callback: 'MCP_ERR_CALLBACK',
  /** 2026-07-28: a request's response stream broke before its response; the request is lost. */
  StreamLost: 'MCP_ERR_STREAM_LOST',
} as const;
export type LocalErrorCode = (typeof LocalErrorCode)[keyof typeof LocalErrorCode];

/** A local failure: never sent to the peer. */
export class McpError extends Error {
  override name = 'McpError';
  readonly code: LocalErrorCode;

  constructor(code: LocalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A failed HTTP exchange. `status` is the HTTP status; `code` is always MCP_ERR_HTTP. */
export class HttpError extends McpError {
  override name = 'HttpError';
  readonly status: number;
  /** The JSON-RPC error carried in the body, when there was one. */
  readonly rpcError: RpcErrorObject | undefined;
  /**
   * The session id the refused request carried, when it carried one: a client told 404 for a
   * session it has already replaced starts no new one (client.ts retryOnExpiry).
   */
  readonly sessionId: string | undefined;

  constructor(status: number, message: string, options?: { cause?: unknown; rpcError?: RpcErrorObject; sessionId?: string }) {
    super(LocalErrorCode.Http, message, options);
    this.status = status;
    this.rpcError = options?.rpcError;
    this.sessionId = options?.sessionId;
  }
}

/**
 * Turn anything thrown by a handler into a wire error object. Unknown failures map to
 * -32603 (never to a client-fault code), keeping only the message.
 */
export function toRpcErrorObject(error: unknown): RpcErrorObject {
  if (error instanceof RpcError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.InternalError, message: message || 'Internal error' };
}

/** `e` if it is an Error, else an Error whose message is `String(e)` (for values thrown that are not errors). */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
