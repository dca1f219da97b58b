/**
 * The 2026-07-28 era driven (basic/patterns/mrtr; notes 4): the same surface as the legacy
 * driver, with each `InputRequiredResult` answered (schema-valid elicitation, sampling and roots
 * answers, `requestState` echoed byte for byte by the client) until the call completes. Then,
 * for each tool that asked for input, a call from a client that declares no capability: the
 * server MUST NOT ask it for input it cannot give.
 */
import { createClient, createHttpClientTransport, createStdioClientTransport } from 'mcpwire/client';
import { createSchemaTap, type TappedMessage } from '../tap.ts';
import { drive, type DriveOptions, type Target } from './driver.ts';
import { connectWait } from './stdio-start.ts';
import { validArguments } from './args.ts';

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
      if (!('inputResponses' in message.params) && !('requestState' in message.params)) chains.set(tool, { tool, args: message.params.arguments, rounds: 0, completed: false, asked: new Set() });
      continue;
    }
    if (direction !== 'server-to-client' || !isObj(message.result)) continue;
    const call = calls.get(String(message.id));
    const chain = call && chains.get(call.tool);
    if (!chain) continue;
    if (message.result.resultType === 'input_required') {
      chain.rounds++;
      if (isObj(message.result.inputRequests)) for (const r of Object.values(message.result.inputRequests)) if (isObj(r)) chain.asked.add(String(r.method));
    } else chain.completed = true;
  }
  return chains;
}

/** Call `tool` from a client that declares no capability; the input methods the server still asked for. */
async function askedWithoutCapabilities(target: Target, tool: string, args: unknown, timeoutMs: number, startMs: number | undefined): Promise<{ asked: string[]; shown: unknown }> {
  const transport = target.kind === 'http'
    ? createHttpClientTransport({ url: target.url, headers: target.headers })
    : createStdioClientTransport({ command: target.command, args: target.args, stderr: 'ignore' });
  const tap = createSchemaTap(transport, { side: 'client', record: true, version: VERSION });
  const client = createClient({ name: 'mcpwire-check-bare', version: '0.1.0' }, { protocolVersion: VERSION, era: 'modern', limits: { requestTimeoutMs: timeoutMs }, maxInputRounds: 0 });
  try {
    await client.connect(tap, { timeoutMs: connectWait(target, timeoutMs, startMs) });
    await client.callTool(tool, (args ?? {}) as Obj, { timeoutMs }).catch(() => undefined); // an error is a fine answer
  } finally {
    await client.close().catch(() => undefined);
  }
  const asked: string[] = [];
  let shown: unknown;
  for (const { direction, message } of tap.messages) {
    if (direction !== 'server-to-client' || !isObj(message) || !isObj(message.result) || !isObj(message.result.inputRequests)) continue;
    for (const r of Object.values(message.result.inputRequests)) if (isObj(r) && typeof r.method === 'string' && NEEDS[r.method]) { asked.push(r.method); shown ??= message; }
  }
  return { asked, shown };
}

/** Drive the modern era of `target`; returns the version spoken, or undefined when it could not connect. */
export async function driveModern(target: Target, o: Omit<DriveOptions, 'era' | 'version'>): Promise<string | undefined> {
  return drive(target, { ...o, era: 'modern', version: VERSION }, async (messages) => {
    for (const chain of toolChains(messages).values()) {
      if (chain.rounds === 0) continue;
      // 2026-07-28 basic/patterns/mrtr: with its inputs answered the call completes (or asks again, within reason).
      if (chain.completed) o.rec.pass('modern.input-rounds', `${chain.tool} completed after ${chain.rounds} input round(s) (${[...chain.asked].join(', ') || 'requestState only'})`, 'modern');
      else o.rec.fail('modern.input-rounds', `${chain.tool} still answered input_required after ${chain.rounds} answered round(s)`, { tool: chain.tool, asked: [...chain.asked] }, 'modern');
      if (chain.asked.size === 0 || !o.rec.wants('modern.input-gating')) continue;
      const { asked, shown } = await askedWithoutCapabilities(target, chain.tool, chain.args ?? validArguments(undefined), o.timeoutMs, o.startTimeoutMs);
      if (asked.length > 0) o.rec.fail('modern.input-gating', `${chain.tool} asked a client that declared no capability for ${[...new Set(asked)].join(', ')}`, shown, 'modern');
      else o.rec.pass('modern.input-gating', `${chain.tool} asked a client without capabilities for no input it could not give`, 'modern');
    }
  });
}
