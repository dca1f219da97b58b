/**
 * The 2026-07-28 era driven (basic/patterns/mrtr; notes 4): the same surface as the legacy
 * driver, with each `InputRequiredResult` answered (schema-valid elicitation, sampling and roots
 * answers, `requestState` echoed byte for byte by the client) until the call completes. Then,
 * for each tool that asked for input, a call from a client that declares no capability: the
 * server MUST NOT ask it for input it cannot give; for each tool that asked in URL mode, a
 * call from a client that declares elicitation in form mode only; and for each tool that offered
 * tools in sampling, a call from a client that declares sampling without `sampling.tools`.
 */
import { createClient, createHttpClientTransport, createStdioClientTransport } from 'mcpwire/client';
import { createSchemaTap, type TappedMessage } from '../tap.ts';
import { drive, type DriveOptions, type Target } from './driver.ts';
import { connectWait } from './stdio-start.ts';
import { validArguments } from './args.ts';
import { FORM_ONLY, SAMPLING_WITHOUT_TOOLS, isUrlElicitation, type Narrowing } from './narrowed.ts';

/** The modern version driven. */
const VERSION = '2026-07-28';
/** The input request methods and the client capability each needs (2026-07-28 basic/patterns/mrtr). */
const NEEDS: Record<string, string> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Chain {
  readonly tool: string;
  readonly args: unknown;
  rounds: number;
  completed: boolean;
  asked: Set<string>;
  /** True when an inputRequests entry asked for URL-mode elicitation. */
  url: boolean;
  /** True when an inputRequests entry offered tools in sampling. */
  samplingTools: boolean;
}

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
      if (!('inputResponses' in message.params) && !('requestState' in message.params)) chains.set(tool, { tool, args: message.params.arguments, rounds: 0, completed: false, asked: new Set(), url: false, samplingTools: false });
      continue;
    }
    if (direction !== 'server-to-client' || !isObj(message.result)) continue;
    const call = calls.get(String(message.id));
    const chain = call && chains.get(call.tool);
    if (!chain) continue;
    if (message.result.resultType === 'input_required') {
      chain.rounds++;
      if (isObj(message.result.inputRequests)) for (const r of Object.values(message.result.inputRequests)) {
        if (!isObj(r)) continue;
        chain.asked.add(String(r.method));
        if (isUrlElicitation(r)) chain.url = true;
        if (SAMPLING_WITHOUT_TOOLS.forbids(r)) chain.samplingTools = true;
      }
    } else chain.completed = true;
  }
  return chains;
}

/**
 * Call `tool` from a client that declares no capability (`narrow`: what it declares instead);
 * the input methods the server still asked for (`narrow`: the entries it forbids).
 */
async function askedWithoutCapabilities(target: Target, tool: string, args: unknown, timeoutMs: number, startMs: number | undefined, narrow?: Narrowing): Promise<{ asked: string[]; shown: unknown }> {
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
    await client.callTool(tool, (args ?? {}) as Obj, { timeoutMs }).catch(() => undefined); // an error is a fine answer
  } finally {
    await client.close().catch(() => undefined);
  }
  const asked: string[] = [];
  let shown: unknown;
  let sent: unknown; // the tools/call, its _meta clientCapabilities with it
  for (const { direction, message } of tap.messages) {
    if (direction === 'client-to-server' && isObj(message) && message.method === 'tools/call') sent = message;
    if (direction !== 'server-to-client' || !isObj(message) || !isObj(message.result) || !isObj(message.result.inputRequests)) continue;
    for (const r of Object.values(message.result.inputRequests)) {
      if (!isObj(r) || typeof r.method !== 'string' || !NEEDS[r.method] || (narrow && !narrow.forbids(r))) continue;
      asked.push(r.method);
      shown ??= { sent, got: message };
    }
  }
  return { asked, shown };
}

/**
 * `capability.elicitation-mode` in this era (2026-07-28 client/elicitation: capabilities,
 * "Servers MUST NOT send elicitation requests with modes that are not supported by the client"):
 * each tool that asked in URL mode is called from a client whose clientCapabilities declare
 * elicitation in form mode only.
 */
async function checkElicitationMode(target: Target, chains: readonly Chain[], o: Omit<DriveOptions, 'era' | 'version'>): Promise<void> {
  if (!o.rec.wants('capability.elicitation-mode')) return;
  const url = chains.filter((c) => c.url);
  if (url.length === 0) o.rec.skip('capability.elicitation-mode', 'no tool asked the client for URL-mode elicitation', 'modern');
  for (const chain of url) {
    const { shown } = await askedWithoutCapabilities(target, chain.tool, chain.args ?? validArguments(undefined), o.timeoutMs, o.startTimeoutMs, FORM_ONLY);
    if (shown !== undefined) o.rec.fail('capability.elicitation-mode', `${chain.tool} answered input_required with a URL-mode elicitation/create to a client whose _meta clientCapabilities declared elicitation in form mode only`, shown, 'modern');
    else o.rec.pass('capability.elicitation-mode', `${chain.tool} asked no URL-mode elicitation of a client whose _meta clientCapabilities declared form mode only`, 'modern');
  }
}

/**
 * `capability.sampling-tools` in this era (2026-07-28 client/sampling: tools in sampling): each
 * tool that offered tools in sampling to the driven client (which declares `sampling.tools`) is
 * called from a client whose clientCapabilities declare sampling without tools.
 */
async function checkSamplingTools(target: Target, chains: readonly Chain[], o: Omit<DriveOptions, 'era' | 'version'>): Promise<void> {
  if (!o.rec.wants('capability.sampling-tools')) return;
  const offering = chains.filter((c) => c.samplingTools);
  if (offering.length === 0) o.rec.skip('capability.sampling-tools', 'no tool offered tools in a sampling request', 'modern');
  for (const chain of offering) {
    const { shown } = await askedWithoutCapabilities(target, chain.tool, chain.args ?? validArguments(undefined), o.timeoutMs, o.startTimeoutMs, SAMPLING_WITHOUT_TOOLS);
    if (shown !== undefined) o.rec.fail('capability.sampling-tools', `${chain.tool} answered input_required with a sampling/createMessage offering tools to a client whose _meta clientCapabilities declared sampling without sampling.tools`, shown, 'modern');
    else o.rec.pass('capability.sampling-tools', `${chain.tool} offered no tools in sampling to a client whose _meta clientCapabilities declared sampling without sampling.tools`, 'modern');
  }
}

/** The codes 2026-07-28 defines in its reserved sub-range (basic/index, error codes). */
const DEFINED_CODES = new Set([-32020, -32021, -32022]);

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
    if (code !== -32042 && (code < -32099 || code > -32020 || DEFINED_CODES.has(code))) continue;
    const request = sent.get(JSON.stringify(message.id));
    const params = isObj(request) && isObj(request.params) ? request.params : {};
    const named = typeof params.name === 'string' ? ` of ${params.name}` : typeof params.uri === 'string' ? ` of ${params.uri}` : '';
    const method = isObj(request) ? `${String(request.method)}${named}` : 'a request';
    const why = code === -32042 ? 'the 2025-11-25 URL-elicitation-required code, retired' : 'a code of the range the specification reserves (-32020 to -32099) that it does not define';
    o.rec.fail('modern.error-codes', `${method} was answered with error ${code}: ${why}`, { sent: request, got: message }, 'modern');
  }
  if (!o.rec.findings.some((f) => f.id === 'modern.error-codes' && f.outcome === 'fail')) o.rec.pass('modern.error-codes', `none of the session's ${errors} error answer(s) used a retired or undefined reserved code`, 'modern');
}

/** Drive the modern era of `target`; returns the version spoken, or undefined when it could not connect. */
export async function driveModern(target: Target, o: Omit<DriveOptions, 'era' | 'version'>): Promise<string | undefined> {
  return drive(target, { ...o, era: 'modern', version: VERSION }, async (messages) => {
    const chains = [...toolChains(messages).values()];
    for (const chain of chains) {
      if (chain.rounds === 0) continue;
      // 2026-07-28 basic/patterns/mrtr: with its inputs answered the call completes (or asks again, within reason).
      if (chain.completed) o.rec.pass('modern.input-rounds', `${chain.tool} completed after ${chain.rounds} input round(s) (${[...chain.asked].join(', ') || 'requestState only'})`, 'modern');
      else o.rec.fail('modern.input-rounds', `${chain.tool} still answered input_required after ${chain.rounds} answered round(s)`, { tool: chain.tool, asked: [...chain.asked] }, 'modern');
      if (chain.asked.size === 0 || !o.rec.wants('modern.input-gating')) continue;
      const { asked, shown } = await askedWithoutCapabilities(target, chain.tool, chain.args ?? validArguments(undefined), o.timeoutMs, o.startTimeoutMs);
      if (asked.length > 0) o.rec.fail('modern.input-gating', `${chain.tool} asked a client that declared no capability for ${[...new Set(asked)].join(', ')}`, shown, 'modern');
      else o.rec.pass('modern.input-gating', `${chain.tool} asked a client without capabilities for no input it could not give`, 'modern');
    }
    checkErrorCodes(messages, o);
    await checkElicitationMode(target, chains, o);
    await checkSamplingTools(target, chains, o);
  });
}
