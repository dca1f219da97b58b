/** Features a server asks of a client: sampling, elicitation, roots (2025-11-25 client/*). */
import type { BaseRequestParams, Meta, Result, Role } from './base.ts';
import type { SamplingContent } from './content.ts';
import type { Tool } from './tools.ts';
import type { TaskMetadata } from './tasks.ts';

export interface SamplingMessage {
  role: Role;
  content: SamplingContent | SamplingContent[];
  _meta?: Meta;
}

export interface ModelPreferences {
  hints?: Array<{ name?: string }>;
  costPriority?: number;
  speedPriority?: number;
  intelligencePriority?: number;
}

export interface CreateMessageParams extends BaseRequestParams {
  messages: SamplingMessage[];
  maxTokens: number;
  systemPrompt?: string;
  temperature?: number;
  stopSequences?: string[];
  metadata?: object;
  modelPreferences?: ModelPreferences;
  includeContext?: 'none' | 'thisServer' | 'allServers';
  /** 2025-11-25: tools the model may call; needs client capability sampling.tools. */
  tools?: Tool[];
  toolChoice?: { mode?: 'auto' | 'required' | 'none' };
  task?: TaskMetadata;
}

export interface CreateMessageResult extends Result {
  role: Role;
  content: SamplingContent | SamplingContent[];
  model: string;
  stopReason?: 'endTurn' | 'stopSequence' | 'maxTokens' | 'toolUse' | (string & {});
}

/** A primitive field of an elicitation form (2025-11-25 PrimitiveSchemaDefinition). */
export type PrimitiveSchema =
  | { type: 'string'; title?: string; description?: string; minLength?: number; maxLength?: number; format?: 'email' | 'uri' | 'date' | 'date-time'; default?: string }
  | { type: 'number' | 'integer'; title?: string; description?: string; minimum?: number; maximum?: number; default?: number }
  | { type: 'boolean'; title?: string; description?: string; default?: boolean }
  | { type: 'string'; title?: string; description?: string; enum: string[]; enumNames?: string[]; default?: string }
  | { type: 'string'; title?: string; description?: string; oneOf: Array<{ const: string; title: string }>; default?: string }
  | { type: 'array'; title?: string; description?: string; minItems?: number; maxItems?: number; items: { type: 'string'; enum: string[] } | { anyOf: Array<{ const: string; title: string }> }; default?: string[] };

/** A flat form schema (2025-11-25 client/elicitation: requested schema). */
export interface ElicitationSchema {
  $schema?: string;
  type: 'object';
  properties: Record<string, PrimitiveSchema>;
  required?: string[];
}

export interface ElicitFormParams extends BaseRequestParams {
  mode?: 'form';
  message: string;
  requestedSchema: ElicitationSchema;
  task?: TaskMetadata;
}

export interface ElicitUrlParams extends BaseRequestParams {
  mode: 'url';
  message: string;
  url: string;
  /**
   * Required through 2025-11-25 (its completion notice names it); 2026-07-28 client/elicitation
   * has none (its schema and examples drop it with `notifications/elicitation/complete`).
   */
  elicitationId?: string;
  task?: TaskMetadata;
}

export type ElicitParams = ElicitFormParams | ElicitUrlParams;

export type ElicitContentValue = string | number | boolean | string[];

export interface ElicitResult extends Result {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, ElicitContentValue>;
}

export interface ElicitationCompleteParams {
  elicitationId: string;
  _meta?: Meta;
}

export interface Root {
  uri: string;
  name?: string;
  _meta?: Meta;
}
export interface ListRootsResult extends Result {
  roots: Root[];
}
