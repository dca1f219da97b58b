/** Resources (2025-11-25 server/resources). */
import type { Annotations, BaseNotificationParams, BaseRequestParams, Icon, Meta, PaginatedParams, PaginatedResult, Result } from './base.ts';

export interface Resource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  icons?: Icon[];
  annotations?: Annotations;
  _meta?: Meta;
}

export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  icons?: Icon[];
  annotations?: Annotations;
  _meta?: Meta;
}

export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: Meta;
}

export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  /** Base64 data. */
  blob: string;
  _meta?: Meta;
}

export type ResourceContents = TextResourceContents | BlobResourceContents;

export type ListResourcesParams = PaginatedParams | undefined;
export interface ListResourcesResult extends PaginatedResult {
  resources: Resource[];
}
export type ListResourceTemplatesParams = PaginatedParams | undefined;
export interface ListResourceTemplatesResult extends PaginatedResult {
  resourceTemplates: ResourceTemplate[];
}

export interface ReadResourceParams extends BaseRequestParams {
  uri: string;
}
export interface ReadResourceResult extends Result {
  contents: ResourceContents[];
  /**
   * 2026-07-28 server/utilities/caching (CacheableResult): how long, in ms, the client may reuse
   * this read before reading again (0: stale at once). Absent before 2026-07-28.
   */
  ttlMs?: number;
  /** 2026-07-28: `public` may be cached across authorization contexts, `private` only within this one. */
  cacheScope?: 'public' | 'private';
}

export interface SubscribeParams extends BaseRequestParams {
  uri: string;
}
export type UnsubscribeParams = SubscribeParams;

export interface ResourceUpdatedParams extends BaseNotificationParams {
  uri: string;
}
