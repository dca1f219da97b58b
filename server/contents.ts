/**
 * Content that handlers return, made ready for the wire: resource contents normalised from
 * the short forms readers may return, content blocks checked, and blocks a negotiated
 * protocol version does not know rewritten as text so every message stays schema-valid.
 */
import {
  eraOf, versionAtLeast,
  type CallToolResult, type ContentBlock, type ReadResourceResult, type ResourceContents, type TextContent,
} from '../protocol/index.ts';
import { encodeBase64 } from '../protocol/base64.ts';
import { isObject } from '../protocol/jsonrpc.ts';

/** What a resource reader may return: full result, contents, text, bytes, or nothing (not found). */
export type ResourceReadReturn =
  | ReadResourceResult
  | ResourceContents
  | ResourceContents[]
  | string
  | Uint8Array
  | undefined
  | null;

const CONTENT_TYPES = new Set(['text', 'image', 'audio', 'resource_link', 'resource']);

/**
 * The first protocol version that knows each content block type: audio arrived in
 * 2025-03-26, resource_link in 2025-06-18 (2025-06-18 changelog).
 */
const CONTENT_SINCE: Readonly<Record<string, string>> = { audio: '2025-03-26', resource_link: '2025-06-18' };

function isContents(value: unknown): value is ResourceContents {
  return isObject(value) && typeof value.uri === 'string' && (typeof value.text === 'string' || typeof value.blob === 'string');
}

/** Base64 of `bytes` (the `blob` encoding of 2025-11-25 server/resources). */
export function toBase64(bytes: Uint8Array): string {
  return encodeBase64(bytes);
}

/**
 * Turn a reader's return value into a `resources/read` result for `uri`; undefined when the
 * reader said "not found" (returned undefined or null). Throws for anything malformed.
 */
export function toReadResult(value: ResourceReadReturn, uri: string, mimeType: string | undefined): ReadResourceResult | undefined {
  if (value === undefined || value === null) return undefined;
  const typed = mimeType === undefined ? {} : { mimeType };
  let result: ReadResourceResult;
  if (typeof value === 'string') result = { contents: [{ uri, ...typed, text: value }] };
  else if (value instanceof Uint8Array) result = { contents: [{ uri, ...typed, blob: toBase64(value) }] };
  else if (Array.isArray(value)) result = { contents: value };
  else if (isObject(value) && Array.isArray((value as { contents?: unknown }).contents)) result = value as ReadResourceResult;
  else result = { contents: [value as ResourceContents] };
  result.contents.forEach((c, i) => {
    // 2025-11-25 server/resources: each item is TextResourceContents or BlobResourceContents.
    if (!isContents(c) || ('text' in c && 'blob' in c)) {
      throw new Error(`resource ${uri}: contents[${i}] needs a string uri and exactly one of text or blob`);
    }
  });
  return result;
}

/** Throw unless `block` is a content block of a known type (a handler's mistake, not the client's). */
export function checkContentBlock(block: unknown, where: string): asserts block is ContentBlock {
  const problem = contentBlockProblem(block);
  if (problem !== undefined) throw new Error(`${where}: ${problem}`);
}

/**
 * What is wrong with `block` as a content block of a known type, or undefined when nothing is:
 * a caller names the place only for a bad block (a tool's result: no text made per call).
 */
export function contentBlockProblem(block: unknown): string | undefined {
  if (!isObject(block) || typeof block.type !== 'string' || !CONTENT_TYPES.has(block.type)) {
    return `not a content block (type must be one of ${[...CONTENT_TYPES].join(', ')})`;
  }
  if (block.type === 'resource' && !isContents(block.resource)) return 'an embedded resource needs resource.uri and text or blob';
  if (block.type === 'image' || block.type === 'audio') {
    // 2026-07-28 server/prompts: image and audio data MUST be base64-encoded and include a valid MIME type.
    if (typeof block.data !== 'string' || block.data.length % 4 !== 0 || !BASE64.test(block.data)) return `${block.type} data is not base64`;
    if (typeof block.mimeType !== 'string' || !MIME_TYPE.test(block.mimeType)) return `${block.type} mimeType ${JSON.stringify(block.mimeType)} is not a MIME type`;
  }
  return undefined;
}

/** RFC 4648 section 4, padded (with a length that is a multiple of 4); one character class, no per-group backtracking on megabytes. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** RFC 6838 type/subtype (parameters allowed). */
const MIME_TYPE = /^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(?:\s*;.*)?$/;

/**
 * `block` as a client on `protocolVersion` can read it. Blocks the version does not know are
 * replaced by a text block describing them, rather than dropped: a model still learns the
 * link or that audio was there. Everything else passes through untouched.
 */
export function fitContentBlock(block: ContentBlock, protocolVersion: string): ContentBlock {
  const since = CONTENT_SINCE[block.type];
  if (since === undefined || !protocolVersion || versionAtLeast(protocolVersion, since)) return block;
  const text: TextContent = { type: 'text', text: describe(block) };
  if (block.annotations) text.annotations = block.annotations;
  return text;
}

function describe(block: ContentBlock): string {
  if (block.type === 'resource_link') {
    const label = block.title ?? block.name;
    const details = [block.mimeType, block.description].filter((x) => x !== undefined).join('; ');
    return `Resource link: ${label} <${block.uri}>${details ? ` (${details})` : ''}`;
  }
  if (block.type === 'audio') return `[audio content (${block.mimeType}) omitted: protocol version too old]`;
  return JSON.stringify(block);
}

/** `blocks` fitted to `protocolVersion`; the same array when nothing changes. */
export function fitContentBlocks(blocks: ContentBlock[], protocolVersion: string): ContentBlock[] {
  let changed = false;
  const fitted = blocks.map((b) => {
    const f = fitContentBlock(b, protocolVersion);
    if (f !== b) changed = true;
    return f;
  });
  return changed ? fitted : blocks;
}

/**
 * A tool's result as a client on `protocolVersion` can read it: content blocks fitted, and a
 * structured value that is not an object (2026-07-28 server/tools allows any JSON value)
 * dropped for a 2025 client, whose schema makes `structuredContent` an object. Its JSON text
 * stays in `content` (added when no text block holds it), as 2025-11-25 server/tools asks of
 * structured content "for backwards compatibility". The same object when nothing changes.
 */
export function fitToolResult(result: CallToolResult, protocolVersion: string): CallToolResult {
  const content = fitContentBlocks(result.content, protocolVersion);
  const structured: unknown = result.structuredContent;
  if (structured === undefined || !protocolVersion || eraOf(protocolVersion) === 'modern' || isObject(structured)) {
    return content === result.content ? result : { ...result, content };
  }
  const { structuredContent: _dropped, ...rest } = result;
  const json = JSON.stringify(structured);
  const kept = content.some((b) => b.type === 'text' && b.text === json);
  return { ...rest, content: kept ? content : [...content, { type: 'text', text: json }] };
}
