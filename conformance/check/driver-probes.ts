/**
 * What the driver checks beyond calling the server's listed surface, for rules no schema
 * states: requests the server cannot serve (an unknown method must get -32601, 2025-11-25
 * basic/index: messages follow JSON-RPC 2.0, whose §5.1 names the code; an unknown tool a
 * JSON-RPC error; an unknown resource the not-found code), ping (basic/utilities/ping), tool
 * names and structured results, and paging (a cursor refused or looping). Each answer is still
 * checked by the schema tap.
 */
import type { McpClient } from 'mcpwire/client';
import type { TappedMessage } from '../tap.ts';
import type { DriveOptions } from './driver.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** A method no server implements (outside every spec namespace). */
/**
 * Rethrow `error` when the connection is gone (the server exited mid-check): that is no finding
 * of the rule being probed, and every later request would fail the same way; the session stops
 * and run.reachable says why, once.
 */
export function rethrowIfClosed(error: unknown): void {
  if ((error as { code?: unknown } | null)?.code === 'MCP_ERR_CLOSED') throw error;
}

export const UNKNOWN_METHOD = 'mcpwire-check/no-such-method';

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  return typeof code === 'number' ? `error ${code} (${text})` : text;
}

/** `method` sent raw through the client's JSON-RPC engine (the typed helpers know only spec methods). */
function raw(client: McpClient, method: string, params: Record<string, unknown> | undefined, timeoutMs: number): Promise<unknown> {
  return client.peer.request(method as never, params as never, { timeoutMs });
}

/** A request of the driven session and what answered it ('(no answer)' when nothing did), as a finding's exchange. */
function exchangeOf(wire: readonly TappedMessage[], sent: TappedMessage | undefined): { sent: Obj; got: unknown } | undefined {
  if (sent === undefined || !isObj(sent.message)) return undefined;
  const id = sent.message.id;
  const answer = wire.findLast((m) => m.direction === 'server-to-client' && isObj(m.message) && m.message.id === id && !('method' in m.message));
  return { sent: sent.message, got: answer?.message ?? '(no answer)' };
}

/** Our last `method` request on the wire and what answered it: what was sent and what came back. */
export function lastExchange(wire: readonly TappedMessage[], method: string): { sent: Obj; got: unknown } | undefined {
  return exchangeOf(wire, wire.findLast((m) => m.direction === 'client-to-server' && isObj(m.message) && m.message.method === method));
}

/** The last request sent from `wire[from]` on and what answered it, for a call that failed. */
export function exchangeSince(wire: readonly TappedMessage[], from: number): { sent: Obj; got: unknown } | undefined {
  return exchangeOf(wire, wire.slice(from).findLast((m) => m.direction === 'client-to-server' && isObj(m.message) && typeof m.message.method === 'string' && 'id' in m.message));
}

/**
 * The error code on the wire of the server's answer to our last `method` request: the client
 * refuses a malformed error (no message, say), and that is the schema's finding, not this rule's.
 */
function wireErrorCode(wire: readonly TappedMessage[], method: string): unknown {
  const got = lastExchange(wire, method)?.got;
  return isObj(got) && isObj(got.error) ? got.error.code : undefined;
}

/** JSON-RPC 2.0 §5.1: a request for a method the server does not have gets error -32601. */
export async function probeUnknownMethod(client: McpClient, o: DriveOptions, wire: readonly TappedMessage[]): Promise<void> {
  if (!o.rec.wants('jsonrpc.method-not-found')) return;
  try {
    const result = await raw(client, UNKNOWN_METHOD, {}, o.timeoutMs);
    o.rec.fail('jsonrpc.method-not-found', `${UNKNOWN_METHOD} was answered with a result, not an error`, result, 'legacy');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === -32601 || (typeof code !== 'number' && wireErrorCode(wire, UNKNOWN_METHOD) === -32601)) o.rec.pass('jsonrpc.method-not-found', `${UNKNOWN_METHOD} got -32601`, 'legacy');
    else o.rec.fail('jsonrpc.method-not-found', `${UNKNOWN_METHOD} got ${describe(error)}, expected error -32601`, lastExchange(wire, UNKNOWN_METHOD), 'legacy');
  }
}

/** 2025-11-25 basic/utilities/ping: "The receiver MUST respond promptly with an empty response." */
export async function probePing(client: McpClient, o: DriveOptions, wire: readonly TappedMessage[]): Promise<void> {
  if (!o.rec.wants('ping.answer')) return;
  try {
    const result = await raw(client, 'ping', undefined, o.timeoutMs);
    if (typeof result === 'object' && result !== null && !Array.isArray(result)) o.rec.pass('ping.answer', 'ping answered with a result', 'legacy');
    else o.rec.fail('ping.answer', 'ping answered with a result that is not an object', result, 'legacy');
  } catch (error) {
    o.rec.fail('ping.answer', `ping got ${describe(error)}, expected an empty result`, lastExchange(wire, 'ping'), 'legacy');
  }
}

/** 2025-11-25 server/tools: tool names SHOULD be unique within a server. */
export function checkToolNames(tools: readonly { name: string }[], o: DriveOptions, era: 'legacy' | 'modern'): void {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { name } of tools) (seen.has(name) ? twice : seen).add(name);
  if (twice.size > 0) o.rec.fail('tools.unique-names', `tools/list names ${[...twice].map((n) => JSON.stringify(n)).join(', ')} more than once`, tools.filter((t) => twice.has(t.name)), era);
  else o.rec.pass('tools.unique-names', `${tools.length} tool name(s), each once`, era);
}

/**
 * 2025-11-25 server/tools, structured content: "a tool that returns structured content SHOULD
 * also return the serialized JSON in a TextContent block". Only a result with no text block at
 * all is held against the server: a text block worded for people is the server's choice.
 */
export function checkStructuredText(tool: string, result: { structuredContent?: unknown; content?: unknown; isError?: boolean }, o: DriveOptions, era: 'legacy' | 'modern'): void {
  if (result.structuredContent === undefined || result.isError === true) return;
  const blocks = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  if (blocks.some((b) => isObj(b) && b.type === 'text')) o.rec.pass('tools.structured-text', `${tool} returned its structuredContent with a text block`, era);
  else o.rec.fail('tools.structured-text', `${tool} returned structuredContent and no text block`, result, era);
}

/** A tool name no server lists. */
export const UNKNOWN_TOOL = 'mcpwire-check-no-such-tool';

/**
 * 2025-11-25 server/tools, error handling: an unknown tool is a protocol error (a JSON-RPC
 * error; the spec's example is -32602), not a tool result, not even one with isError.
 */
export async function probeUnknownTool(client: McpClient, o: DriveOptions, era: 'legacy' | 'modern', wire: readonly TappedMessage[]): Promise<void> {
  if (!o.rec.wants('tools.unknown-tool')) return;
  try {
    const result = await client.callTool(UNKNOWN_TOOL, {}, { timeoutMs: o.timeoutMs });
    o.rec.fail('tools.unknown-tool', `tools/call of ${UNKNOWN_TOOL} was answered with a ${result.isError === true ? 'tool error (isError)' : 'result'}, not a JSON-RPC error`, lastExchange(wire, 'tools/call') ?? result, era);
  } catch (error) {
    rethrowIfClosed(error);
    const local = (error as { code?: unknown }).code;
    const code = typeof local === 'number' ? local : wireErrorCode(wire, 'tools/call');
    if (typeof code === 'number') o.rec.pass('tools.unknown-tool', `tools/call of ${UNKNOWN_TOOL} got error ${code}`, era);
    else o.rec.fail('tools.unknown-tool', `tools/call of ${UNKNOWN_TOOL}: ${describe(error)}`, lastExchange(wire, 'tools/call'), era);
  }
}

/** A URI no server serves (a scheme of its own). */
export const UNKNOWN_URI = 'mcpwire-check://no-such-resource';

/**
 * resources/read of a URI the server does not have gets an error with the not-found code:
 * 2025-11-25 server/resources (error handling) recommends -32002 (a SHOULD); SEP-2164 moved it
 * to -32602, which 2026-07-28 requires (a MUST: `resources.not-found`, where -32002 is a code the
 * version must not emit), and several legacy SDKs already answer -32602, so the legacy era
 * accepts both.
 */
export async function probeUnknownResource(client: McpClient, o: DriveOptions, era: 'legacy' | 'modern', wire: readonly TappedMessage[]): Promise<void> {
  const id = era === 'modern' ? 'resources.not-found' : 'resources.unknown-uri';
  if (!o.rec.wants(id)) return;
  const wanted = era === 'modern' ? [-32602] : [-32002, -32602];
  try {
    await client.readResource(UNKNOWN_URI, { timeoutMs: o.timeoutMs });
    o.rec.fail(id, `resources/read of ${UNKNOWN_URI} was answered with a result, expected error ${wanted.join(' or ')}`, lastExchange(wire, 'resources/read'), era);
  } catch (error) {
    rethrowIfClosed(error);
    const local = (error as { code?: unknown }).code;
    const code = typeof local === 'number' ? local : wireErrorCode(wire, 'resources/read');
    if (typeof code === 'number' && wanted.includes(code)) o.rec.pass(id, `resources/read of ${UNKNOWN_URI} got ${code}`, era);
    else o.rec.fail(id, `resources/read of ${UNKNOWN_URI} got ${typeof code === 'number' ? `error ${code}` : describe(error)}, expected ${wanted.join(' or ')}`, lastExchange(wire, 'resources/read'), era);
  }
}

/** The cursors sent with `method` requests from `from` on. */
function cursorsSent(wire: readonly TappedMessage[], from: number, method: string): string[] {
  const cursors: string[] = [];
  for (const { direction, message } of wire.slice(from)) {
    if (direction === 'client-to-server' && isObj(message) && message.method === method && isObj(message.params) && typeof message.params.cursor === 'string') cursors.push(message.params.cursor);
  }
  return cursors;
}

/**
 * One listing, paged by the client. A failure after the first page (a cursor the server gave
 * refused, or pages that never end) is `pagination.cursor`'s (2025-11-25 server/utilities/
 * pagination: servers SHOULD provide stable cursors; clients MUST treat them as opaque, so only
 * the server can end the listing); the listing then counts as empty and the session goes on.
 */
export async function listPaged<T>(method: string, list: () => Promise<T[]>, o: DriveOptions, era: 'legacy' | 'modern', wire: readonly TappedMessage[]): Promise<T[]> {
  const from = wire.length;
  try {
    const items = await list();
    const pages = cursorsSent(wire, from, method).length;
    if (pages > 0) o.rec.pass('pagination.cursor', `${method} paged through ${pages + 1} pages`, era);
    return items;
  } catch (error) {
    const cursors = cursorsSent(wire, from, method);
    if (cursors.length === 0) throw error;
    o.rec.fail('pagination.cursor', `${method} failed on a page asked with the server's nextCursor: ${describe(error)}`, { method, cursors: cursors.slice(0, 5) }, era);
    return [];
  }
}

/** Thrown instead of sending a list request whose cursor this listing already sent. */
export class CursorLoop extends Error {
  constructor(method: string, cursor: string) {
    super(`${method} gave the cursor ${JSON.stringify(cursor)} a second time in one listing (a loop)`);
    this.name = 'CursorLoop';
  }
}

/**
 * A guard for the driven session's sends: a list request repeating a cursor of the same listing
 * (a listing starts with the request without one) gets the error to reject its send with, so a
 * looping server costs one page, not the client's whole page bound.
 */
export function cursorLoopGuard(): (message: unknown) => CursorLoop | undefined {
  const listings = new Map<string, Set<string>>(); // method -> cursors sent since its first page
  return (message) => {
    if (!isObj(message) || typeof message.method !== 'string' || !message.method.endsWith('/list') || !('id' in message)) return undefined;
    const cursor = isObj(message.params) ? message.params.cursor : undefined;
    if (typeof cursor !== 'string') {
      listings.set(message.method, new Set());
      return undefined;
    }
    const sent = listings.get(message.method) ?? new Set<string>();
    if (sent.has(cursor)) return new CursorLoop(message.method, cursor);
    sent.add(cursor);
    listings.set(message.method, sent);
    return undefined;
  };
}
