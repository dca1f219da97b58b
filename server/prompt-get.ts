/**
 * `prompts/get` (2025-11-25 server/prompts): the argument checks and the handler's return as
 * a result, loaded with `import()` by prompts.ts on the server's first `prompts/get` (issue
 * #20 item 3).
 */
import { ErrorCode, RpcError, type GetPromptResult } from '../protocol/index.ts';
import { checkContentBlock, fitContentBlock } from './contents.ts';
import type { PromptEntry, PromptReturn } from './prompts.ts';

const ROLES = new Set(['user', 'assistant']);

/** 2025-11-25 server/prompts: arguments are a map of strings. */
export function checkArguments(entry: PromptEntry, value: unknown): Record<string, string> {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new RpcError(ErrorCode.InvalidParams, `Invalid params: arguments of prompt ${entry.prompt.name} must be an object of strings`);
  }
  const args = (value ?? {}) as Record<string, unknown>;
  const notText = Object.keys(args).filter((k) => typeof args[k] !== 'string');
  if (notText.length > 0) {
    throw new RpcError(ErrorCode.InvalidParams, `Invalid params: arguments of prompt ${entry.prompt.name} must be strings (${notText.join(', ')} ${notText.length === 1 ? 'is' : 'are'} not)`);
  }
  const missing = (entry.prompt.arguments ?? []).filter((a) => a.required === true && args[a.name] === undefined).map((a) => a.name);
  // 2025-11-25 server/prompts, error handling: missing required arguments are -32602.
  if (missing.length > 0) {
    throw new RpcError(ErrorCode.InvalidParams, `Invalid params: prompt ${entry.prompt.name} is missing required argument${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`, { missing });
  }
  return args as Record<string, string>;
}

/** The handler's return as a result, checked and fitted to the session's version. */
export function toResult(entry: PromptEntry, value: PromptReturn, protocolVersion: string): GetPromptResult {
  let result: GetPromptResult;
  if (typeof value === 'string') result = { messages: [{ role: 'user', content: { type: 'text', text: value } }] };
  else if (Array.isArray(value)) result = { messages: value };
  else if (typeof value === 'object' && value !== null && Array.isArray((value as GetPromptResult).messages)) result = value;
  else throw new Error(`prompt ${entry.prompt.name} returned neither messages nor text`);
  const messages = result.messages.map((m, i) => {
    const where = `prompt ${entry.prompt.name}: messages[${i}]`;
    if (typeof m !== 'object' || m === null || !ROLES.has(m.role)) throw new Error(`${where}: role must be "user" or "assistant"`);
    checkContentBlock(m.content, `${where}.content`);
    const content = fitContentBlock(m.content, protocolVersion);
    return content === m.content ? m : { ...m, content };
  });
  const out: GetPromptResult = { ...result, messages };
  if (out.description === undefined && entry.prompt.description !== undefined) out.description = entry.prompt.description;
  return out;
}
