/**
 * Sampling content across protocol versions. 2025-11-25 client/sampling lets a message, and
 * the model's answer, hold an array of content blocks; 2025-06-18 and earlier hold exactly one
 * block (their SamplingMessage and CreateMessageResult schemas). Shared by the server (the
 * messages it sends) and the client (the answer it returns).
 */
import { versionAtLeast } from './versions.ts';
import type { SamplingMessage } from './types/client-features.ts';
import type { SamplingContent } from './types/content.ts';

/** The first version whose sampling content may be an array of blocks. */
export const SAMPLING_ARRAYS_SINCE = '2025-11-25';

/**
 * `content` as `version` can carry it: unchanged from 2025-11-25 on (or with no version);
 * before, an array of one block is that block. An array of any other length cannot be
 * carried: the reason is returned as a string.
 */
export function fitSamplingContent<C>(content: C | C[], version: string | undefined): { content: C | C[] } | string {
  if (!Array.isArray(content) || version === undefined || versionAtLeast(version, SAMPLING_ARRAYS_SINCE)) return { content };
  if (content.length === 1) return { content: content[0] as C };
  return `${content.length} content blocks in one message need protocol ${SAMPLING_ARRAYS_SINCE}; this session uses ${version}, whose messages hold one block`;
}

/** `content` as a list of blocks (one block, a list, or none). */
export const blocks = (content: unknown): SamplingContent[] =>
  (Array.isArray(content) ? content : content === undefined || content === null ? [] : [content]) as SamplingContent[];

const isToolBlock = (block: unknown): boolean => {
  const type = (block as { type?: unknown } | null | undefined)?.type;
  return type === 'tool_use' || type === 'tool_result';
};

/** Whether `content` (a block or a list of them) holds a tool_use or tool_result block. */
const holdsToolBlock = (content: unknown): boolean => (Array.isArray(content) ? content.some(isToolBlock) : isToolBlock(content));

/**
 * Why `messages` break the tool loop, or undefined (2025-11-25 and 2026-07-28 client/sampling):
 * a message with tool results holds only tool results and is the user's; every assistant
 * `tool_use` is answered by the next message, a `tool_result` for each id and no other. The
 * server checks what it sends (server/context.ts) and the client what it is asked (client/sampling.ts).
 */
export function samplingMessagesProblem(messages: readonly SamplingMessage[]): string | undefined {
  let unanswered: Set<string> | undefined; // tool_use ids of the previous assistant message
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    // A message with no tool blocks, with none waiting to be answered, breaks nothing: passed
    // with no array made (bench f-sample: both sides, every round trip).
    if (unanswered === undefined && !holdsToolBlock(message?.content)) continue;
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
