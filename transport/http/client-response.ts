/**
 * Reading what the server answered, for the HTTP client transport: bounded bodies, error
 * statuses turned into {@link HttpError}, session id validation.
 */
import { HttpError, LocalErrorCode, McpError, parseJson, UnparsablePayload, type RequestId, type RpcErrorObject } from '../../protocol/index.ts';
import { responseIdOf } from '../../protocol/jsonrpc.ts';
import { notUtf8In } from '../../protocol/utf8.ts';
import type { Exchange, ClientReply } from './client-exchange.ts';
import type { SseEvent } from '../sse/decode.ts';

/** Longest error body read to find a JSON-RPC error in it. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The media type of a reply, lower-cased, without parameters ('' when absent). */
export function mediaTypeOf(reply: ClientReply): string {
  const value = reply.header('content-type');
  if (value === undefined) return '';
  const semicolon = value.indexOf(';');
  const type = semicolon === -1 ? value : value.slice(0, semicolon);
  // The two types servers send, as they send them, skip the trim and the lower-casing (an Intl call per reply).
  if (type === 'text/event-stream' || type === 'application/json') return type;
  return type.trim().toLowerCase();
}

/**
 * A session id as the server sent it, or an error: 2025-11-25 basic/transports, session
 * management: it MUST contain only visible ASCII (0x21-0x7E).
 */
export function checkSessionId(value: string): string | McpError {
  if (value.length > 0 && /^[\x21-\x7e]+$/.test(value)) return value;
  return new McpError(LocalErrorCode.Protocol, `the server sent an invalid Mcp-Session-Id ${JSON.stringify(value)}: it must be visible ASCII (0x21-0x7E)`);
}

/**
 * Statuses worth trying again on a reconnection: the server may be restarting, overloaded,
 * or still closing the previous connection of the stream (409).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/** A body grew past the limit of a whole-body read (thrown from the chunk callback). */
class PastLimit extends Error {}

/** The error for a body past `maxBytes`; `option` names the setting that raises it. */
const tooLarge = (maxBytes: number, option: string | undefined): McpError =>
  new McpError(LocalErrorCode.MessageTooLarge, `response body exceeds the limit of ${maxBytes} bytes${option ? ` (${option})` : ''}`);

/**
 * The Encoding standard's UTF-8 decode: a leading byte order mark dropped, invalid bytes as
 * U+FFFD. One decoder for every body: it keeps no state between whole inputs, and decodes a
 * chunk without the Buffer view `Buffer.toString` would need for a plain Uint8Array (~80 ns a reply).
 */
const utf8 = new TextDecoder();

/**
 * A whole body's chunks as UTF-8 text (a leading byte order mark dropped, as the Encoding
 * standard's decode does); past `maxBytes`, an MCP_ERR_MESSAGE_TOO_LARGE error is thrown,
 * naming `option` (the transport option that sets the limit) when given.
 */
export function bodyTextOf(chunks: readonly Uint8Array[], maxBytes: number, option?: string): string {
  let total = 0;
  for (const chunk of chunks) total += chunk.byteLength;
  if (total > maxBytes) throw tooLarge(maxBytes, option);
  if (total === 0) return '';
  return utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
}

/**
 * A JSON reply's chunks as text ({@link bodyTextOf}), refused with MCP_ERR_PROTOCOL naming the
 * first bad byte when they are not UTF-8: 2025-11-25 basic/transports, "JSON-RPC messages MUST
 * be UTF-8 encoded" (RFC 8259 section 8.1), so a reply is never handed up with U+FFFD in place
 * of what the server sent. Only a text holding U+FFFD has its bytes checked (an invalid byte
 * always decodes to one; a real U+FFFD passes the check), so the usual reply costs one scan.
 */
export function jsonTextOf(chunks: readonly Uint8Array[], maxBytes: number, option?: string): string {
  const text = bodyTextOf(chunks, maxBytes, option);
  if (text.indexOf('\uFFFD') === -1) return text; // before the concat
  const refused = notUtf8In(text, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), 'its body');
  if (!refused) return text;
  throw new McpError(LocalErrorCode.Protocol, `the server's reply was refused: ${refused.message}`);
}

/**
 * Read a whole body as UTF-8 text ({@link bodyTextOf}, or {@link jsonTextOf} for a JSON reply
 * when `json` is true): at once when it has all arrived, else as it comes. Past `maxBytes` the
 * body is abandoned (the exchange aborts) and an MCP_ERR_MESSAGE_TOO_LARGE error thrown.
 */
export async function readBodyText(reply: ClientReply, maxBytes: number, option?: string, json = false): Promise<string> {
  const textOf = json ? jsonTextOf : bodyTextOf;
  const whole = reply.takeBody?.();
  if (whole !== undefined) return textOf(whole, maxBytes, option);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    await reply.stream((chunk) => {
      total += chunk.byteLength;
      if (total > maxBytes) throw new PastLimit();
      chunks.push(chunk);
    });
  } catch (error) {
    if (error instanceof PastLimit) throw tooLarge(maxBytes, option);
    if (error instanceof McpError) throw error; // ours: the exchange was aborted
    // The body ended before its end (a Content-Length that lied, a server gone mid-body).
    throw new McpError(LocalErrorCode.Http, `the reply's body failed after ${total} bytes: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return textOf(chunks, maxBytes, option);
}

/**
 * Read and drop a body nobody needs (a 202 that came with one), so a keep-alive connection
 * can be reused; past `maxBytes` the body is abandoned instead. Resolves then too, and when
 * the exchange's owner aborted it; rejects when the body itself failed.
 */
export async function discardBody(reply: ClientReply, exchange: Exchange, maxBytes: number): Promise<void> {
  let total = 0;
  try {
    await reply.stream((chunk) => {
      total += chunk.byteLength;
      if (total > maxBytes) throw new PastLimit();
    });
  } catch (error) {
    if (error instanceof PastLimit || exchange.aborted) return;
    throw error;
  }
}

/**
 * An SSE event the decoder refused because its bytes are not UTF-8 (sse/decode.ts
 * `onNotUtf8`): the request it answered, read from its lossy text only to fail that request
 * at once, and the error to fail it with; without such a request, the error to report.
 */
export function refusedEvent(event: SseEvent, error: McpError, maxJsonDepth: number): { id: RequestId | undefined; error: McpError } {
  const message = event.event === undefined || event.event === 'message' ? parseJson(event.data, maxJsonDepth) : undefined;
  const id = responseIdOf(message);
  const what = id !== undefined ? `answer to request ${JSON.stringify(id)}` : 'message';
  return { id, error: new McpError(LocalErrorCode.Protocol, `the server's ${what} was refused: ${error.message}`, { cause: error }) };
}

function rpcErrorIn(text: string): RpcErrorObject | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // not JSON: the caller shows the text itself
  }
  const error = typeof value === 'object' && value !== null ? (value as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, data } = error as Record<string, unknown>;
  if (typeof code !== 'number' || typeof message !== 'string') return undefined;
  return data === undefined ? { code, message } : { code, message, data };
}

/**
 * An {@link HttpError} for a failed exchange: the message names what failed and the status,
 * and carries the JSON-RPC error of the body (2025-11-25 basic/transports: error bodies MAY
 * be id-less JSON-RPC errors) or the start of the body text. `sessionId`: the session the
 * refused request was sent with.
 */
export async function httpErrorFrom(reply: ClientReply, what: string, prefix?: string, sessionId?: string): Promise<HttpError> {
  let text = '';
  let readError: unknown;
  try {
    // Read as a JSON reply is: a body that is not UTF-8 is refused, never shown with U+FFFD.
    text = await readBodyText(reply, MAX_ERROR_BODY_BYTES, undefined, true);
  } catch (error) {
    readError = error;
  }
  const rpcError = rpcErrorIn(text);
  const status = `HTTP ${reply.status}${reply.statusText ? ` ${reply.statusText}` : ''}`;
  const notUtf8 = readError instanceof McpError && readError.code === LocalErrorCode.Protocol ? `; ${readError.message}` : '';
  const detail = rpcError ? `: ${rpcError.message}` : text.trim() ? `: ${text.trim().slice(0, 200)}` : notUtf8;
  const message = `${prefix ? `${prefix}; ` : ''}${what} failed with ${status}${detail}`;
  return new HttpError(reply.status, message, {
    ...(rpcError ? { rpcError } : {}),
    ...(readError !== undefined ? { cause: readError } : {}),
    ...(sessionId !== undefined ? { sessionId } : {}),
  });
}

/** What a JSON reply held instead of the response, for {@link noResponseIn}. */
function describeReply(value: unknown): string {
  if (value instanceof UnparsablePayload) return 'a body that is not JSON';
  if (Array.isArray(value)) return `a batch of ${value.length}`;
  const id = responseIdOf(value);
  if (id !== undefined) return `a response to request ${JSON.stringify(id)}`;
  const error = typeof value === 'object' && value !== null ? (value as { error?: { message?: unknown } }).error : undefined;
  if (typeof error?.message === 'string') return `an error without an id: ${error.message.slice(0, 200)}`;
  return 'a message that is no response';
}

/**
 * MCP_ERR_PROTOCOL for a POST whose JSON reply held no response to `missing` (basic/transports:
 * a JSON reply is the request's response), saying what it held instead.
 */
export function noResponseIn(value: unknown, missing: readonly RequestId[]): McpError {
  const ids = missing.map((id) => JSON.stringify(id)).join(', ');
  return new McpError(LocalErrorCode.Protocol, `the server's JSON reply held no response to request ${ids}, but ${describeReply(value)}`);
}
