/** Tools (2025-11-25 server/tools). */
import type { BaseRequestParams, Icon, Meta, PaginatedParams, PaginatedResult, Result } from './base.ts';
import type { ContentBlock } from './content.ts';
import type { TaskMetadata } from './tasks.ts';

/** Hints about a tool's behaviour; untrusted unless the server is trusted. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** A JSON Schema object for tool input or output (2025-11-25: `type` must be "object"). */
export interface ObjectSchema {
  type: 'object';
  properties?: Record<string, object>;
  required?: string[];
  $schema?: string;
  [key: string]: unknown;
}

export interface Tool {
  name: string;
  title?: string;
  description?: string;
  icons?: Icon[];
  inputSchema: ObjectSchema;
  outputSchema?: ObjectSchema;
  annotations?: ToolAnnotations;
  /** 2025-11-25 tasks: whether the tool may run as a task. */
  execution?: { taskSupport?: 'forbidden' | 'optional' | 'required' };
  _meta?: Meta;
}

export type ListToolsParams = PaginatedParams | undefined;
export interface ListToolsResult extends PaginatedResult {
  tools: Tool[];
}

export interface CallToolParams extends BaseRequestParams {
  name: string;
  arguments?: Record<string, unknown>;
  /** 2025-11-25 tasks: run as a task. */
  task?: TaskMetadata;
}

export interface CallToolResult extends Result {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}
