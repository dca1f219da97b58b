/**
 * The client's side of tool use in sampling (2025-11-25 and 2026-07-28 client/sampling; the
 * schema's CreateMessageRequestParams and ToolChoice). The scripted server's check_ask, once
 * its plain sample is answered, asks the client's model as its capabilities allow:
 *
 * - a client that declared `sampling.tools`: one tool offered with `toolChoice` `none` (the
 *   answer must hold no `tool_use`: "Model MUST NOT use any tools"), then `required` (the answer
 *   must hold one: "Model MUST use at least one tool before completing"); `client.sampling-tool-choice`.
 *   Each tool_use in those answers names the offered tool with an input its inputSchema
 *   accepts (the schema's words, no MUST); `client.sampling-tool-use`.
 * - a client that declared sampling without `tools`: a request whose `tools` the check adds on
 *   the wire (our server library refuses to send it, as a server must), which the client must
 *   refuse ("The client MUST return an error if this field is provided but
 *   ClientCapabilities.sampling.tools is not declared"); `client.sampling-tools-undeclared`.
 *   In 2026-07-28 an answer is a retry's `inputResponses` entry, and there is no error entry:
 *   a retry that carries a result fails; the client refuses by ending the call, which shows as
 *   its next message (another request) or its exit within `askTimeoutMs`. A client that
 *   does neither stalls: it neither refused nor answered, and fails.
 *
 * The judging happens in the handler, which sees each answer in both eras and transports.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { InputRequiredError, type ToolContext } from 'mcpwire/server';
import { RpcError, type CreateMessageParams, type CreateMessageResult } from 'mcpwire/protocol';
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The one tool the probes offer the client's model. */
export const CHECK_SAMPLING_TOOL = {
  name: 'check_weather',
  description: 'The weather in a city (offered to the client\'s model by mcpwire check; never run).',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
} as const;

/** The text of the request the check offers tools in on the wire (to a client that did not declare sampling.tools). */
export const UNDECLARED_PROBE_TEXT = 'mcpwire check: tools offered to a client that did not declare sampling.tools. Say ok.';

/**
 * Default of `askTimeoutMs` (`check --client --ask-timeout`): how long a probe waits for the
 * client's answer, ms (the client's own run is bounded by --timeout); in 2026-07-28, how long a
 * client may take to end the call it refuses.
 */
export const ASK_TIMEOUT_MS = 10_000;

type Era = 'legacy' | 'modern';
/** What one probe sent and what came back. */
interface Seen { readonly era: Era; readonly sent: unknown; readonly got: unknown; readonly refused?: string }

/** The probes of one client run: check_ask's part, the wire rewrite, and the findings. */
export interface SamplingToolsProbe {
  /** check_ask's part, after its plain sample: what it asked, in words. */
  ask(ctx: ToolContext): Promise<string>;
  /**
   * A server message with the undeclared probe's sampling request given `tools` and `toolChoice`
   * (a legacy request, or a 2026-07-28 InputRequiredResult's input request); others unchanged.
   */
  offer<T>(message: T): T;
  /** The client sent a message (any request, notification or answer); called as it arrives. */
  heard(): void;
  /** Record both rules from what was seen; `end`: when the client's command ended, and whether it was killed at --timeout. */
  finish(rec: FindingRecorder, end: CommandEnd): void;
}

/** When the client's command ended (Date.now()), and whether --timeout killed it. */
export interface CommandEnd { readonly at: number; readonly killed: boolean }

/** What followed the 2026-07-28 undeclared probe's round: when it went out, and the client's next message. */
interface After { readonly at: number; heard?: number }

const blocks = (content: unknown): unknown[] => (Array.isArray(content) ? content : [content]);
const toolUses = (result: unknown): Obj[] => (isObj(result) ? blocks(result.content).filter((c): c is Obj => isObj(c) && c.type === 'tool_use') : []);

/** The undeclared probe's params as the client sees them, tools added. */
function withTools(params: Obj): Obj {
  return { ...params, tools: [CHECK_SAMPLING_TOOL], toolChoice: { mode: 'auto' } };
}

function isUndeclaredProbe(request: unknown): request is Obj & { params: Obj } {
  if (!isObj(request) || request.method !== 'sampling/createMessage' || !isObj(request.params) || !Array.isArray(request.params.messages)) return false;
  const first = request.params.messages[0];
  return isObj(first) && isObj(first.content) && first.content.text === UNDECLARED_PROBE_TEXT && request.params.tools === undefined;
}

/** A new probe for one client run. */
export function createSamplingToolsProbe(askTimeoutMs = ASK_TIMEOUT_MS): SamplingToolsProbe {
  const choice = new Map<string, Seen>(); // `${era} ${mode}` -> the first answer seen
  const undeclared = new Map<Era, Seen>();
  const offered = new Map<Era, unknown>(); // the undeclared probe as it went out, per era
  let after: After | undefined; // 2026-07-28: the undeclared probe's round went out, and what followed
  const keep = <K>(map: Map<K, Seen>, key: K, seen: Seen) => { if (!map.has(key)) map.set(key, seen); };

  /**
   * Ask the model: the client's error answer becomes `refused`; InputRequiredError (2026-07-28:
   * the round goes out) passes through; anything else (a timeout, the session gone) is neither.
   */
  async function sample(ctx: ToolContext, params: CreateMessageParams): Promise<{ got?: CreateMessageResult; refused?: string }> {
    try {
      return { got: await ctx.sample(params, { timeoutMs: askTimeoutMs }) };
    } catch (error) {
      if (error instanceof InputRequiredError) throw error;
      return error instanceof RpcError ? { refused: `error ${error.code} "${error.message}"` } : {};
    }
  }

  return {
    async ask(ctx) {
      const era: Era = ctx.protocolVersion >= '2026' ? 'modern' : 'legacy';
      const sampling = ctx.clientCapabilities.sampling as Obj | undefined;
      if (sampling === undefined) return '';
      if (sampling.tools === undefined) {
        const params: CreateMessageParams = { messages: [{ role: 'user', content: { type: 'text', text: UNDECLARED_PROBE_TEXT } }], maxTokens: 5 };
        const answer = await sample(ctx, params);
        keep(undeclared, era, { era, sent: withTools(params as unknown as Obj), got: answer.got, ...(answer.refused === undefined ? {} : { refused: answer.refused }) });
        return `tools undeclared: ${answer.refused === undefined ? 'answered' : 'refused'}`;
      }
      const said: string[] = [];
      for (const mode of ['none', 'required'] as const) {
        const params: CreateMessageParams = {
          messages: [{ role: 'user', content: { type: 'text', text: `What is the weather in Paris? (mcpwire check: toolChoice ${mode})` } }],
          maxTokens: 50, tools: [CHECK_SAMPLING_TOOL], toolChoice: { mode },
        };
        const answer = await sample(ctx, params);
        keep(choice, `${era} ${mode}`, { era, sent: params, got: answer.got, ...(answer.refused === undefined ? {} : { refused: answer.refused }) });
        said.push(`${mode}: ${answer.refused === undefined ? `${toolUses(answer.got).length} tool_use` : 'refused'}`);
      }
      return said.join(', ');
    },
    offer(message) {
      if (isUndeclaredProbe(message)) {
        const out = { ...message, params: withTools(message.params) };
        offered.set('legacy', out);
        return out as typeof message;
      }
      const result = isObj(message) && isObj(message.result) ? message.result : undefined;
      if (!result || !isObj(result.inputRequests) || !Object.values(result.inputRequests).some(isUndeclaredProbe)) return message;
      const inputRequests = Object.fromEntries(Object.entries(result.inputRequests).map(([key, r]) => [key, isUndeclaredProbe(r) ? { ...r, params: withTools(r.params) } : r]));
      const out = { ...(message as Obj), result: { ...result, inputRequests } };
      // The evidence: the probe's input request under its key (not the whole result, whose requestState is long).
      offered.set('modern', { inputRequests: Object.fromEntries(Object.entries(inputRequests).filter(([key]) => isUndeclaredProbe((result.inputRequests as Obj)[key]))) });
      after ??= { at: Date.now() };
      return out as typeof message;
    },
    heard() {
      if (after !== undefined) after.heard ??= Date.now();
    },
    finish(rec, end) {
      judgeChoice(rec, choice);
      judgeToolUse(rec, choice);
      for (const era of ['legacy', 'modern'] as const) judgeUndeclared(rec, era, offered.get(era), undeclared.get(era), era === 'modern' ? { after, end, askTimeoutMs } : undefined);
      if (offered.size === 0 && rec.wants('client.sampling-tools-undeclared')) rec.skip('client.sampling-tools-undeclared', 'no sampling request with tools went to a client that declared sampling without tools (it declared sampling.tools, or no sampling, or never called check_ask)', 'any');
    },
  };
}

/** 2025-11-25 / 2026-07-28 schema ToolChoice: "none": no tool_use; "required": at least one. */
function judgeChoice(rec: FindingRecorder, seen: ReadonlyMap<string, Seen>): void {
  if (!rec.wants('client.sampling-tool-choice')) return;
  const eras = new Set([...seen.values()].map((s) => s.era));
  if (eras.size === 0) return rec.skip('client.sampling-tool-choice', 'the client did not declare sampling.tools (or never called check_ask), so no tools were offered to its model', 'any');
  for (const era of eras) {
    const none = seen.get(`${era} none`);
    const required = seen.get(`${era} required`);
    const wrong: string[] = [];
    if (none?.got !== undefined && toolUses(none.got).length > 0) wrong.push(`under toolChoice "none" the answer holds tool_use ${JSON.stringify(toolUses(none.got).map((u) => u.name))} ("none": the model MUST NOT use any tools)`);
    if (required?.got !== undefined && toolUses(required.got).length === 0) wrong.push(`under toolChoice "required" (${CHECK_SAMPLING_TOOL.name} offered, no tool used before in the conversation) the answer holds no tool_use, only ${JSON.stringify(blocks((required.got as Obj).content).map((c) => (isObj(c) ? c.type : typeof c)))} ("required": the model MUST use at least one tool before completing)`);
    if (wrong.length > 0) {
      const exchange = wrong[0]!.includes('"none"') ? { sent: none!.sent, got: none!.got } : { sent: required!.sent, got: required!.got };
      rec.fail('client.sampling-tool-choice', `sampling/createMessage offering ${CHECK_SAMPLING_TOOL.name}: ${wrong.join('; ')}`, exchange, era);
      continue;
    }
    const answered = [none, required].filter((s): s is Seen => s?.got !== undefined);
    if (answered.length === 0) rec.skip('client.sampling-tool-choice', `the client refused both tool-enabled sampling requests (${none?.refused ?? required?.refused ?? 'no answer'}): no answer to judge`, era);
    else rec.pass('client.sampling-tool-choice', `${answered.map((s) => (s === none ? 'toolChoice "none" answered without tool_use' : `toolChoice "required" answered with tool_use ${JSON.stringify(toolUses(s.got).map((u) => u.name))}`)).join('; ')}${answered.length < 2 ? ' (the other request refused)' : ''}`, era);
  }
}

let checkInput: ValidateFunction | undefined;
/** Whether `input` conforms to {@link CHECK_SAMPLING_TOOL}'s inputSchema: undefined when it does, else why not. */
function inputProblem(input: unknown): string | undefined {
  checkInput ??= new Ajv2020({ strict: false, allErrors: false }).compile(CHECK_SAMPLING_TOOL.inputSchema);
  if (checkInput(input)) return undefined;
  const e = checkInput.errors?.[0];
  return e === undefined ? 'it does not match' : `${e.instancePath === '' ? 'the input' : e.instancePath} ${e.message ?? 'does not match'}`;
}

/**
 * 2025-11-25 / 2026-07-28 schema (no MUST): the request's `tools` are the "Tools that the model
 * may use", ToolUseContent `input` holds "The arguments to pass to the tool, conforming to the
 * tool's input schema". Each tool_use of an answer to the offering requests names an offered
 * tool, with an input its inputSchema accepts.
 */
function judgeToolUse(rec: FindingRecorder, seen: ReadonlyMap<string, Seen>): void {
  if (!rec.wants('client.sampling-tool-use')) return;
  const eras = new Set([...seen.values()].map((s) => s.era));
  if (eras.size === 0) return rec.skip('client.sampling-tool-use', 'the client did not declare sampling.tools (or never called check_ask), so no tools were offered to its model', 'any');
  for (const era of eras) {
    const answers = [...seen.entries()].filter(([key, s]) => key.startsWith(`${era} `) && s.got !== undefined);
    const uses = answers.flatMap(([key, s]) => toolUses(s.got).map((use) => ({ mode: key.slice(era.length + 1), use, s })));
    if (uses.length === 0) {
      rec.skip('client.sampling-tool-use', 'no answer to the requests offering a tool held a tool_use', era);
      continue;
    }
    const wrong = uses.flatMap(({ mode, use, s }) => {
      const named = JSON.stringify(use.name);
      if (use.name !== CHECK_SAMPLING_TOOL.name) return [{ s, why: `under toolChoice "${mode}" the answer's tool_use names ${named}, a tool the request did not offer (it offered only ${CHECK_SAMPLING_TOOL.name}): the model may use only the request's tools` }];
      const problem = inputProblem(use.input);
      return problem === undefined ? [] : [{ s, why: `under toolChoice "${mode}" the answer's tool_use of ${CHECK_SAMPLING_TOOL.name} has the input ${JSON.stringify(use.input)}, which its inputSchema ${JSON.stringify(CHECK_SAMPLING_TOOL.inputSchema)} refuses (${problem}): a tool_use's input conforms to the tool's input schema` }];
    });
    if (wrong.length > 0) rec.fail('client.sampling-tool-use', `sampling/createMessage offering ${CHECK_SAMPLING_TOOL.name}: ${wrong.map((w) => w.why).join('; ')}`, { sent: wrong[0]!.s.sent, got: wrong[0]!.s.got }, era);
    else rec.pass('client.sampling-tool-use', `${uses.length} tool_use(s) (${uses.map(({ use }) => `${String(use.name)} ${JSON.stringify(use.input)}`).join(', ')}) named the offered tool, with an input its inputSchema accepts`, era);
  }
}

/** 2025-11-25 / 2026-07-28 schema CreateMessageRequestParams tools: refused without sampling.tools. */
function judgeUndeclared(rec: FindingRecorder, era: Era, sent: unknown, seen: Seen | undefined, modern?: { after: After | undefined; end: CommandEnd; askTimeoutMs: number }): void {
  if (!rec.wants('client.sampling-tools-undeclared')) return;
  if (sent === undefined) return;
  if (seen?.got !== undefined) {
    return rec.fail('client.sampling-tools-undeclared', `a sampling/createMessage with "tools" (${CHECK_SAMPLING_TOOL.name}) and toolChoice "auto", sent to a client whose capabilities declare sampling without "tools", was answered with a result (${era === 'modern' ? 'in the retry\'s inputResponses' : 'a JSON-RPC result'}), not an error: the client must refuse tools it did not declare`, { sent, got: seen.got }, era);
  }
  if (seen?.refused !== undefined) return rec.pass('client.sampling-tools-undeclared', `the sampling request with "tools" (sampling.tools undeclared) was refused: ${seen.refused}`, era);
  // 2026-07-28: no retry came with an answer to it (a client refuses by ending the call; there is
  // no error entry in inputResponses). Ending it shows as the client's next message or its exit.
  if (era === 'modern' && modern?.after !== undefined) return judgeModernRefusal(rec, sent, modern.after, modern.end, modern.askTimeoutMs);
  rec.skip('client.sampling-tools-undeclared', 'the sampling request with "tools" went out and no answer reached check_ask (client.answers judges the silence)', era);
}

/**
 * 2026-07-28, no retry answered the undeclared probe: the client refused it by ending the call
 * (its next message, or its exit, within `askTimeoutMs`), or it stalled: neither an
 * error nor an answer ("The client MUST return an error"), and a call left hanging.
 */
function judgeModernRefusal(rec: FindingRecorder, sent: unknown, after: After, end: CommandEnd, askTimeoutMs: number): void {
  const went = 'the sampling request with "tools" (sampling.tools undeclared) was never answered with a result: no retry carried one';
  if (after.heard !== undefined && after.heard - after.at <= askTimeoutMs) return rec.pass('client.sampling-tools-undeclared', `${went}, and the client went on (its next message came ${after.heard - after.at} ms after the round went out)`, 'modern');
  if (after.heard === undefined && !end.killed && end.at - after.at <= askTimeoutMs) return rec.pass('client.sampling-tools-undeclared', `${went}, and the client exited ${end.at - after.at} ms after the round went out`, 'modern');
  const then = after.heard !== undefined ? `its next message came only ${after.heard - after.at} ms after` : end.killed ? `it sent nothing more and was killed at --timeout, ${end.at - after.at} ms after` : `it sent nothing more and exited only ${end.at - after.at} ms after`;
  rec.fail('client.sampling-tools-undeclared', `a sampling/createMessage with "tools" (${CHECK_SAMPLING_TOOL.name}) and toolChoice "auto" went out in an InputRequiredResult to a client whose capabilities declare sampling without "tools"; no retry answered it, but the client did not end the call either: ${then} (the check allows ${askTimeoutMs} ms): the client must refuse tools it did not declare (in 2026-07-28, end the call without a retry), not leave the call hanging`, { sent, got: `nothing within ${askTimeoutMs} ms: no retry, no other request, no exit` }, 'modern');
}
