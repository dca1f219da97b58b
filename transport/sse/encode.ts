/**
 * Server-Sent Events encoder (HTML Living Standard, "Server-sent events": the
 * `text/event-stream` format) as used by the legacy Streamable HTTP transport
 * (2025-11-25 basic/transports).
 *
 * Every function returns the complete text of one event (or comment), ending with the blank
 * line that dispatches it, so a caller writes each result to the response as one chunk.
 */
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';

/** The fields of one outgoing SSE event. */
export interface SseEventFields {
  /** The event id (the client's next `Last-Event-ID`). No CR, LF or NUL. */
  id?: string;
  /** The event type. No CR or LF. Omitted means the default type, `message`. */
  event?: string;
  /** The payload. Line breaks (CRLF, CR or LF) become several `data:` lines. */
  data?: string;
  /** Reconnection delay in ms: a non-negative integer. */
  retry?: number;
}

const BAD_EVENT = /[\r\n]/;
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * An id with CR or LF would end the field early and let the rest be read as other fields;
 * the SSE parser ignores an id containing NUL, so the client would keep a stale cursor. Three
 * `indexOf` scans rather than a regex test: it runs twice per SSE POST (priming event and
 * reply), and counted under callgrind on a 24-character id they cost 485 instructions against
 * the regex's 563 (a `charCodeAt` loop: 1,293; bench/README "Session 32: bytes4").
 */
function checkId(id: string): void {
  if (id.indexOf('\n') !== -1 || id.indexOf('\r') !== -1 || id.indexOf('\0') !== -1) {
    throw new McpError(LocalErrorCode.Protocol, 'SSE event id must not contain CR, LF or NUL');
  }
}

function checkRetry(retry: number): void {
  if (!Number.isSafeInteger(retry) || retry < 0) {
    throw new McpError(LocalErrorCode.Protocol, `SSE retry must be a non-negative integer, got ${retry}`);
  }
}

function dataLines(data: string): string {
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return data === '' ? 'data:\n' : `data: ${data}\n`;
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += line === '' ? 'data:\n' : `data: ${line}\n`;
  return out;
}

/**
 * Encode one SSE event. Fields are written as `event`, `id`, `retry`, then one `data:` line
 * per line of `data`, then the blank line.
 *
 * @throws McpError MCP_ERR_PROTOCOL when `id` holds CR, LF or NUL, `event` holds CR or LF,
 *   or `retry` is not a non-negative integer.
 */
export function encodeSseEvent(fields: SseEventFields): string {
  let out = '';
  if (fields.event !== undefined) {
    if (BAD_EVENT.test(fields.event)) throw new McpError(LocalErrorCode.Protocol, 'SSE event type must not contain CR or LF');
    out += `event: ${fields.event}\n`;
  }
  if (fields.id !== undefined) {
    checkId(fields.id);
    out += `id: ${fields.id}\n`;
  }
  if (fields.retry !== undefined) {
    checkRetry(fields.retry);
    out += `retry: ${fields.retry}\n`;
  }
  if (fields.data !== undefined) out += dataLines(fields.data);
  return `${out}\n`;
}

/**
 * Encode one JSON-RPC message as an SSE event of the default type. `JSON.stringify` escapes
 * every line break inside strings, so the payload is always one `data:` line and the event
 * is a single concatenation (the hot path of a streaming response).
 *
 * @throws McpError MCP_ERR_PROTOCOL when `id` holds CR, LF or NUL.
 */
export function encodeSseMessage(message: JsonRpcMessage, id?: string): string {
  return encodeSseJson(JSON.stringify(message), id);
}

/**
 * Encode a message already serialized with `JSON.stringify` (one line: it escapes every line
 * break) as an SSE event of the default type.
 *
 * @throws McpError MCP_ERR_PROTOCOL when `id` holds CR, LF or NUL.
 */
export function encodeSseJson(json: string, id?: string): string {
  if (id === undefined) return `data: ${json}\n\n`;
  checkId(id);
  return `id: ${id}\ndata: ${json}\n\n`;
}

/**
 * {@link encodeSseJson} for an id the memory event store minted (`<base64url token>.<digits>`,
 * event-id.ts `formatEventId`): it cannot hold CR, LF or NUL, so it is not scanned again (what
 * it buys: `checkId`'s three scans, ~485 instructions, on every reply of an SSE POST).
 * Not exported from the folder's index: only the HTTP server's streams know where an id came from.
 */
export function encodeSseJsonMinted(json: string, id: string | undefined): string {
  return id === undefined ? `data: ${json}\n\n` : `id: ${id}\ndata: ${json}\n\n`;
}

/**
 * {@link encodeSsePriming} for an id the memory event store minted (see
 * {@link encodeSseJsonMinted}): the id is not scanned, `retryMs` is still checked.
 */
export function encodeSsePrimingMinted(id: string, retryMs?: number): string {
  if (retryMs === undefined) return `id: ${id}\ndata:\n\n`;
  checkRetry(retryMs);
  return `id: ${id}\nretry: ${retryMs}\ndata:\n\n`;
}

/**
 * Encode a comment, e.g. a keep-alive that stops proxies from closing an idle stream. The
 * client's parser ignores it. A multi-line text becomes several comment lines.
 */
export function encodeSseComment(text = ''): string {
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += line === '' ? ':\n' : `: ${line}\n`;
  return `${out}\n`;
}

/**
 * Encode the priming event a server sends first on a resumable stream: an event id and
 * empty data, and optionally the `retry` delay the client must wait before reconnecting.
 * 2025-11-25 basic/transports: the server SHOULD first send an event with an id and an empty
 * data field, so the client holds a `Last-Event-ID` before any message is sent.
 *
 * @throws McpError MCP_ERR_PROTOCOL when `id` holds CR, LF or NUL, or `retryMs` is invalid.
 */
export function encodeSsePriming(id: string, retryMs?: number): string {
  checkId(id);
  if (retryMs === undefined) return `id: ${id}\ndata:\n\n`;
  checkRetry(retryMs);
  return `id: ${id}\nretry: ${retryMs}\ndata:\n\n`;
}
