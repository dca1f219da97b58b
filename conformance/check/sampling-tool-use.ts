/**
 * The server's side of tool use in sampling (2025-11-25 and 2026-07-28 client/sampling, tool use:
 * "every assistant message containing ToolUseContent blocks MUST be followed by a user message
 * that consists entirely of ToolResultContent blocks, with each tool use ... matched by a
 * corresponding tool result ... before any other message"; security: "Servers MUST ensure that
 * when replying to a stopReason: toolUse, each ToolUseContent item is responded to with a
 * ToolResultContent item with a matching toolUseId, and that the user message contains only tool
 * results"). The driven client's model asks for a tool once per era, at the first sampling
 * request that offers tools; the first later request that carries that tool use back is judged.
 */
import type { CreateMessageResult } from 'mcpwire/protocol';
import type { FindingRecorder } from './findings.ts';
import type { TappedMessage } from '../tap.ts';
import { validArguments } from './args.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The id of the one tool use the check's model asks for. */
export const CHECK_TOOL_USE_ID = 'mcpwire-check-tool-use-1';

/** The plain answer of the check's model. */
const TEXT_ANSWER: CreateMessageResult = { role: 'assistant', content: { type: 'text', text: 'mcpwire check' }, model: 'mcpwire-check' };

/** A sampling message's content as a list. */
const blocks = (message: Obj): unknown[] => (Array.isArray(message.content) ? message.content : [message.content]);

/** What is wrong with the messages that carry the check's tool use back, or undefined when they answer it right. */
function answerProblem(messages: readonly unknown[], at: number): string | undefined {
  const next = messages[at + 1];
  if (!isObj(next)) return `the assistant message with tool_use ${CHECK_TOOL_USE_ID} is the last message: no user message of tool results follows it`;
  const content = blocks(next);
  const results = content.filter((c) => isObj(c) && c.type === 'tool_result');
  if (next.role !== 'user') return `the message after the tool_use is a ${String(next.role)} message, not a user message of tool results`;
  if (results.length !== content.length) {
    const other = content.find((c) => !isObj(c) || c.type !== 'tool_result');
    return `the user message after the tool_use holds ${isObj(other) ? `a ${String(other.type)} block` : 'a block that is not a tool_result'}${results.length === 0 ? ' and no tool_result' : ' beside its tool results'} (it must hold tool results only, one per tool_use)`;
  }
  if (!results.some((r) => isObj(r) && r.toolUseId === CHECK_TOOL_USE_ID)) return `the user message after the tool_use holds no tool_result with toolUseId ${CHECK_TOOL_USE_ID}`;
  return undefined;
}

/** The sampling requests a server message carries: itself (legacy), or its InputRequiredResult's input requests (2026-07-28). */
function samplingRequests(message: unknown): Obj[] {
  if (!isObj(message)) return [];
  if (message.method === 'sampling/createMessage') return [message];
  const asked = isObj(message.result) && isObj(message.result.inputRequests) ? Object.values(message.result.inputRequests) : [];
  return asked.filter((r): r is Obj => isObj(r) && r.method === 'sampling/createMessage');
}

/** The first sampling request a server message carries that holds the check's tool use, and what is wrong with how it answers it (undefined: right). */
function carriedBack(message: unknown): { request: Obj; problem: string | undefined } | undefined {
  for (const request of samplingRequests(message)) {
    const history = isObj(request.params) && Array.isArray(request.params.messages) ? request.params.messages : [];
    const at = history.findIndex((m) => isObj(m) && m.role === 'assistant' && blocks(m).some((c) => isObj(c) && c.type === 'tool_use' && c.id === CHECK_TOOL_USE_ID));
    if (at >= 0) return { request, problem: answerProblem(history, at) };
  }
  return undefined;
}

/**
 * Whether a server message carries the check's tool use back wrongly: the check's client refuses
 * that sampling request (as it must), so the call it belongs to stops; `sampling.tool-results`
 * reports it, and the call's own rules (tools.valid-call, modern.input-rounds) leave it to that.
 */
export function answersToolUseWrongly(message: unknown): boolean {
  const back = carriedBack(message);
  return back !== undefined && back.problem !== undefined;
}

/**
 * The driven client's model for one era: `answer` is its onSample; `finish` judges the session's
 * messages as they came (the client refuses a malformed sampling request before its model sees
 * it, so the judging reads the wire, not the model's calls).
 */
export interface ToolUseModel {
  answer(params: unknown): CreateMessageResult;
  finish(messages: readonly TappedMessage[]): void;
}

/** A model that asks for the first offered tool once, then judges how the server answers that (`sampling.tool-results`). */
export function createToolUseModel(rec: FindingRecorder, era: 'legacy' | 'modern'): ToolUseModel {
  let asked: CreateMessageResult | undefined; // the answer that asked for a tool
  return {
    answer(params) {
      const p = isObj(params) ? params : {};
      const tools = Array.isArray(p.tools) ? p.tools.filter(isObj) : [];
      const choice = isObj(p.toolChoice) ? p.toolChoice.mode : undefined;
      if (asked !== undefined || tools.length === 0 || choice === 'none' || typeof tools[0]!.name !== 'string') return TEXT_ANSWER;
      const input = validArguments(tools[0]!.inputSchema);
      asked = {
        role: 'assistant', model: 'mcpwire-check', stopReason: 'toolUse',
        content: [{ type: 'tool_use', id: CHECK_TOOL_USE_ID, name: tools[0]!.name, input: isObj(input) ? input : {} }],
      };
      return asked;
    },
    finish(messages) {
      if (!rec.wants('sampling.tool-results')) return;
      if (asked === undefined) return rec.skip('sampling.tool-results', 'no sampling request offered tools to the check\'s model', era);
      for (const { direction, message } of messages) {
        const back = direction === 'server-to-client' ? carriedBack(message) : undefined;
        if (back === undefined) continue;
        if (back.problem === undefined) return rec.pass('sampling.tool-results', `the model's tool_use ${CHECK_TOOL_USE_ID} was answered by a user message of tool results only, with its toolUseId`, era);
        return rec.fail('sampling.tool-results', `after the model answered stopReason toolUse: ${back.problem}`, { answered: asked, got: back.request }, era);
      }
      rec.skip('sampling.tool-results', `the model asked for a tool (tool_use ${CHECK_TOOL_USE_ID}) and no later sampling request carried it back (the server may end its loop there)`, era);
    },
  };
}
