/**
 * Reading what the server answered, for the HTTP client transport: bounded bodies, error
 * statuses turned into {@link HttpError}, session id validation, and a body reader that a
 * signal can stop (so a stream ends even when the fetch does not wire its signal to the body).
 */
import { HttpError, LocalErrorCode, McpError, type RpcErrorObject } from '../../protocol/index.ts';

/** Longest error body read to find a JSON-RPC error in it. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The media type of a response, lower-cased, without parameters ('' when absent). */
export function mediaTypeOf(response: Response): string {
  const value = response.headers.get('content-type') ?? '';
  return (value.split(';')[0] ?? '').trim().toLowerCase();
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

/**
 * Read a whole body as UTF-8 text, refusing more than `maxBytes` (the body is cancelled and
 * an MCP_ERR_MESSAGE_TOO_LARGE error thrown).
 */
export async function readBodyText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new McpError(LocalErrorCode.MessageTooLarge, `response body exceeds the limit of ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/**
 * Read and drop a body nobody needs (a 202 that came with one), so a keep-alive connection
 * can be reused; past `maxBytes`, or when `signal` aborts, the body is cancelled instead.
 */
export async function discardBody(response: Response, maxBytes: number, signal: AbortSignal, onCancelError: (error: unknown) => void): Promise<void> {
  if (!response.body) return;
  let total = 0;
  for await (const chunk of chunksUntilAborted(response.body, signal, onCancelError)) {
    total += chunk.byteLength;
    if (total > maxBytes) return; // leaving the loop cancels the body
  }
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
 * be id-less JSON-RPC errors) or the start of the body text.
 */
export async function httpErrorFrom(response: Response, what: string, prefix?: string): Promise<HttpError> {
  let text = '';
  let readError: unknown;
  try {
    text = await readBodyText(response, MAX_ERROR_BODY_BYTES);
  } catch (error) {
    readError = error;
  }
  const rpcError = rpcErrorIn(text);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const detail = rpcError ? `: ${rpcError.message}` : text.trim() ? `: ${text.trim().slice(0, 200)}` : '';
  const message = `${prefix ? `${prefix}; ` : ''}${what} failed with ${status}${detail}`;
  return new HttpError(response.status, message, {
    ...(rpcError ? { rpcError } : {}),
    ...(readError !== undefined ? { cause: readError } : {}),
  });
}

/**
 * The chunks of `body` until it ends or `signal` aborts. On abort the body is cancelled
 * (the server learns the client went away); a failure to cancel goes to `onCancelError`.
 */
export async function* chunksUntilAborted(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onCancelError: (error: unknown) => void,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  let ended = false;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), aborted]);
      if (next === 'aborted') return;
      if (next.done) {
        ended = true;
        return;
      }
      yield next.value;
    }
  } catch (error) {
    ended = true; // the body failed: it is already closed, nothing to cancel
    throw error;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // Cancelling settles a read still pending, so the lock can be released after it. When
    // the signal aborted the fetch too, the body is already errored with that abort and
    // cancel() only echoes it: that is the stop we asked for, not a fault.
    if (!ended) {
      await reader.cancel(signal.reason).catch((error: unknown) => {
        if (!signal.aborted) onCancelError(error);
      });
    }
    reader.releaseLock();
  }
}
