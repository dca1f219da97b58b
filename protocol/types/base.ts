/**
 * Base shapes shared by every MCP message (2025-11-25 schema: Request, Result, _meta,
 * Implementation, Icon, Annotations).
 */

/** The reserved `_meta` object on params and results (2025-11-25 basic/index: _meta). */
export type Meta = Record<string, unknown>;

/** A progress token: string or integer, unique among the sender's active requests. */
export type ProgressToken = string | number;

/** An opaque pagination cursor (2025-11-25 server/utilities/pagination). */
export type Cursor = string;

/** `_meta` on a request: may carry the progress token. */
export interface RequestMeta extends Meta {
  progressToken?: ProgressToken;
}

/** Params every request may carry. */
export interface BaseRequestParams {
  _meta?: RequestMeta;
}

/** Params every notification may carry. */
export interface BaseNotificationParams {
  _meta?: Meta;
}

/**
 * Every result may carry `_meta`. Peers may add fields; they are kept at run time, but
 * the type lists only known ones so handler return values get precise contextual types.
 */
export interface Result {
  _meta?: Meta;
}

/** The empty result (ping, subscribe, setLevel...). */
export type EmptyResult = Result;

/** Params of a paginated list request. */
export interface PaginatedParams extends BaseRequestParams {
  cursor?: Cursor;
}

/** A paginated list result. */
export interface PaginatedResult extends Result {
  nextCursor?: Cursor;
}

/** 2025-11-25: an icon for a tool, prompt, resource or implementation. */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** Name and version of an MCP implementation (2025-11-25 adds description, icons, websiteUrl). */
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  description?: string;
  icons?: Icon[];
  websiteUrl?: string;
}

export type Role = 'user' | 'assistant';

/** Hints on how a client should use or show an object. */
export interface Annotations {
  audience?: Role[];
  priority?: number;
  lastModified?: string;
}
