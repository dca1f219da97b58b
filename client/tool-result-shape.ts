/**
 * Whether a `tools/call` result has the shape of CallToolResult (2025-11-25 server/tools, "Tool
 * Result": `content` an array of content blocks, `isError` a boolean, `structuredContent` an
 * object). A server that answered `{"content": "text"}` was handed up as it came, and a caller
 * (the host's renderer first) failed on it with a TypeError; `callTool` now rejects it with
 * the reason. Lenient where peers differ harmlessly: a missing `content`, and block types it
 * does not know, pass.
 */
import { LocalErrorCode, McpError, type CallToolResult, type RequestId } from '../protocol/index.ts';
import { isObject } from '../protocol/jsonrpc.ts';

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/**
 * The string fields each known block type needs. A switch: a type off the wire such as
 * `constructor` matches no case (a plain object handed back Object.prototype's members), and no
 * Map lookup a block (~80 instructions a call, bench h).
 */
function stringFields(type: string): readonly string[] {
  switch (type) {
    case 'text': return TEXT_FIELDS;
    case 'image': case 'audio': return DATA_FIELDS;
    case 'resource_link': return LINK_FIELDS;
    default: return NO_FIELDS;
  }
}
const TEXT_FIELDS = ['text'] as const;
const DATA_FIELDS = ['data', 'mimeType'] as const;
const LINK_FIELDS = ['uri', 'name'] as const;
const NO_FIELDS = [] as const;

/** What a content block lacks that a caller reads, or undefined (unknown types pass). */
function blockProblem(block: unknown): string | undefined {
  if (!isObject(block)) return `is ${kind(block)}, not a content block`;
  if (typeof block.type !== 'string') return 'has no "type" string';
  for (const field of stringFields(block.type)) {
    if (typeof block[field] !== 'string') return `(${block.type}) has "${field}" ${block[field] === undefined ? 'missing' : `as ${kind(block[field])}`}, not a string`;
  }
  if (block.type === 'resource' && !(isObject(block.resource) && typeof block.resource.uri === 'string')) return '(resource) has no "resource" with a "uri" string';
  return undefined;
}

/**
 * Why `result` is not a CallToolResult, or undefined when it is. `anyStructured`: 2026-07-28
 * server/tools, structured content is any JSON value the output schema accepts (an object before).
 */
export function toolResultProblem(result: unknown, anyStructured = false): string | undefined {
  if (!isObject(result)) return `the result is ${kind(result)}, not an object`;
  // A missing content passes (a caller shows none): only a wrong one is refused.
  if (result.content !== undefined) {
    if (!Array.isArray(result.content)) return `"content" is ${kind(result.content)}, not an array of content blocks`;
    // Indexed: an entries() iterator and a [i, block] pair per block cost allocations a call.
    for (let i = 0; i < result.content.length; i++) {
      const problem = blockProblem(result.content[i]);
      if (problem) return `content block ${i + 1} ${problem}`;
    }
  }
  if (result.isError !== undefined && typeof result.isError !== 'boolean') return `"isError" is ${kind(result.isError)}, not a boolean`;
  if (result.structuredContent !== undefined && !anyStructured && !isObject(result.structuredContent)) return `"structuredContent" is ${kind(result.structuredContent)}, not an object`;
  return undefined;
}

/**
 * `result`, or MCP_ERR_PROTOCOL saying what is wrong with it; `modern`: 2026-07-28. `of` names
 * the call: a tool's name, or the id of a resumed call. Its phrase is joined only for a bad
 * result (`tool ${name}` was joined for every call).
 */
export function checkedToolResult(result: CallToolResult, modern: boolean, of: string | { resumed: RequestId }): CallToolResult {
  const problem = toolResultProblem(result, modern);
  if (problem) {
    const call = typeof of === 'string' ? `tool ${of}` : `the resumed call ${JSON.stringify(of.resumed)}`;
    throw new McpError(LocalErrorCode.Protocol, `the result of ${call} is not a tool result: ${problem} (${modern ? '2026-07-28' : '2025-11-25'} server/tools)`);
  }
  return result;
}
