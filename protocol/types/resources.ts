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
}

export interface SubscribeParams extends BaseRequestParams {
  uri: string;
}
export type UnsubscribeParams = SubscribeParams;

export interface ResourceUpdatedParams extends BaseNotificationParams {
  uri: string;
}
