/**
 * The 2026-07-28 era driven (basic/patterns/mrtr; notes 4): the same surface as the legacy
 * driver, with each `InputRequiredResult` answered (schema-valid elicitation, sampling and roots
 * answers, `requestState` echoed byte for byte by the client) until the call completes. Then,
 * for each tool that asked for input, a call from a client that declares no capability: the
 * server MUST NOT ask it for input it cannot give; for each tool that asked in URL mode, a
 * call from a client that declares elicitation in form mode only; and for each tool that offered
 * tools in sampling, a call from a client that declares sampling without `sampling.tools`.
 */
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { createSchemaTap, type TappedMessage } from '../tap.ts';
import { drive, type DriveOptions, type Target } from './driver.ts';
import { connectWait } from './stdio-start.ts';
import { validArguments } from './args.ts';
import type { FindingRecorder } from './findings.ts';
import { FORM_ONLY, SAMPLING_WITHOUT_TOOLS, type Narrowing } from './narrowed.ts';
import { answersToolUseWrongly } from './sampling-tool-use.ts';
import { checkRequestState } from './modern-request-state.ts';
import { checkRequestStateReuse } from './modern-request-state-reuse.ts';
import { announcedToolsChange, firstListing, judgeToolsListings, type ListingPair } from './modern-tools-list.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The modern version driven. */
const VERSION = '2026-07-28';
/** The input request methods and the client capability each needs (2026-07-28 basic/patterns/mrtr). */
const NEEDS: Record<string, string> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

interface Chain {
  readonly tool: string;
  readonly args: unknown;
  rounds: number;
  completed: boolean;
  asked: Set<string>;
  /** The rules of the narrowed clients whose forbidden requests an inputRequests entry made (URL mode, tools in sampling). */
  narrowed: Set<string>;
  /** A round carried the check's tool use back wrongly: the client refused it (sampling.tool-results). */
  refused: boolean;
}

/** The narrowed clients each tool that asked is called again from. */
const NARROWINGS: readonly Narrowing[] = [FORM_ONLY, SAMPLING_WITHOUT_TOOLS];

/** Follow each tools/call through its rounds: the requests by id, the InputRequiredResults that answered them. */
function toolChains(messages: readonly TappedMessage[]): Map<string, Chain> {
  const calls = new Map<string, { tool: string; args: unknown }>(); // request id -> tool
  const chains = new Map<string, Chain>(); // tool name -> chain of its last call
  for (const { direction, message } of messages) {
    if (!isObj(message)) continue;
    if (direction === 'client-to-server' && message.method === 'tools/call' && isObj(message.params)) {
      const tool = String(message.params.name);
      calls.set(String(message.id), { tool, args: message.params.arguments });
      // A retry carries inputResponses or requestState; anything else starts a new call.
      if (!('inputResponses' in message.params) && !('requestState' in message.params)) chains.set(tool, { tool, args: message.params.arguments, rounds: 0, completed: false, asked: new Set(), narrowed: new Set(), refused: false });
      continue;
    }
    if (direction !== 'server-to-client' || !isObj(message.result)) continue;
    const call = calls.get(String(message.id));
    const chain = call && chains.get(call.tool);
    if (!chain) continue;
    if (message.result.resultType === 'input_required') {
      chain.rounds++;
      if (answersToolUseWrongly(message)) chain.refused = true;
      if (isObj(message.result.inputRequests)) for (const r of Object.values(message.result.inputRequests)) {
        if (!isObj(r)) continue;
        chain.asked.add(String(r.method));
        for (const narrow of NARROWINGS) if (narrow.forbids(r)) chain.narrowed.add(narrow.rule);
      }
    } else chain.completed = true;
  }
  return chains;
}

/**
 * A modern client on a connection of its own (over stdio, a server process of its own) that
 * declares no capability (`narrow`: what it declares instead), run with `use` and closed; what
 * went over its connection.
 */
async function onOwnConnection(target: Target, timeoutMs: number, startMs: number | undefined, narrow: Narrowing | undefined, use: (client: McpClient) => Promise<unknown>): Promise<readonly TappedMessage[]> {
  const transport = target.kind === 'http'
    ? createHttpClientTransport({ url: target.url, headers: target.headers })
    : createStdioClientTransport({ command: target.command, args: target.args, stderr: 'ignore' });
  const tap = createSchemaTap(transport, { side: 'client', record: true, version: VERSION });
  const client = createClient({ name: 'mcpwire-check-bare', version: '0.1.0' }, {
    protocolVersion: VERSION, era: 'modern', limits: { requestTimeoutMs: timeoutMs }, maxInputRounds: 0,
    ...narrow?.options,
  });
  try {
    await client.connect(tap, { timeoutMs: connectWait(target, timeoutMs, startMs) });
    await use(client).catch(() => undefined); // an error is a fine answer
  } catch {
    // Not connected: nothing went over, which the callers judge.
  } finally {
    await client.close().catch(() => undefined);
  }
  return tap.messages;
}

/**
 * Listen for tool list changes on `client` when the server declared it announces them
 * (2026-07-28 server/tools: listChanged), waiting for the acknowledgement (bounded by
 * `timeoutMs`); nothing when it did not, or the listen is refused.
 */
async function watchTools(client: McpClient, timeoutMs: number): Promise<void> {
  if (client.serverCapabilities?.tools?.listChanged !== true) return;
  const listening = client.listen({ toolsListChanged: true });
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
  await Promise.race([listening.acknowledged.then(() => undefined, () => undefined), bound]);
  clearTimeout(timer);
}

/**
 * Two listings of the tools, each on a connection of its own (over stdio, a server process
 * each), the second made while the first's connection is still open: each listens for tool list
 * changes from before its listing until both are made.
 */
async function listingPair(target: Target, o: { timeoutMs: number; startTimeoutMs?: number | undefined }): Promise<ListingPair> {
  let second: readonly TappedMessage[] = [];
  const first = await onOwnConnection(target, o.timeoutMs, o.startTimeoutMs, undefined, async (a) => {
    await watchTools(a, o.timeoutMs);
    await a.listTools({ timeoutMs: o.timeoutMs });
    second = await onOwnConnection(target, o.timeoutMs, o.startTimeoutMs, undefined, async (b) => {
      await watchTools(b, o.timeoutMs);
      await b.listTools({ timeoutMs: o.timeoutMs });
    });
  });
  return { first: firstListing(first), second: firstListing(second), announced: announcedToolsChange(first) || announcedToolsChange(second) };
}

/** What one tool's call from a narrowed client was asked: the input methods, and the first as shown. */
interface Asked { asked: string[]; shown: unknown }

/**
 * Call each chain's tool in turn from a client that declares no capability (`narrow`: what it
 * declares instead); per tool, the input methods the server still asked for (`narrow`: the
 * entries it forbids). One connection for all (over stdio, one server process: a process per
 * tool was most of a stdio check's time); each input request is the answer to its own call's
 * id. When the connection is lost mid-way, the calls left go on a connection of their own.
 */
async function askedWithoutCapabilities(target: Target, chains: readonly Chain[], timeoutMs: number, startMs: number | undefined, narrow?: Narrowing): Promise<Map<string, Asked>> {
  const found = new Map<string, Asked>();
  let left = chains;
  while (left.length > 0) {
    let made = 0;
    const messages = await onOwnConnection(target, timeoutMs, startMs, narrow, async (client) => {
      for (const chain of left) {
        made++;
        const error = await client.callTool(chain.tool, (chain.args ?? validArguments(undefined)) as Obj, { timeoutMs }).then(() => undefined, (e: unknown) => e);
        if (isObj(error) && error.code === 'MCP_ERR_CLOSED') break;
      }
    });
    const calls = new Map<string, Obj>(); // request id -> the tools/call, its _meta clientCapabilities with it
    for (const { direction, message } of messages) {
      if (direction === 'client-to-server' && isObj(message) && message.method === 'tools/call') calls.set(JSON.stringify(message.id), message);
      if (direction !== 'server-to-client' || !isObj(message) || !isObj(message.result) || !isObj(message.result.inputRequests)) continue;
      const sent = calls.get(JSON.stringify(message.id));
      const tool = isObj(sent) && isObj(sent.params) ? String(sent.params.name) : undefined;
      if (tool === undefined) continue;
      const mine = found.get(tool) ?? { asked: [], shown: undefined };
      found.set(tool, mine);
      for (const r of Object.values(message.result.inputRequests)) {
        if (!isObj(r) || typeof r.method !== 'string' || !NEEDS[r.method] || (narrow && !narrow.forbids(r))) continue;
        mine.asked.push(r.method);
        mine.shown ??= { sent, got: message };
      }
    }
    left = left.slice(Math.max(made, 1));
  }
  return found;
}

/**
 * `narrow.rule` in this era (2026-07-28 client/elicitation: capabilities, "Servers MUST NOT send
 * elicitation requests with modes that are not supported by the client"; client/sampling: tools
 * in sampling): each tool that made a request `narrow` forbids is called from a client whose
 * clientCapabilities declare less; no such request may come in its inputRequests.
 */
async function checkNarrowed(target: Target, chains: readonly Chain[], o: Omit<DriveOptions, 'era' | 'version'>, narrow: Narrowing): Promise<void> {
  if (!o.rec.wants(narrow.rule)) return;
  const asking = chains.filter((c) => c.narrowed.has(narrow.rule));
  if (asking.length === 0) o.rec.skip(narrow.rule, narrow.none, 'modern');
  const found = await askedWithoutCapabilities(target, asking, o.timeoutMs, o.startTimeoutMs, narrow);
  for (const chain of asking) {
    const { shown } = found.get(chain.tool) ?? { shown: undefined };
    if (shown !== undefined) o.rec.fail(narrow.rule, `${chain.tool} answered input_required with a ${narrow.what} to a client whose _meta clientCapabilities declared ${narrow.declared}`, shown, 'modern');
    else o.rec.pass(narrow.rule, `${chain.tool} asked no ${narrow.what} of a client whose _meta clientCapabilities declared ${narrow.declared}`, 'modern');
  }
}

/** The codes 2026-07-28 defines in its reserved sub-range (basic/index, error codes). */
const DEFINED_CODES = new Set([-32020, -32021, -32022]);

/** Why a 2026-07-28 error answer may not carry `code` (basic/index, error codes), or undefined when it may. */
function reservedCodeMisuse(code: unknown): string | undefined {
  if (code === -32042) return 'the 2025-11-25 URL-elicitation-required code, retired';
  if (typeof code === 'number' && code >= -32099 && code <= -32020 && !DEFINED_CODES.has(code)) return 'a code of the range the specification reserves (-32020 to -32099) that it does not define';
  return undefined;
}

/** `modern.error-codes` on a raw probe's refusal, where any code refuses: a retired or undefined reserved code fails it. */
export function judgeRawCode(rec: FindingRecorder, what: string, code: unknown, exchange: string): void {
  const why = reservedCodeMisuse(code);
  if (why !== undefined && rec.wants('modern.error-codes')) rec.fail('modern.error-codes', `${what} was refused with error ${String(code)}: ${why}`, exchange, 'modern');
}

/**
 * `modern.error-codes` over the driven session (2026-07-28 basic/index, error codes): -32020 to
 * -32099 belong to the specification, and implementations "MUST NOT emit any code from this
 * sub-range that is not defined"; -32042 (URL elicitation required, 2025-11-25) is among the
 * codes this version "MUST NOT emit". (-32002, the other, is `resources.not-found`'s.)
 */
function checkErrorCodes(messages: readonly TappedMessage[], o: Omit<DriveOptions, 'era' | 'version'>): void {
  if (!o.rec.wants('modern.error-codes')) return;
  const sent = new Map<string, unknown>(); // request id -> request
  let errors = 0;
  for (const { direction, message } of messages) {
    if (!isObj(message)) continue;
    if (direction === 'client-to-server' && typeof message.method === 'string' && 'id' in message) sent.set(JSON.stringify(message.id), message);
    if (direction !== 'server-to-client' || !isObj(message.error) || typeof message.error.code !== 'number') continue;
    errors++;
    const code = message.error.code;
    const why = reservedCodeMisuse(code);
    if (why === undefined) continue;
    const request = sent.get(JSON.stringify(message.id));
    const params = isObj(request) && isObj(request.params) ? request.params : {};
    const named = typeof params.name === 'string' ? ` of ${params.name}` : typeof params.uri === 'string' ? ` of ${params.uri}` : '';
    const method = isObj(request) ? `${String(request.method)}${named}` : 'a request';
    o.rec.fail('modern.error-codes', `${method} was answered with error ${code}: ${why}`, { sent: request, got: message }, 'modern');
  }
  if (!o.rec.findings.some((f) => f.id === 'modern.error-codes' && f.outcome === 'fail')) o.rec.pass('modern.error-codes', `none of the session's ${errors} error answer(s) used a retired or undefined reserved code`, 'modern');
}

/** Drive the modern era of `target`; returns the version spoken, or undefined when it could not connect. */
export async function driveModern(target: Target, o: Omit<DriveOptions, 'era' | 'version'>): Promise<string | undefined> {
  return drive(target, { ...o, era: 'modern', version: VERSION }, async (messages, client) => {
    const chains = [...toolChains(messages).values()];
    for (const chain of chains) {
      if (chain.rounds === 0) continue;
      // 2026-07-28 basic/patterns/mrtr: with its inputs answered the call completes (or asks again, within reason).
      if (!chain.completed && chain.refused) o.rec.skip('modern.input-rounds', `${chain.tool} stopped: the check's client refused its sampling request, which carried the model's tool use back wrongly (sampling.tool-results)`, 'modern');
      else if (chain.completed) o.rec.pass('modern.input-rounds', `${chain.tool} completed after ${chain.rounds} input round(s) (${[...chain.asked].join(', ') || 'requestState only'})`, 'modern');
      else o.rec.fail('modern.input-rounds', `${chain.tool} still answered input_required after ${chain.rounds} answered round(s)`, { tool: chain.tool, asked: [...chain.asked] }, 'modern');
    }
    // 2026-07-28: each tool that asked is called again from a client declaring no capability (one connection for all).
    const gated = o.rec.wants('modern.input-gating') ? chains.filter((c) => c.rounds > 0 && c.asked.size > 0) : [];
    const bare = gated.length > 0 ? await askedWithoutCapabilities(target, gated, o.timeoutMs, o.startTimeoutMs) : new Map<string, Asked>();
    for (const chain of gated) {
      const { asked, shown } = bare.get(chain.tool) ?? { asked: [], shown: undefined };
      if (asked.length > 0) o.rec.fail('modern.input-gating', `${chain.tool} asked a client that declared no capability for ${[...new Set(asked)].join(', ')}`, shown, 'modern');
      else o.rec.pass('modern.input-gating', `${chain.tool} asked a client without capabilities for no input it could not give`, 'modern');
    }
    checkErrorCodes(messages, o);
    for (const narrow of NARROWINGS) await checkNarrowed(target, chains, o, narrow);
    await checkRequestState(o.rec, messages, client, o.timeoutMs);
    await checkRequestStateReuse(o.rec, messages, client, o.timeoutMs);
    // Two connections of their own, one after the other, with no call between: a tool that registers tools is no per-connection variation.
    await judgeToolsListings(o.rec, () => listingPair(target, o));
  });
}
