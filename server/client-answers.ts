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
 * What is wrong with a sampling answer, or undefined (2025-11-25 client/sampling:
 * CreateMessageResult: `role` user or assistant, `content` a block or a list of blocks with a
 * string `type`, `model` a string).
 */
export function sampleAnswerProblem(result: Record<string, unknown>): string | undefined {
  if (!ROLES.has(result.role)) return `"role" must be "user" or "assistant", not ${JSON.stringify(result.role)?.slice(0, 100)}`;
  const blocks = Array.isArray(result.content) ? result.content : [result.content];
  if (!blocks.every((b) => isObject(b) && typeof b.type === 'string')) return '"content" must be a content block or a list of them, each with a string "type"';
  if (typeof result.model !== 'string') return '"model" must be a string';
  return undefined;
}
