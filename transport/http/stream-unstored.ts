/**
 * A message a POST stream's store could not keep (a full disk, a folder made read-only, a
 * store closed under it), whether it refused at once (memory) or later (a file, Redis).
 * The call's tool has run by then, and its outcome is worth more than its resumability
 * (2025-11-25 basic/transports: a server MAY make its streams resumable; a tool with side
 * effects that ran must not have its result lost). So a response goes on the live
 * connection all the same, and an error record takes its place in the history when that
 * smaller record fits: the live event carries that record's id, so a client that read the
 * response resumes past it, and one that lost the connection first resumes to the error
 * (one response per request either way), and a restart does not take the call for
 * interrupted and run it again (server-recovery.ts). A notification (progress, a log line)
 * goes live unstored: a resume misses it, the handler is not failed for it. A request (a
 * question to the client) fails, so the handler hears it before acting on an answer.
 */
import { ErrorCode, LocalErrorCode, McpError, type JsonRpcMessage, type JsonRpcRequest } from '../../protocol/index.ts';
import { isRequest, isResponse } from '../../protocol/jsonrpc.ts';

/** What {@link keepUnstored} needs from the stream. */
export interface UnstoredStream {
  /** True once the stream's start is stored: an error record can follow it. */
  readonly started: boolean;
  /** Store `message` after what the stream holds; resolves with its event id. */
  append(message: JsonRpcMessage): Promise<string>;
  /** Send `json` on the live connection (with `id` when stored), ending it when `last`. */
  send(json: string, id: string | undefined, last: boolean): void;
  /** End the live connection. */
  end(): void;
  /** True while a connection carries the stream. */
  readonly connected: boolean;
  /** Where the first refusal is remembered: later notifications' are not reported again. */
  readonly stream: { storeFailed: boolean };
  report(error: Error): void;
}

/** Refusals of a question whose sender (the handler that asked) is told: not the operator's to hear. */
const told = new WeakSet<object>();

/**
 * True when `error` refused a question to the client and its sender got it: the handler
 * hears it (and its call's outcome says what came of it), so a stream's failed step does
 * not report it again (one cause, one line).
 */
export function toldToSender(error: unknown): boolean {
  return typeof error === 'object' && error !== null && told.has(error);
}

/**
 * Deliver `message` (serialized as `json`) that the store refused with `error`, as the module
 * comment says. Rejects with `error` for a request only (its sender hears of it).
 */
export async function keepUnstored(stream: UnstoredStream, message: JsonRpcMessage, json: string, error: unknown, last: boolean): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  if (isRequest(message)) {
    if (last) stream.end();
    if (typeof error === 'object' && error !== null) told.add(error);
    throw error;
  }
  const failure = storeFailure(message, error);
  const id = failure && stream.started ? await stream.append(failure).catch(() => undefined) : undefined;
  const connected = stream.connected;
  stream.send(json, id, last);
  // One full disk, one report per stream: its first notification refused, and its response.
  if (!failure && stream.stream.storeFailed) return;
  stream.stream.storeFailed = true;
  const what = failure ? `the response to request ${JSON.stringify((message as { id: unknown }).id)}` : 'a notification';
  const where = connected ? 'it was sent on the live connection only' : 'no connection was open to send it on';
  const resume = !failure ? 'a resume misses it (later ones on this stream are not reported)' : id ? 'a client resuming from before it gets an error in its place' : 'a client resuming from before it gets nothing for it';
  stream.report(new McpError(LocalErrorCode.Store, `${what} could not be stored (${reason}): ${where}; ${resume}`, { cause: error }));
}

/**
 * The error record that takes the place of a response the store could not keep, or
 * undefined for other messages.
 */
function storeFailure(message: JsonRpcMessage, error: unknown): JsonRpcMessage | undefined {
  if (!isResponse(message) || message.id === undefined || message.id === null) return undefined;
  const code = error instanceof McpError ? error.code : LocalErrorCode.Store;
  const reason = error instanceof Error ? error.message : String(error);
  return { jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InternalError, message: `The response could not be stored (${code}): ${reason}; it was sent only on the connection open when it was made`, data: { code } } };
}

/**
 * Requests with no side effect by the spec's definition: reading them again changes nothing.
 * `tasks/result` is left out (a 2025 task's questions to the client go out on its stream).
 */
const READ_ONLY = new Set([
  'ping', 'tools/list', 'prompts/list', 'prompts/get', 'resources/list', 'resources/templates/list',
  'resources/read', 'completion/complete', 'tasks/get', 'tasks/list',
]);

/**
 * True when a POST whose stream's start the store refused (`error`, MCP_ERR_STORE: Redis out
 * of memory, a full disk) is still served, live and unstored, rather than refused with 507.
 * The refusal exists so that a tool with side effects never runs for a call its client is
 * told failed; a read-only request has none, and a client that loses its unstored stream
 * sends it again (2025-11-25 basic/transports: resumability is a MAY; a stream without event
 * ids is not resumable). So clients that list tools after each call (Python's) keep working
 * through the outage. The refusal was reported by the stream's failed start: one line a POST.
 */
function servedUnstored(requests: readonly JsonRpcRequest[], error: unknown): boolean {
  return error instanceof McpError && error.code === LocalErrorCode.Store && requests.length > 0 && requests.every((r) => READ_ONLY.has(r.method));
}

/**
 * A POST stream's start was refused with `error`: its requests `run` all the same, the stream
 * carried live only (on `conn` for SSE; none yet for a JSON reply), when {@link servedUnstored}
 * allows; else `refuse` answers. `report`: where the refusal goes when served, unless the
 * stream's failed start reported it already (SSE's attach does).
 */
export function startRefused<C, R, S>(stream: { carryUnstored(conn: C): void }, conn: C, requests: readonly JsonRpcRequest[], error: unknown, run: () => S, refuse: () => R, report?: (error: Error) => void): R | S {
  if (!servedUnstored(requests, error)) return refuse();
  report?.(error as Error);
  stream.carryUnstored(conn);
  return run();
}
