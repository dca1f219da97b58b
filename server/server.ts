/**
 * `createServer(info, options)`: a registry of features served to any number of
 * connections (one per stdio process, one per HTTP session).
 */
import {
  ErrorCode, RpcError,
  type CallToolParams, type CallToolResult, type CreateTaskResult, type Implementation, type ListToolsParams, type RequestContext,
  type ServerCapabilities, type ServerSide, type Session, type SessionLimits, type Timers, type Transport,
} from '../protocol/index.ts';
import { createCompletionFeature } from './completion.ts';
import { Connection, type ConnectionShared, type ConnectionSnapshot, type ServerConnection } from './connection.ts';
import { fitContentBlocks } from './contents.ts';
import { DeclarationCache } from './declarations.ts';
import { createToolContext, DEFAULT_ASK_TIMEOUTS, type AskTimeouts, type HandlerContext } from './context.ts';
import { DEFAULT_PAGE_SIZE } from './pagination.ts';
import { createPromptRegistry, type PromptDefinition, type PromptHandler } from './prompts.ts';
import type { ResourceTemplateDefinition, TemplateReader } from './resource-templates.ts';
import { createResourceRegistry, type ResourceDefinition, type ResourceReader } from './resources.ts';
import { createToolRegistry, type ToolDefinition, type ToolHandler } from './tools.ts';
import type { UriTemplateOptions } from './uri-template.ts';
import { createSchemaValidator, type SchemaValidator } from './validation.ts';

/** A feature contributes capabilities and installs its handlers on each connection. */
export interface ServerFeature {
  capabilities(): ServerCapabilities;
  install(connection: ServerConnection, session: Session<ServerSide>): void;
}

export interface ServerOptions {
  /** Text for the client's model about how to use this server. */
  instructions?: string;
  /** Items per page of every list. Default 100. */
  pageSize?: number;
  /** Session limits: timeouts, pending requests, handlers in flight. */
  limits?: Partial<SessionLimits>;
  /** How long a tool waits for the client's answers (elicitation, sampling, roots). */
  askTimeouts?: Partial<AskTimeouts>;
  /**
   * Extra capabilities to declare (e.g. `experimental`), merged over ours per capability.
   * Resources, prompts and completions are declared once something is registered; to
   * declare one before that (say, resources added after clients connect), name it here.
   */
  capabilities?: ServerCapabilities;
  /** Resource URIs one connection may be subscribed to at once. Default 1000. */
  maxSubscriptions?: number;
  /** Limits for parsing and matching resource templates (defaults in {@link UriTemplateOptions}). */
  uriTemplates?: UriTemplateOptions;
  /** Extra features (resources, prompts...), installed on every connection. */
  features?: ServerFeature[];
  validator?: SchemaValidator;
  timers?: Timers;
  /** Non-fatal faults of any connection. */
  onError?: (error: Error, connection: ServerConnection | undefined) => void;
}

export interface ConnectOptions {
  /** Resume a connection whose negotiation happened before a restart. */
  restore?: ConnectionSnapshot;
  /** First id of our requests on this connection (past any id an earlier process used). */
  firstRequestId?: number;
  onInitialize?: (connection: ServerConnection) => void;
  onLogLevel?: (connection: ServerConnection) => void;
  onClose?: (connection: ServerConnection) => void;
}

export interface McpServer {
  readonly info: Implementation;
  /** Register a tool; returns a function that removes it. Clients hear `tools/list_changed`. */
  tool<Args = Record<string, unknown>>(definition: ToolDefinition, handler: ToolHandler<Args>): () => void;
  removeTool(name: string): boolean;
  /**
   * Register a resource read by exact URI; returns a function that removes it. Clients hear
   * `resources/list_changed`. The definition is listed exactly as given.
   */
  resource(definition: ResourceDefinition, read: ResourceReader): () => void;
  /**
   * Register an RFC 6570 resource template; URIs no static resource claims are matched
   * against templates in registration order. Returns a function that removes it.
   */
  resourceTemplate(definition: ResourceTemplateDefinition, read: TemplateReader): () => void;
  /**
   * Tell the clients subscribed to `uri` that it changed (`notifications/resources/updated`);
   * resolves with how many were told.
   */
  resourceUpdated(uri: string): Promise<number>;
  /** Register a prompt; returns a function that removes it. Clients hear `prompts/list_changed`. */
  prompt(definition: PromptDefinition, get: PromptHandler): () => void;
  /** Add a feature (resources, prompts...) before connections are made. */
  use(feature: ServerFeature): void;
  /** The capabilities this server declares. */
  capabilities(): ServerCapabilities;
  /** Serve one client over `transport`. */
  connect(transport: Transport, options?: ConnectOptions): Promise<ServerConnection>;
  readonly connections: ReadonlySet<ServerConnection>;
  /** Close every connection. */
  close(): Promise<void>;
}

export function createServer(info: Implementation, options: ServerOptions = {}): McpServer {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const askTimeouts: AskTimeouts = { ...DEFAULT_ASK_TIMEOUTS, ...options.askTimeouts };
  const validator = options.validator ?? createSchemaValidator();
  const features: ServerFeature[] = [...(options.features ?? [])];
  const connections = new Set<ServerConnection>();
  const report = (error: Error, conn?: ServerConnection) => options.onError?.(error, conn);
  const context = (rc: RequestContext<ServerSide>, conn: ServerConnection): HandlerContext => createToolContext(rc, conn, askTimeouts, validator);
  const shared = { pageSize, connections: () => connections, context, onError: report };
  const resources = createResourceRegistry({
    ...shared,
    ...(options.maxSubscriptions !== undefined ? { maxSubscriptions: options.maxSubscriptions } : {}),
    ...(options.uriTemplates ? { uriTemplates: options.uriTemplates } : {}),
  });
  const prompts = createPromptRegistry(shared);
  features.unshift(resources, prompts, createCompletionFeature({ prompts, resources, context }));

  // 2025-11-25 server/tools: list_changed goes to every client that finished initializing.
  const tools = createToolRegistry(validator, () => {
    for (const conn of connections) {
      if (conn.state === 'ready') conn.session.notify('notifications/tools/list_changed', undefined).catch((e: Error) => report(e, conn));
    }
  });

  function capabilities(): ServerCapabilities {
    let caps: ServerCapabilities = { logging: {}, tools: { listChanged: true } };
    for (const f of features) caps = mergeCapabilities(caps, f.capabilities());
    return mergeCapabilities(caps, options.capabilities ?? {});
  }

  // Connections made while the declaration is unchanged share one capabilities object
  // rather than a copy each (a server may hold thousands of idle sessions).
  let declared: { json: string; caps: ServerCapabilities } | undefined;
  function connectionCapabilities(): ServerCapabilities {
    const caps = capabilities();
    const json = JSON.stringify(caps);
    if (declared?.json !== json) declared = { json, caps };
    return declared.caps;
  }

  const connectionShared: ConnectionShared = {
    serverInfo: info,
    instructions: options.instructions,
    limits: options.limits,
    timers: options.timers,
    report,
    closed: (conn) => { connections.delete(conn); },
    declarations: new DeclarationCache(),
  };

  // One handler for every connection; tools/call needs its connection, so it is bound per connection.
  const listTools = (params: ListToolsParams | undefined) => tools.list(params?.cursor, pageSize);
  async function callTool(params: CallToolParams, rc: RequestContext<ServerSide>, conn: ServerConnection): Promise<CallToolResult | CreateTaskResult> {
    if (typeof params !== 'object' || params === null) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: tools/call needs params');
    const result = await tools.call(params.name, params.arguments, context(rc, conn));
    const content = fitContentBlocks(result.content, conn.protocolVersion);
    return content === result.content ? result : { ...result, content };
  }

  function installTools(conn: ServerConnection, session: Session<ServerSide>): void {
    session.onRequest('tools/list', listTools);
    session.onRequest('tools/call', (params, rc) => callTool(params, rc, conn));
  }

  return {
    info,
    tool: (definition, handler) => tools.add(definition, handler as ToolHandler<any>),
    removeTool: (name) => tools.remove(name),
    resource: (definition, read) => resources.add(definition, read),
    resourceTemplate: (definition, read) => resources.addTemplate(definition, read),
    resourceUpdated: (uri) => resources.updated(uri),
    prompt: (definition, get) => prompts.add(definition, get),
    use(feature) {
      features.push(feature);
    },
    capabilities,
    get connections() {
      return connections;
    },
    async connect(transport, connectOptions = {}) {
      const conn = new Connection(transport, connectionShared, connectionCapabilities(), connectOptions);
      installTools(conn, conn.session);
      for (const f of features) f.install(conn, conn.session);
      connections.add(conn);
      try {
        await conn.start();
      } catch (error) {
        connections.delete(conn);
        throw error;
      }
      return conn;
    },
    async close() {
      await Promise.allSettled([...connections].map((c) => c.close()));
    },
  };
}

/**
 * `extra` over `base`, one capability at a time: objects are merged one level deep, so an
 * application adding `resources: { subscribe: false }` keeps our `listChanged`.
 */
function mergeCapabilities(base: ServerCapabilities, extra: ServerCapabilities): ServerCapabilities {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const mine = out[key];
    const both = typeof mine === 'object' && mine !== null && typeof value === 'object' && value !== null && !Array.isArray(value);
    out[key] = both ? { ...mine, ...value } : value;
  }
  return out as ServerCapabilities;
}
