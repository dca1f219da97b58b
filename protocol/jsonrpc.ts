/**
 * JSON-RPC 2.0 message shapes and the codec that classifies one inbound payload
 * (MCP basic/index: "Messages"; JSON-RPC 2.0 sections 4-6).
 */
import { ErrorCode, type RpcErrorObject } from './errors.ts';

export const JSONRPC_VERSION = '2.0' as const;

/** A request id: a string or an integer, never null (MCP basic/index: requests). */
export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: typeof JSONRPC_VERSION;
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: typeof JSONRPC_VERSION;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcResultResponse {
  jsonrpc: typeof JSONRPC_VERSION;
  id: RequestId;
  result: Record<string, unknown>;
}

export interface JsonRpcErrorResponse {
  jsonrpc: typeof JSONRPC_VERSION;
  /**
   * Omitted only when the id of the faulty request could not be read (the MCP schema has
   * no null id; JSON-RPC's `null` is accepted inbound).
   */
  id?: RequestId | null;
  error: RpcErrorObject;
}

export type JsonRpcResponse = JsonRpcResultResponse | JsonRpcErrorResponse;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** An inbound item that is not valid JSON-RPC: what the error response carries. */
export interface InvalidInbound {
  kind: 'invalid';
  id: RequestId | null;
  error: RpcErrorObject;
  /** A malformed response: the id of our request it was meant to answer (that request fails now). */
  answers?: RequestId;
}

/** One classified inbound item. */
export type Inbound =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcResponse }
  | InvalidInbound;

/** The kind of a valid message (see {@link kindOf}). */
export type MessageKind = 'request' | 'notification' | 'response';

/** A classified payload: one item, or the items of a batch array (2025-03-26 only). */
export type InboundPayload = { batch: false; item: Inbound } | { batch: true; items: Inbound[] };

/**
 * What a transport hands up when bytes were not valid JSON. The peer engine answers it with
 * -32700 (JSON-RPC 2.0 section 5.1).
 */
export class UnparsablePayload {
  readonly detail: string;
  constructor(detail: string) {
    this.detail = detail;
  }
}

/**
 * What a transport hands up for a message it dropped for its size (a stdio line over
 * `maxLineBytes`): the peer engine answers it with -32600, carrying the id when the transport
 * could read it from the bytes it saw. A kind of {@link UnparsablePayload}: the message was
 * never parsed.
 */
export class OversizePayload extends UnparsablePayload {
  /** The request's id, when one was read at the top level of the dropped message. */
  readonly id: RequestId | null;
  constructor(detail: string, id: RequestId | null) {
    super(detail);
    this.id = id;
  }
}

/** Longest method name quoted whole in an error message; longer ones are cut (see {@link quoteMethod}). */
export const MAX_QUOTED_METHOD_CHARS = 100;

/**
 * A method name for an error message: names over {@link MAX_QUOTED_METHOD_CHARS} are cut and
 * say how long they were, so a peer cannot make us echo megabytes back.
 */
export function quoteMethod(method: string): string {
  if (method.length <= MAX_QUOTED_METHOD_CHARS) return method;
  return `${method.slice(0, MAX_QUOTED_METHOD_CHARS)}... (${method.length} characters)`;
}

/** Any other text a peer sent (a tool name, a URI), for an error message: cut as {@link quoteMethod} cuts. */
export const clipEchoed: (text: string) => string = quoteMethod;

/** A value a peer sent, as JSON (quoted), for an error message: cut as {@link quoteMethod} cuts. */
export function quoteEchoed(value: unknown): string {
  return quoteMethod(JSON.stringify(value) ?? String(value));
}

/**
 * Deepest nesting of objects and arrays an inbound message may have (option `maxJsonDepth` of
 * the transports). `JSON.parse` reads any depth, but stringifying or checking a much deeper
 * value exhausts the stack; such a message is refused before anything processes it.
 */
export const DEFAULT_MAX_JSON_DEPTH = 512;

/** `maxJsonDepth` as given, or a RangeError naming it (a positive integer). */
export function checkMaxJsonDepth(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_JSON_DEPTH;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`maxJsonDepth must be a positive integer, got ${value}`);
  return value;
}

/** Whether `value` nests objects and arrays more than `levels` deep (`{}` is one level). */
function deeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (deeperThan(item, levels - 1)) return true;
    return false;
  }
  for (const key in value) if (deeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}

/**
 * Parse text into a JSON value, or an {@link UnparsablePayload} describing the fault. A request,
 * notification or batch nested deeper than `maxDepth` becomes an {@link OversizePayload}
 * carrying the request's id, so it is answered -32600 like a message over the size limit. A
 * response passes whatever its depth: it settles one of our own requests, whose caller reads it.
 */
export function parseJson(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new UnparsablePayload(error instanceof Error ? error.message : String(error));
  }
  // Nesting deeper than maxDepth takes at least 2 * (maxDepth + 1) brackets: shorter text skips the walk.
  if (text.length < 2 * (maxDepth + 1)) return value;
  const m = value as { id?: unknown; method?: unknown };
  const batch = Array.isArray(value);
  if ((!batch && typeof m.method !== 'string') || !deeperThan(value, maxDepth)) return value;
  const id = !batch && isRequestId(m.id) ? m.id : null;
  return new OversizePayload(`the message nests objects and arrays deeper than ${maxDepth} levels (maxJsonDepth)`, id);
}

/** A JSON object: not null, not an array. The one copy for protocol/ and the layers above it. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A valid id: a string or a safe integer (no null, fraction or boolean). */
export function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** What is wrong with a request's unreadable id, for the error message. */
function idProblem(id: unknown): string {
  if (id === null) return 'never null';
  // An integer past 2^53 - 1 would not survive a round trip through a JavaScript peer.
  if (typeof id === 'number') return Number.isInteger(id) ? `at most 2^53 - 1 in size, got ${id}` : `got ${id}`;
  return `got ${Array.isArray(id) ? 'an array' : typeof id}`;
}

function invalid(id: RequestId | null, message: string, code: number = ErrorCode.InvalidRequest): InvalidInbound {
  return { kind: 'invalid', id, error: { code, message } };
}

/**
 * `item` with the id of the request `value` answers, when `value` is shaped like a response
 * (result or error, no method) with a readable id: the receiver fails that request at once
 * rather than leaving it to its timeout.
 */
function answering(value: Record<string, unknown>, item: InvalidInbound): InvalidInbound {
  if (!('method' in value) && ('result' in value || 'error' in value) && isRequestId(value.id)) item.answers = value.id;
  return item;
}

/** Classify one JSON value as a request, notification, response, or an invalid message. */
export function classify(value: unknown): Inbound {
  const kind = kindOf(value);
  return typeof kind === 'string' ? { kind, message: value } as Inbound : kind;
}

/**
 * What {@link classify} finds, without a record around a valid message: its kind alone (the
 * message is `value` itself), or the invalid item. The peer engine's one-message path reads
 * it, so a message costs no object for its classification (bench h, one on each side a call).
 */
export function kindOf(value: unknown): MessageKind | InvalidInbound {
  if (!isObject(value)) return invalid(null, 'Invalid Request: a message must be a JSON object');
  const readableId = isRequestId(value.id) ? value.id : null;
  if (value.jsonrpc !== JSONRPC_VERSION) return answering(value, invalid(readableId, 'Invalid Request: "jsonrpc" must be "2.0"'));
  const hasId = 'id' in value;
  if ('method' in value) {
    if (typeof value.method !== 'string') return invalid(readableId, 'Invalid Request: "method" must be a string');
    if (value.params !== undefined && !isObject(value.params)) {
      return invalid(readableId, 'Invalid Request: "params" must be an object', ErrorCode.InvalidRequest);
    }
    if (!hasId) return 'notification';
    if (!isRequestId(value.id)) return invalid(null, `Invalid Request: "id" must be a string or an integer, ${idProblem(value.id)}`);
    return 'request';
  }
  if ('result' in value || 'error' in value) {
    if ('result' in value && 'error' in value) return answering(value, invalid(readableId, 'Invalid Request: both "result" and "error"'));
    if ('error' in value) {
      const err = value.error;
      if (!isObject(err) || typeof err.code !== 'number' || typeof err.message !== 'string') {
        return answering(value, invalid(readableId, 'Invalid Request: malformed "error" object'));
      }
      if (value.id !== undefined && value.id !== null && !isRequestId(value.id)) {
        return invalid(null, 'Invalid Request: "id" must be a string or an integer');
      }
      return 'response';
    }
    if (!isRequestId(value.id)) return invalid(null, 'Invalid Request: a result needs a string or integer "id"');
    if (!isObject(value.result)) return answering(value, invalid(readableId, 'Invalid Request: "result" must be an object'));
    return 'response';
  }
  return invalid(readableId, 'Invalid Request: neither a request, a notification nor a response');
}

/** Classify a payload handed up by a transport: a value, an array (batch) or unparsable bytes. */
export function classifyPayload(payload: unknown): InboundPayload {
  if (payload instanceof OversizePayload) return { batch: false, item: invalid(payload.id, `Invalid Request: ${payload.detail}`) };
  if (payload instanceof UnparsablePayload) {
    return { batch: false, item: invalid(null, `Parse error: ${payload.detail}`, ErrorCode.ParseError) };
  }
  if (Array.isArray(payload)) {
    if (payload.length === 0) return { batch: false, item: invalid(null, 'Invalid Request: empty batch') };
    return { batch: true, items: payload.map(classify) };
  }
  return { batch: false, item: classify(payload) };
}

export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  return 'method' in m && 'id' in m;
}
export function isNotification(m: JsonRpcMessage): m is JsonRpcNotification {
  return 'method' in m && !('id' in m);
}
export function isResponse(m: JsonRpcMessage): m is JsonRpcResponse {
  return !('method' in m);
}
export function isErrorResponse(m: JsonRpcMessage): m is JsonRpcErrorResponse {
  return 'error' in m;
}

/** The id `value` answers when it is a response (result or error) with a valid id, else undefined. */
export function responseIdOf(value: unknown): RequestId | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value) || (!('result' in value) && !('error' in value))) return undefined;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** An error response; an unreadable id is omitted rather than sent as null. */
export function makeErrorResponse(id: RequestId | null, error: RpcErrorObject): JsonRpcErrorResponse {
  return id === null ? { jsonrpc: JSONRPC_VERSION, error } : { jsonrpc: JSONRPC_VERSION, id, error };
}
