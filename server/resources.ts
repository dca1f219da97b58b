/**
 * The resources feature (2025-11-25 server/resources): static resources and templates,
 * `resources/list` and `resources/templates/list` with opaque cursors, `resources/read`
 * (exact URIs first, then templates in registration order), subscriptions and the two
 * notifications. It declares `resources` only once something is registered.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError, versionAtLeast,
  type ListResourcesParams, type ListResourcesResult, type ListResourceTemplatesParams, type ListResourceTemplatesResult,
  type ReadResourceResult, type Resource, type ResourceTemplate, type ServerCapabilities,
} from '../protocol/index.ts';
import type { Completer } from './completer.ts';
import type { ServerConnection } from './connection-types.ts';
import type { ToolContext } from './context.ts';
import { toReadResult, type ResourceReadReturn } from './contents.ts';
import type { ServerEvent } from './event-bus.ts';
import { createListChangedNotifier } from './list-changed.ts';
import type { MethodTable, ServerFeature } from './method-table.ts';
import { listPage } from './pagination.ts';
import type { ServerRequest } from './request.ts';
import { createTemplateEntry, type ResourceTemplateDefinition, type TemplateEntry, type TemplateReader } from './resource-templates.ts';
import type { SchemaChecks } from './schema-checks.ts';
import { createSubscriptions } from './subscriptions.ts';
import type { UriTemplateOptions, UriTemplateVariables } from './uri-template.ts';

/** How a resource is described when registered; listed exactly like this. */
export type ResourceDefinition = Resource;

/** Reads a static resource: text, bytes, contents or a full result; undefined means "not found". */
export type ResourceReader = (uri: string, ctx: ToolContext) => ResourceReadReturn | Promise<ResourceReadReturn>;

/** Options of {@link createResourceRegistry}; the server passes its own. */
export interface ResourceRegistryOptions {
  /** Items per page of both lists. */
  pageSize: number;
  /** URIs one connection may be subscribed to at once. */
  maxSubscriptions?: number;
  /** Limits for parsing and matching templates. */
  uriTemplates?: UriTemplateOptions;
  /** Build the handler context of a request. */
  context: (req: ServerRequest) => ToolContext;
  /** Put an event on the server's event bus (list changed). */
  publish: (event: ServerEvent) => void;
  /** The server's schema checks: a `variables` schema that waits for ajv and is refused takes its template out. */
  checks?: SchemaChecks;
}

/** What a `ref/resource` completion may complete: the variables of a template (none for a plain resource). */
export interface ResourceCompletionTarget {
  readonly variables: readonly string[];
  readonly complete: Readonly<Record<string, Completer>>;
}

/** Registered resources and templates, and the feature that serves them. */
export interface ResourceRegistry extends ServerFeature {
  add(definition: ResourceDefinition, read: ResourceReader): () => void;
  addTemplate(definition: ResourceTemplateDefinition, read: TemplateReader): () => void;
  /** True when the client of `conn` subscribed to `uri` (and so hears its updates). */
  subscribed(conn: ServerConnection, uri: string): boolean;
  /** The template whose `uriTemplate` is `uri`, or the resource whose `uri` it is. */
  completionTarget(uri: string): ResourceCompletionTarget | undefined;
  /** True when some template has a completer. */
  hasCompleters(): boolean;
  readonly size: number;
}

interface StaticEntry {
  resource: Resource;
  read: ResourceReader;
}

/**
 * The "not found" error of `resources/read` for the session's version: -32002 with
 * `data.uri` up to 2025-11-25; -32602 from 2026-07-28 (SEP-2164), which retired -32002.
 */
export function resourceNotFound(uri: string, protocolVersion: string): RpcError<{ uri: string }> {
  const modern = protocolVersion !== '' && versionAtLeast(protocolVersion, '2026-07-28');
  return new RpcError(modern ? ErrorCode.InvalidParams : ErrorCode.ResourceNotFound, 'Resource not found', { uri });
}

function uriOf(params: unknown, method: string): string {
  const uri = (params as { uri?: unknown } | undefined)?.uri;
  if (typeof uri !== 'string') throw new RpcError(ErrorCode.InvalidParams, `Invalid params: ${method} needs a string "uri"`);
  return uri;
}

/** Create the resources feature of a server (built into `createServer`). */
export function createResourceRegistry(options: ResourceRegistryOptions): ResourceRegistry {
  const statics = new Map<string, StaticEntry>();
  const templates = new Map<string, TemplateEntry>();
  let listed: Resource[] | undefined;
  let listedTemplates: ResourceTemplate[] | undefined;
  const changed = createListChangedNotifier('resources', options.publish);
  const subscriptions = createSubscriptions(options.maxSubscriptions !== undefined ? { maxPerConnection: options.maxSubscriptions } : {});

  function touch(): void {
    listed = undefined;
    listedTemplates = undefined;
    changed();
  }

  /** The template that serves `uri`: the first registered one that matches. */
  async function templateFor(uri: string): Promise<{ entry: TemplateEntry; variables: UriTemplateVariables } | undefined> {
    for (const entry of templates.values()) {
      const variables = await entry.parsed.match(uri); // the first match loads the matcher's code
      if (variables) return { entry, variables };
    }
    return undefined;
  }

  function list(params: ListResourcesParams): ListResourcesResult {
    listed ??= [...statics.values()].map((e) => e.resource);
    return listPage('resources', listed, params?.cursor, options.pageSize);
  }

  function listTemplates(params: ListResourceTemplatesParams): ListResourceTemplatesResult {
    listedTemplates ??= [...templates.values()].map((e) => e.template);
    return listPage('resourceTemplates', listedTemplates, params?.cursor, options.pageSize);
  }

  async function read(params: unknown, req: ServerRequest): Promise<ReadResourceResult> {
    const uri = uriOf(params, 'resources/read');
    const ctx = options.context(req);
    let result: ReadResourceResult | undefined;
    const exact = statics.get(uri);
    if (exact) {
      result = toReadResult(await exact.read(uri, ctx), uri, exact.resource.mimeType);
    } else {
      const match = await templateFor(uri);
      if (match) result = toReadResult(await match.entry.read(uri, match.variables, ctx), uri, match.entry.template.mimeType);
    }
    if (!result) throw resourceNotFound(uri, req.protocolVersion);
    return result;
  }

  /** Subscriptions belong to a 2025-era connection (the 2026 era listens instead). */
  function connectionOf(req: ServerRequest): ServerConnection {
    if (!req.connection) throw new RpcError(ErrorCode.MethodNotFound, `Method not found: ${req.method} needs a session`);
    return req.connection;
  }

  async function subscribe(params: unknown, req: ServerRequest): Promise<Record<string, never>> {
    const uri = uriOf(params, 'resources/subscribe');
    // Only what `resources/read` could serve; a typo should not subscribe silently.
    if (!statics.has(uri) && !(await templateFor(uri))) throw resourceNotFound(uri, req.protocolVersion);
    subscriptions.add(connectionOf(req), uri);
    return {};
  }

  function unsubscribe(params: unknown, req: ServerRequest): Record<string, never> {
    subscriptions.remove(connectionOf(req), uriOf(params, 'resources/unsubscribe'));
    return {};
  }

  return {
    get size() {
      return statics.size + templates.size;
    },
    capabilities(): ServerCapabilities {
      // 2025-11-25 server/resources: capabilities (subscribe and listChanged are both offered).
      return statics.size + templates.size === 0 ? {} : { resources: { subscribe: true, listChanged: true } };
    },
    add(definition, reader) {
      const { uri, name } = definition;
      if (typeof uri !== 'string' || !URL.canParse(uri)) throw new McpError(LocalErrorCode.Validation, `resource uri ${JSON.stringify(uri)} is not an absolute URI`);
      if (typeof name !== 'string' || name === '') throw new McpError(LocalErrorCode.Validation, `resource ${uri} needs a name`);
      if (typeof reader !== 'function') throw new McpError(LocalErrorCode.Validation, `resource ${uri} needs a read function`);
      if (statics.has(uri)) throw new McpError(LocalErrorCode.Validation, `resource ${uri} is already registered`);
      const entry: StaticEntry = { resource: definition, read: reader };
      statics.set(uri, entry);
      touch();
      return () => {
        if (statics.get(uri) === entry && statics.delete(uri)) touch();
      };
    },
    addTemplate(definition, reader) {
      const entry = createTemplateEntry(definition, reader, options.uriTemplates);
      const key = entry.template.uriTemplate;
      if (templates.has(key)) throw new McpError(LocalErrorCode.Validation, `resource template ${key} is already registered`);
      templates.set(key, entry);
      touch();
      const remove = () => {
        if (templates.get(key) === entry && templates.delete(key)) touch();
      };
      options.checks?.track([entry.ready?.()], remove);
      return remove;
    },
    subscribed: (conn, uri) => subscriptions.has(conn, uri),
    completionTarget(uri) {
      const t = templates.get(uri);
      if (t) return { variables: t.parsed.variableNames, complete: t.complete };
      return statics.has(uri) ? { variables: [], complete: {} } : undefined;
    },
    hasCompleters() {
      for (const t of templates.values()) if (Object.keys(t.complete).length > 0) return true;
      return false;
    },
    register(methods: MethodTable) {
      methods.on('resources/list', list);
      methods.on('resources/templates/list', listTemplates);
      methods.on('resources/read', read);
      methods.on('resources/subscribe', subscribe);
      methods.on('resources/unsubscribe', unsubscribe);
    },
  };
}
