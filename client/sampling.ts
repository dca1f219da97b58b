/**
 * Sampling with tools on the client side (2025-11-25 client/sampling, SEP-1577): a server
 * may offer `tools` / `toolChoice` only to a client that declared `sampling.tools`; every
 * `tool_use` the model asked for is answered by a user message made only of the matching
 * `tool_result` blocks before any other message; the model's answer may ask for tools only
 * when tools were offered and `toolChoice` is not `none`.
 */
import type { ClientCapabilities, CreateMessageParams, CreateMessageResult, SamplingContent } from '../protocol/index.ts';

const blocks = (content: unknown): SamplingContent[] =>
  (Array.isArray(content) ? content : content === undefined || content === null ? [] : [content]) as SamplingContent[];

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
  let unanswered: Set<string> | undefined; // tool_use ids of the previous assistant message
  for (const [index, message] of params.messages.entries()) {
    const content = blocks(message?.content);
    const uses = content.filter((c) => c.type === 'tool_use');
    const results = content.filter((c) => c.type === 'tool_result');
    const where = `messages[${index}]`;
    if (results.length > 0) {
      if (message.role !== 'user') return `${where}: tool_result content belongs in a user message`;
      if (results.length !== content.length) return `${where}: a message with tool results must contain only tool_result content`;
      const answered = new Set(results.map((r) => r.toolUseId));
      if (!unanswered) return `${where}: tool results answer no preceding tool_use`;
      const missing = [...unanswered].filter((id) => !answered.has(id));
      const unknown = [...answered].filter((id) => !unanswered!.has(id));
      if (missing.length > 0) return `${where}: no tool_result for tool_use ${JSON.stringify(missing)}`;
      if (unknown.length > 0) return `${where}: tool_result for unknown tool_use ${JSON.stringify(unknown)}`;
      unanswered = undefined;
      continue;
    }
    if (unanswered) return `${where}: the tool_use ${JSON.stringify([...unanswered])} of the previous message must be answered first`;
    if (uses.length > 0) {
      if (message.role !== 'assistant') return `${where}: tool_use content belongs in an assistant message`;
      unanswered = new Set(uses.map((u) => u.id));
    }
  }
  return undefined;
}

/**
 * Why the application's answer to `params` must not be sent, or undefined when it may: a
 * `tool_use` without tools offered, under `toolChoice: none`, or naming a tool not offered;
 * `tool_result` content, which only the server writes.
 */
export function samplingResultProblem(params: CreateMessageParams, result: CreateMessageResult): string | undefined {
  const content = blocks(result.content);
  if (content.some((c) => c.type === 'tool_result')) return 'a sampling result cannot contain tool_result content';
  const uses = content.filter((c) => c.type === 'tool_use');
  if (uses.length === 0) return undefined;
  if (!params.tools || params.tools.length === 0) return 'the model asked for a tool, but the request offered none';
  if (params.toolChoice?.mode === 'none') return 'the model asked for a tool under toolChoice "none"';
  const offered = new Set(params.tools.map((t) => t.name));
  const unknown = uses.filter((u) => !offered.has(u.name)).map((u) => u.name);
  if (unknown.length > 0) return `the model asked for tools the request did not offer: ${JSON.stringify(unknown)}`;
  return undefined;
}
