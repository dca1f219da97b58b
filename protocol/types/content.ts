/** Content blocks (2025-11-25 schema: ContentBlock, SamplingMessageContentBlock). */
import type { Annotations, Meta } from './base.ts';
import type { Resource, ResourceContents } from './resources.ts';

export interface TextContent {
  type: 'text';
  text: string;
  annotations?: Annotations;
  _meta?: Meta;
}

export interface ImageContent {
  type: 'image';
  /** Base64 data. */
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** Added in 2025-03-26. */
export interface AudioContent {
  type: 'audio';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** 2025-06-18+: a link to a resource, which need not appear in `resources/list` (schema: ResourceLink extends Resource). */
export interface ResourceLink extends Resource {
  type: 'resource_link';
}

/** A resource embedded in a message. */
export interface EmbeddedResource {
  type: 'resource';
  resource: ResourceContents;
  annotations?: Annotations;
  _meta?: Meta;
}

/** Content of tool results and prompt messages. */
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

/** 2025-11-25 sampling with tools: the model asks for a tool call. */
export interface ToolUseContent {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  _meta?: Meta;
}

/** 2025-11-25 sampling with tools: the result of a tool the model asked for. */
export interface ToolResultContent {
  type: 'tool_result';
  toolUseId: string;
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Meta;
}

/** Content allowed in a sampling message. */
export type SamplingContent = TextContent | ImageContent | AudioContent | ToolUseContent | ToolResultContent;
