/**
 * Sampling with tools on the client side (2025-11-25 client/sampling, SEP-1577): a server
 * may offer `tools` / `toolChoice` only to a client that declared `sampling.tools`; every
 * `tool_use` the model asked for is answered by a user message made only of the matching
 * `tool_result` blocks before any other message; the model's answer may ask for tools only
 * when tools were offered and `toolChoice` is not `none`.
 */
import type { ClientCapabilities, CreateMessageParams, CreateMessageResult, SamplingContent } from '../protocol/index.ts';
import { blocks, samplingMessagesProblem } from '../protocol/sampling-content.ts';

/**
 * Why the client must refuse a `sampling/createMessage` request (answered with -32602), or
 * undefined when it may go to the application.
 */
export function samplingRequestProblem(params: CreateMessageParams, capabilities: ClientCapabilities): string | undefined {
  if (!Array.isArray(params.messages)) return '"messages" must be an array';
  const offersTools = params.tools !== undefined || params.toolChoice !== undefined;
  if (offersTools && capabilities.sampling?.tools === undefined) {
    return '"tools" and "toolChoice" need the sampling.tools capability, which this client did not declare';
  }
  if (params.tools !== undefined && !Array.isArray(params.tools)) return '"tools" must be an array';
  return samplingMessagesProblem(params.messages);
}

/**
 * Why the application's answer to `params` must not be sent, or undefined when it may: a
 * `tool_use` without tools offered, under `toolChoice: none`, or naming a tool not offered; an
 * answer without one under `toolChoice: required` in a conversation that has used no tool yet;
 * `tool_result` content, which only the server writes.
 */
export function samplingResultProblem(params: CreateMessageParams, result: CreateMessageResult): string | undefined {
  // One pass and no array made for the plain answer (bench f-sample: every round trip).
  let uses: Extract<SamplingContent, { type: 'tool_use' }>[] | undefined;
  for (const c of blocks(result.content)) {
    if (c?.type === 'tool_result') return 'a sampling result cannot contain tool_result content';
    if (c?.type === 'tool_use') (uses ??= []).push(c);
  }
  if (uses === undefined) {
    // 2025-11-25 / 2026-07-28 schema ToolChoice: "required": "Model MUST use at least one tool before
    // completing"; once the conversation holds an assistant tool_use, a plain answer completes it.
    if (params.toolChoice?.mode !== 'required') return undefined;
    const usedBefore = Array.isArray(params.messages) && params.messages.some((m) => m?.role === 'assistant' && blocks(m.content).some((c) => c?.type === 'tool_use'));
    return usedBefore ? undefined : 'the model answered without a tool under toolChoice "required", and the conversation has used none yet';
  }
  if (!params.tools || params.tools.length === 0) return 'the model asked for a tool, but the request offered none';
  if (params.toolChoice?.mode === 'none') return 'the model asked for a tool under toolChoice "none"';
  const offered = new Set(params.tools.map((t) => t.name));
  const unknown = uses.filter((u) => !offered.has(u.name)).map((u) => u.name);
  if (unknown.length > 0) return `the model asked for tools the request did not offer: ${JSON.stringify(unknown)}`;
  return undefined;
}
