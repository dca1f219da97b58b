/**
 * Shape checks on what a client answers to the server's questions (elicitation, sampling),
 * in both eras, before a handler reads them: a client's answer is wire data, and a handler
 * that reads `action` or `role` must get one of the values the spec allows.
 */
import { isObject } from '../protocol/jsonrpc.ts';

const ACTIONS: ReadonlySet<unknown> = new Set(['accept', 'decline', 'cancel']);
const ROLES: ReadonlySet<unknown> = new Set(['user', 'assistant']);

/**
 * What is wrong with an elicitation answer, or undefined (2025-11-25 client/elicitation:
 * ElicitResult: `action` accept, decline or cancel; `content`, when present, an object).
 */
export function elicitAnswerProblem(result: Record<string, unknown>): string | undefined {
  if (!ACTIONS.has(result.action)) return `"action" must be "accept", "decline" or "cancel", not ${JSON.stringify(result.action)?.slice(0, 100)}`;
  if (result.content !== undefined && !isObject(result.content)) return '"content" must be an object';
  return undefined;
}

/**
 * The fields a sampling content block of a known type must hold (2025-11-25 schema:
 * TextContent, ImageContent, AudioContent, ToolUseContent, ToolResultContent), or undefined.
 * A type this server does not know passes: a later revision may add one.
 */
function blockProblem(block: Record<string, unknown>): string | undefined {
  const str = (key: string) => typeof block[key] === 'string';
  switch (block.type) {
    case 'text': return str('text') ? undefined : 'a text block needs a string "text"';
    case 'image':
    case 'audio': return str('data') && str('mimeType') ? undefined : `an ${block.type} block needs string "data" and "mimeType"`;
    case 'tool_use': return str('id') && str('name') && isObject(block.input) ? undefined : 'a tool_use block needs string "id" and "name" and an object "input"';
    case 'tool_result': return str('toolUseId') && Array.isArray(block.content) ? undefined : 'a tool_result block needs a string "toolUseId" and a "content" list';
    default: return undefined;
  }
}

/**
 * What is wrong with a sampling answer, or undefined (2025-11-25 client/sampling:
 * CreateMessageResult: `role` user or assistant, `content` a block or a list of blocks with a
 * string `type` and the fields of that type, `model` a string).
 */
export function sampleAnswerProblem(result: Record<string, unknown>): string | undefined {
  if (!ROLES.has(result.role)) return `"role" must be "user" or "assistant", not ${JSON.stringify(result.role)?.slice(0, 100)}`;
  const blocks = Array.isArray(result.content) ? result.content : [result.content];
  for (const b of blocks) {
    if (!isObject(b) || typeof b.type !== 'string') return '"content" must be a content block or a list of them, each with a string "type"';
    const problem = blockProblem(b);
    if (problem) return `"content": ${problem}`;
  }
  if (typeof result.model !== 'string') return '"model" must be a string';
  return undefined;
}
