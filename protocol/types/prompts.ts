/** Prompts (2025-11-25 server/prompts). */
import type { BaseRequestParams, Icon, Meta, PaginatedParams, PaginatedResult, Result, Role } from './base.ts';
import type { ContentBlock } from './content.ts';

export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  _meta?: Meta;
}

export interface PromptMessage {
  role: Role;
  content: ContentBlock;
}

export type ListPromptsParams = PaginatedParams | undefined;
export interface ListPromptsResult extends PaginatedResult {
  prompts: Prompt[];
}

export interface GetPromptParams extends BaseRequestParams {
  name: string;
  arguments?: Record<string, string>;
}
export interface GetPromptResult extends Result {
  description?: string;
  messages: PromptMessage[];
}
