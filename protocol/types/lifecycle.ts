/** Initialization and capabilities (2025-11-25 basic/lifecycle). */
import type { BaseNotificationParams, BaseRequestParams, Implementation, Result } from './base.ts';

/** What a client can do (2025-11-25 shape). */
export interface ClientCapabilities {
  experimental?: Record<string, object>;
  roots?: { listChanged?: boolean };
  sampling?: { context?: object; tools?: object };
  /**
   * An empty object means form mode only (2025-11-25 client/elicitation). `form.applyDefaults`
   * (SEP-1034) says the client fills omitted fields from their schema defaults.
   */
  elicitation?: { form?: { applyDefaults?: boolean }; url?: object };
  tasks?: {
    list?: object;
    cancel?: object;
    requests?: { sampling?: { createMessage?: object }; elicitation?: { create?: object } };
  };
}

/** What a server can do (2025-11-25 shape). */
export interface ServerCapabilities {
  experimental?: Record<string, object>;
  logging?: object;
  completions?: object;
  prompts?: { listChanged?: boolean };
  resources?: { subscribe?: boolean; listChanged?: boolean };
  tools?: { listChanged?: boolean };
  tasks?: { list?: object; cancel?: object; requests?: { tools?: { call?: object } } };
  /** 2026-07-28 basic/versioning, extension negotiation: extension identifier -> its settings (inline). */
  extensions?: Record<string, object>;
}

export interface InitializeParams extends BaseRequestParams {
  protocolVersion: string;
  capabilities: ClientCapabilities;
  clientInfo: Implementation;
}

export interface InitializeResult extends Result {
  protocolVersion: string;
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
}

export type InitializedParams = BaseNotificationParams | undefined;
