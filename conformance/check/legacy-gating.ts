/**
 * The server's side of client capabilities in the legacy era (2025-11-25 basic/lifecycle,
 * operation: both parties MUST only use capabilities that were successfully negotiated; the
 * elicitation, sampling and roots pages each require the client to declare its capability).
 * Each tool that asked the driven client (which declares all three) for input is called again
 * from a session that declares none: the server must not send it those requests. A tool that
 * asked in URL mode is called again from a client declaring form mode only, and a tool that
 * offered tools in sampling from a client declaring sampling without `sampling.tools`.
 */
import { createClient, createHttpClientTransport, createStdioClientTransport } from 'mcpwire/client';
import { createSchemaTap, type TappedMessage } from '../tap.ts';
import type { DriveOptions, Target } from './driver.ts';
import { connectWait } from './stdio-start.ts';
import { FORM_ONLY, SAMPLING_WITHOUT_TOOLS, type Narrowing } from './narrowed.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The server request methods and the client capability each needs. */
const NEEDS: Readonly<Record<string, string>> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

/** The tools whose calls made the server send a capability-gated request, with their arguments (`pick`: only such requests). */
function askingTools(messages: readonly TappedMessage[], pick?: (request: Obj) => boolean): Map<string, unknown> {
  const asking = new Map<string, unknown>();
  let current: { id: unknown; name: string; args: unknown } | undefined; // the driver calls tools one at a time
  for (const { direction, message } of messages) {
    if (!isObj(message)) continue;
    if (direction === 'client-to-server' && message.method === 'tools/call' && isObj(message.params)) current = { id: message.id, name: String(message.params.name), args: message.params.arguments };
    else if (direction === 'server-to-client' && current && !('method' in message) && message.id === current.id) current = undefined;
    else if (direction === 'server-to-client' && current && typeof message.method === 'string' && NEEDS[message.method] && 'id' in message && (!pick || pick(message))) asking.set(current.name, current.args);
  }
  return asking;
}

/** What one tool's call in a narrowed session made the server send: the gated requests, and the first as shown. */
interface Asked { asked: string[]; shown: unknown }

/** True when `error` says the connection is gone (the server exited or hung up). */
const closed = (error: unknown): boolean => isObj(error) && error.code === 'MCP_ERR_CLOSED';

/**
 * Call each of `calls` in turn from a session that declares no client capability (`narrow`:
 * what that client declares instead); per tool, the gated requests the server still sent
 * (`narrow`: those it forbids). One session for all of them (over stdio, one process: the
 * session costs a server start, per tool it was most of a stdio check's time); the calls are
 * sequential, so a request belongs to the call in flight. When the connection is lost mid-way,
 * the calls left go on a session of their own.
 */
async function askedBare(target: Target, calls: ReadonlyMap<string, unknown>, timeoutMs: number, startMs: number | undefined, narrow?: Narrowing): Promise<Map<string, Asked>> {
  const found = new Map<string, Asked>();
  let left = [...calls];
  while (left.length > 0) {
    const done = await bareSession(target, left, timeoutMs, startMs, narrow, found);
    left = left.slice(done);
  }
  return found;
}

/** One session of {@link askedBare}; the count of `calls` it made (at least one). */
async function bareSession(target: Target, calls: ReadonlyArray<readonly [string, unknown]>, timeoutMs: number, startMs: number | undefined, narrow: Narrowing | undefined, found: Map<string, Asked>): Promise<number> {
  const transport = target.kind === 'http'
    ? createHttpClientTransport({ url: target.url, headers: target.headers })
    : createStdioClientTransport({ command: target.command, args: target.args, stderr: 'ignore' });
  const tap = createSchemaTap(transport, { side: 'client', record: true });
  const client = createClient({ name: 'mcpwire-check-bare', version: '0.1.0' }, {
    limits: { requestTimeoutMs: timeoutMs }, reinitializeOnExpiry: false,
    ...narrow?.options,
  });
  let made = 0;
  try {
    await client.connect(tap, { timeoutMs: connectWait(target, timeoutMs, startMs) });
    for (const [tool, args] of calls) {
      made++;
      found.set(tool, { asked: [], shown: undefined });
      const error = await client.callTool(tool, (isObj(args) ? args : {}), { timeoutMs }).then(() => undefined, (e: unknown) => e); // an error is a fine answer
      if (closed(error)) break;
    }
  } finally {
    await client.close().catch(() => undefined);
  }
  let declared: unknown; // what the session declared at initialize
  let sent: unknown; // the tools/call the request came during
  let tool = '';
  for (const { direction, message } of tap.messages) {
    if (direction === 'client-to-server' && isObj(message) && message.method === 'initialize' && isObj(message.params)) declared = message.params.capabilities;
    if (direction === 'client-to-server' && isObj(message) && message.method === 'tools/call') {
      sent = message;
      tool = isObj(message.params) ? String(message.params.name) : '';
    }
    if (direction !== 'server-to-client' || !isObj(message) || typeof message.method !== 'string' || !NEEDS[message.method] || !('id' in message)) continue;
    if (narrow && !narrow.forbids(message)) continue;
    const mine = found.get(tool);
    if (mine === undefined) continue;
    mine.asked.push(message.method);
    mine.shown ??= { declared, sent, got: message };
  }
  return Math.max(made, 1);
}

/**
 * Record `narrow.rule` for each tool of the driven session (whose client declares every mode and
 * `sampling.tools`) that made a request `narrow` forbids: called again from the narrowed client
 * (2025-11-25 client/elicitation: capabilities; client/sampling: tools in sampling), it must not
 * be sent one.
 */
async function checkNarrowed(target: Target, messages: readonly TappedMessage[], o: DriveOptions, narrow: Narrowing): Promise<void> {
  if (!o.rec.wants(narrow.rule)) return;
  const tools = askingTools(messages, narrow.forbids);
  if (tools.size === 0) {
    o.rec.skip(narrow.rule, narrow.none, 'legacy');
    return;
  }
  const found = await askedBare(target, tools, o.timeoutMs, o.startTimeoutMs, narrow);
  for (const tool of tools.keys()) {
    const { shown } = found.get(tool) ?? { shown: undefined };
    if (shown !== undefined) o.rec.fail(narrow.rule, `${tool} sent a ${narrow.what} to a client that declared ${narrow.declared}`, shown, 'legacy');
    else o.rec.pass(narrow.rule, `${tool} sent no ${narrow.what} to a client that declared ${narrow.declared}`, 'legacy');
  }
}

/** Record `capability.client-gating` (and `capability.elicitation-mode`, `capability.sampling-tools`) for each tool of the driven session that asked for input. */
export async function checkClientGating(target: Target, messages: readonly TappedMessage[], o: DriveOptions): Promise<void> {
  for (const narrow of [FORM_ONLY, SAMPLING_WITHOUT_TOOLS]) await checkNarrowed(target, messages, o, narrow);
  if (!o.rec.wants('capability.client-gating')) return;
  const tools = askingTools(messages);
  if (tools.size === 0) {
    o.rec.skip('capability.client-gating', 'no tool asked the client for elicitation, sampling or roots', 'legacy');
    return;
  }
  const found = await askedBare(target, tools, o.timeoutMs, o.startTimeoutMs);
  for (const tool of tools.keys()) {
    const { asked, shown } = found.get(tool) ?? { asked: [], shown: undefined };
    if (asked.length > 0) o.rec.fail('capability.client-gating', `${tool} sent ${[...new Set(asked)].join(', ')} to a client that declared no ${[...new Set(asked.map((m) => NEEDS[m]))].join(', ')} capability`, shown, 'legacy');
    else o.rec.pass('capability.client-gating', `${tool} sent no request a client without capabilities could not answer`, 'legacy');
  }
}
