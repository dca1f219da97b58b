/**
 * `createServer(info, options)`: features registered once in one method table, served to
 * any number of connections (one per stdio process, one per HTTP session); what changes on
 * the server goes out on its event bus.
 */
import { LocalErrorCode, McpError, type Implementation, type ServerCapabilities, type PeerLimits, type Timers, type Tool, type Transport } from '../protocol/index.ts';
import { limitOption, limitsFor, positiveIntegerOption } from '../protocol/limits.ts';
import { pingSettings, startPinging, type PingOptions } from '../protocol/ping.ts';
import { createCompletionFeature } from './completion.ts';
import { SavedReadReports } from './saved-reads.ts';
import { Connection, type ConnectionShared, type ConnectionSnapshot, type ServerConnection } from './connection.ts';
import { DeclarationCache } from './declarations.ts';
import { extensionFeature, type ExtensionParts } from './extension.ts';
import { LogRate, type LogRateOptions } from './log-rate.ts';
import { createToolContext, DEFAULT_ASK_TIMEOUTS, type AskTimeouts, type ToolContext } from './context.ts';
import { createServerBus, type ServerEvent, type ServerEventBus } from './event-bus.ts';
import { deliverToAll, type LegacyDelivery } from './legacy-events.ts';
import { createListChangedNotifier } from './list-changed.ts';
import { MethodTable, type ServerFeature } from './method-table.ts';
import { DEFAULT_PAGE_SIZE } from './pagination.ts';
import { DEFAULT_MAX_SUBSCRIPTIONS } from './subscriptions.ts';
import { createPromptRegistry, type PromptDefinition, type PromptDefinitionOf, type PromptHandler, type TypedPromptHandler } from './prompts.ts';
import type { ServerRequest } from './request.ts';
import type { ResourceTemplateDefinition, ResourceTemplateDefinitionOf, TemplateReader, TypedTemplateReader } from './resource-templates.ts';
import { createResourceRegistry, type ResourceDefinition, type ResourceReader } from './resources.ts';
import { createToolRegistry, type ToolArgs, type ToolDefinition, type ToolHandler, type ToolReturnFor } from './tools.ts';
import { createSchemaChecks } from './schema-checks.ts';
import type { ObjectSchemaInput, OutputSchemaInput } from './schema-infer.ts';
import type { ToJsonSchema } from './schema-standard.ts';
import { createToolsFeature } from './tools-feature.ts';
// The runtime's code loads with import() when `tasks` is given (tasks-lazy.ts).
import { LazyTaskRuntime, lazyTasksFeature, type TaskRuntime } from './tasks-lazy.ts';
import type { TaskOptions } from './tasks/options.ts';
import type { UriTemplateOptions } from './uri-template.ts';
import { createSchemaValidator, type SchemaValidator } from './validation.ts';
import { checkServerArguments, definitionObject } from './server-arguments.ts';
import { checkTransport } from '../protocol/wrong-arguments.ts';

export type { ServerFeature } from './method-table.ts';

/** Options of {@link createServer}; each bound is checked there (README "Limits and defaults"). */
export interface ServerOptions {
  /** Text for the client's model about how to use this server. */
  instructions?: string;
  /** Items per page of every list. Default 100. */
  pageSize?: number;
  /** Peer limits: timeouts, pending requests, handlers in flight. */
  limits?: Partial<PeerLimits>;
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
  /** Extra features, their methods registered once in the server's method table. */
  features?: ServerFeature[];
  /**
   * Where server events (list changed, resource updated) are published and heard. Default:
   * an in-process bus; a shared one lets several server instances tell each other's clients.
   */
  eventBus?: ServerEventBus;
  /**
   * Offer tasks (2025-11-25 basic/utilities/tasks): tools whose `execution.taskSupport` is
   * "optional" or "required" may be called as tasks, kept in `tasks.store`.
   */
  tasks?: TaskOptions;
  /**
   * Checks JSON Schemas (arguments, output, forms, prompt and template variables). Default: a
   * `createSchemaValidator()` of the server's own, at its default bounds.
   */
  validator?: SchemaValidator;
  /**
   * Converts Standard Schemas whose library has no Standard JSON Schema export
   * (`~standard.jsonSchema`) to JSON Schema, for listing and sending. Default: none (such a
   * schema is refused with MCP_ERR_VALIDATION when registered).
   */
  toJsonSchema?: ToJsonSchema;
  /** The clock of every timeout and timer the server runs (tests inject one). Default: the system's. */
  timers?: Timers;
  /**
   * Rate limit of the log messages (`ctx.log()`) each connection carries, a 2026-07-28
   * request counting as its own (2025-11-25 server/utilities/logging: servers SHOULD rate
   * limit log messages): `burst` at once, refilled at `perSecond`. A message over it is
   * dropped (`ctx.log()` resolves at once) and counted; the next one that passes is preceded
   * by one message (logger "mcpwire", at warning or the most severe level dropped) saying how
   * many were dropped; when none passes, that message goes when a token is back (one `unref`'d
   * timer per connection at most, cleared on close). Default
   * `{ perSecond: 100, burst: 200 }`; `false`: no limit.
   */
  logRate?: LogRateOptions | false;
  /** Non-fatal faults of any connection. */
  onError?: (error: Error, connection: ServerConnection | undefined) => void;
}

/** Options of one connection ({@link McpServer.connect}; `serveEras`' `connect`). */
export interface ConnectOptions {
  /** Resume a connection whose negotiation happened before a restart. */
  restore?: ConnectionSnapshot;
  /** First id of our requests on this connection (past any id an earlier process used). */
  firstRequestId?: number;
  /** The client's `initialize` was answered: its version, capabilities and info are on `connection`. */
  onInitialize?: (connection: ServerConnection) => void;
  /** The client sent notifications/initialized, or a connection restored as initialized started. */
  onReady?: (connection: ServerConnection) => void;
  /** The client set its logging level (`logging/setLevel`); the level is on `connection`. */
  onLogLevel?: (connection: ServerConnection) => void;
  /**
   * The connection ended. `reason`: why this server ended it, when for a cause of its own (the
   * MCP_ERR_TIMEOUT of `ping`'s unanswered pings); undefined when the client or its transport
   * ended it, or `close()` was called.
   */
  onClose?: (connection: ServerConnection, reason: Error | undefined) => void;
  /**
   * For a connection whose client may send notifications/initialized to another instance
   * (a session in a store shared by several): while input requests wait for it (2025-11-25
   * basic/lifecycle), asked every {@link initializedRecheckMs} whether the saved session
   * says it came; true lets them go as the notification would. A failure is asked again
   * later; the server reports (`onError`) the first failure of an outage, over all its
   * connections, and the first read that succeeds after it. Without it, only the notification lets them go.
   */
  initializedElsewhere?: () => Promise<boolean>;
  /** How often {@link initializedElsewhere} is asked while asks wait, in ms. Default 1 000. */
  initializedRecheckMs?: number;
  /**
   * Ping the client every `intervalMs` (2025-11-25 basic/utilities/ping: implementations
   * SHOULD ping periodically, at a configurable frequency). A ping left unanswered
   * `timeoutMs` (default 10 000) is reported through `onError`; `maxMissed` in a row (default
   * 2) close the connection (its tools' signals abort). Default: no pings. The timers never
   * keep the process alive. For a connection of its own (stdio, memory, a custom transport);
   * the Streamable HTTP server gives none (a ping reaches its client only on a GET stream it
   * may not hold; idle sessions end by the session limits).
   */
  ping?: PingOptions;
}

/** A server made by {@link createServer}: what it offers, and the connections it serves. */
export interface McpServer {
  /** The `info` given to createServer, sent as `serverInfo`. */
  readonly info: Implementation;
  /** The `instructions` option, sent in the initialize result and `server/discover`. */
  readonly instructions: string | undefined;
  /** The method table every era serves from (the 2026-07-28 dispatcher reads it too). */
  readonly methods: MethodTable;
  /** Where list changes and resource updates are published (2025 connections and 2026 listen streams hear them). */
  readonly events: ServerEventBus;
  /**
   * Register a tool; returns a function that removes it. Clients hear `tools/list_changed`.
   * The handler's arguments and result are typed from `inputSchema` / `outputSchema` (a
   * Standard Schema, or a JSON Schema literal).
   */
  tool<const In extends ObjectSchemaInput | undefined = undefined, const Out extends OutputSchemaInput | undefined = undefined>(
    definition: ToolDefinition<In, Out>, handler: ToolHandler<ToolArgs<In>, ToolReturnFor<Out>>): () => void;
  /**
   * Register a tool whose argument type is written by hand (`server.tool<Args>(...)`); JSON
   * Schemas only (a Standard Schema's type is always its own).
   */
  tool<Args = Record<string, unknown>>(definition: ToolDefinition, handler: ToolHandler<Args>): () => void;
  /** Unregister the tool `name` (connected clients hear `list_changed`); false when there was none. */
  removeTool(name: string): boolean;
  /** The tool `name` as listed, when registered. */
  getTool(name: string): Tool | undefined;
  /**
   * Register a resource read by exact URI; returns a function that removes it. Clients hear
   * `resources/list_changed`. The definition is listed exactly as given.
   */
  resource(definition: ResourceDefinition, read: ResourceReader): () => void;
  /**
   * Register an RFC 6570 resource template; URIs no static resource claims are matched
   * against templates in registration order. Returns a function that removes it.
   */
  resourceTemplate<const V extends ObjectSchemaInput>(definition: ResourceTemplateDefinitionOf<V>, read: TypedTemplateReader<V>): () => void;
  resourceTemplate(definition: ResourceTemplateDefinition, read: TemplateReader): () => void;
  /**
   * Tell the clients subscribed to `uri` that it changed (`notifications/resources/updated`);
   * resolves with how many were told.
   */
  resourceUpdated(uri: string): Promise<number>;
  /**
   * Register a prompt; returns a function that removes it. Clients hear `prompts/list_changed`.
   * With `argsSchema` the handler's arguments are typed (and checked) by it.
   */
  prompt<const A extends ObjectSchemaInput>(definition: PromptDefinitionOf<A>, get: TypedPromptHandler<A>): () => void;
  prompt(definition: PromptDefinition, get: PromptHandler): () => void;
  /** Add a feature (its methods join the server's method table) before connections are made. */
  use(feature: ServerFeature): void;
  /**
   * Declare extension `id` in `capabilities.extensions` with `settings` inline ({} for no
   * optional features; a function is read each time), serving the methods `parts` registers
   * (2026-07-28 basic/versioning, extension negotiation). Throws MCP_ERR_VALIDATION for a bad or repeated identifier.
   */
  extension(id: string, settings?: object | (() => object), parts?: ExtensionParts): void;
  /** The capabilities this server declares. */
  capabilities(): ServerCapabilities;
  /**
   * Resolves once every schema of the tools, prompts (`argsSchema`) and resource templates
   * (`variables`) has been checked. A plain schema is checked when registered (a bad one
   * throws there); any other, when ajv has loaded (with `import()`, started by the first such
   * schema): a refusal takes its tool, prompt or template out (clients hear list_changed), is
   * reported through `onError`, and rejects this (MCP_ERR_VALIDATION). `connect()` waits for
   * it too.
   */
  ready(): Promise<void>;
  /** Serve one client over `transport`; first waits for {@link McpServer.ready} (and rejects with its refusal). */
  connect(transport: Transport, options?: ConnectOptions): Promise<ServerConnection>;
  /** The connections served now (2025 sessions; 2026-07-28 requests are not connections). */
  readonly connections: ReadonlySet<ServerConnection>;
  /**
   * The server's tasks, when `options.tasks` was given. After a restart, register the tools,
   * then `await server.tasks.resume()` to run the unfinished tasks again.
   */
  readonly tasks: TaskRuntime | undefined;
  /** Close every connection (and stop running tasks; they resume after a restart). */
  close(): Promise<void>;
  /** `close()`, for `await using server = createServer(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * An MCP server named `info` (sent as `serverInfo`; both eras): register tools, resources and
 * prompts on it, then serve it with `connect(transport)` (2025 era), `serveEras` (both, stdio)
 * or `createMcpHttpHandler` (both, HTTP). Every option's bound is checked here: a RangeError or
 * TypeError naming the option and the value (README "Limits and defaults").
 */
export function createServer(info: Implementation, options: ServerOptions = {}): McpServer {
  checkServerArguments(info, options);
  const pageSize = positiveIntegerOption('pageSize', options.pageSize, DEFAULT_PAGE_SIZE);
  // Every bound is checked here, where it is given, not at the first connection or call.
  const askTimeouts = { ...DEFAULT_ASK_TIMEOUTS };
  for (const key of Object.keys(askTimeouts) as Array<keyof AskTimeouts>) askTimeouts[key] = limitOption(`askTimeouts.${key}`, options.askTimeouts?.[key], askTimeouts[key]);
  const maxSubscriptions = positiveIntegerOption('maxSubscriptions', options.maxSubscriptions, DEFAULT_MAX_SUBSCRIPTIONS);
  for (const key of ['maxTemplateLength', 'maxExpressions', 'maxUriLength'] as const) positiveIntegerOption(`uriTemplates.${key}`, options.uriTemplates?.[key], 1);
  // Frozen once: every connection's peer then shares one merged limits object (peer.ts).
  const limits = options.limits && Object.freeze({ ...options.limits });
  limitsFor(limits);
  const validator = options.validator ?? createSchemaValidator();
  const connections = new Set<ServerConnection>();
  const report = (error: Error, conn?: ServerConnection) => options.onError?.(error, conn);
  const delivery: LegacyDelivery = { subscribed: (conn, uri) => resources.subscribed(conn, uri), report };
  const busFailed = (e: unknown) => report(e instanceof Error ? e : new Error(String(e)));
  const events = options.eventBus ?? createServerBus({ onError: busFailed }, (event) => deliverToAll(connections, event, delivery, busFailed));
  const publish = (event: ServerEvent): void => { events.publish(event).catch((e: Error) => report(e)); };
  // A count no passing message told goes to the connection (a 2025 session's client; over HTTP,
  // its GET stream), or to the request (2026-07-28: its stream while it is open; lost after).
  const logRate = options.logRate === false ? undefined : new LogRate(options.logRate, options.timers, (key, dropped) => {
    const conn = connections.has(key as ServerConnection) ? key as ServerConnection : undefined;
    const req = conn ? undefined : key as ServerRequest;
    const params = logRate!.message(dropped, (conn ?? req!).logLevel);
    (conn ? conn.peer.notify('notifications/message', params) : req!.notify('notifications/message', params)).catch((e: Error) => report(e, conn));
  });
  const context = (req: ServerRequest): ToolContext => createToolContext(req, askTimeouts, validator, options.toJsonSchema, logRate);
  // Schemas that wait for ajv (tools', prompts', templates'): ready() and connect() wait for them.
  const checks = createSchemaChecks((e) => report(e));
  const tools = createToolRegistry(validator, createListChangedNotifier('tools', publish), options.toJsonSchema, checks);
  const resources = createResourceRegistry({
    pageSize, context, publish, checks,
    maxSubscriptions,
    ...(options.uriTemplates ? { uriTemplates: options.uriTemplates } : {}),
  });
  const prompts = createPromptRegistry({ pageSize, context, publish, checks, schemas: { validator, toJsonSchema: options.toJsonSchema } });
  const methods = new MethodTable();
  const features: ServerFeature[] = [];
  const use = (feature: ServerFeature) => {
    feature.register(methods);
    features.push(feature);
  };
  const extensionIds = new Set<string>();
  const tasks = options.tasks && new LazyTaskRuntime(options.tasks, {
    run: (params, ctx) => tools.call(params.name, params.arguments, ctx),
    restartOf: (name) => tools.restartOf(name),
    context, publish, subscribe: (listener) => events.subscribe(listener), report: (e) => report(e),
    connectionOf: (sessionId) => {
      for (const conn of connections) if (conn.sessionId === sessionId && conn.state === 'ready') return conn;
      return undefined;
    },
  });
  for (const feature of [createToolsFeature({ tools, pageSize, context, tasks }), resources, prompts, createCompletionFeature({ prompts, resources, context })]) use(feature);
  if (tasks) use(lazyTasksFeature(tasks));
  for (const feature of options.features ?? []) use(feature);

  function capabilities(): ServerCapabilities {
    let caps: ServerCapabilities = { logging: {} };
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

  /** The pinger of each connection given `ping` (made on first use). */
  let pingers: Map<ServerConnection, { stop(): void }> | undefined;

  const connectionShared: ConnectionShared = {
    serverInfo: info,
    instructions: options.instructions,
    limits,
    timers: options.timers,
    report,
    closed: (conn) => {
      connections.delete(conn);
      logRate?.forget(conn);
      pingers?.get(conn)?.stop();
      pingers?.delete(conn);
    },
    declarations: new DeclarationCache(),
    methods,
    // The server's own bus tells its connections itself: none subscribes (bench g).
    events: options.eventBus,
    delivery,
    savedReads: new SavedReadReports(),
  };

  const server: McpServer = {
    info,
    instructions: options.instructions,
    methods,
    events,
    tool: (definition: ToolDefinition<any, any>, handler: ToolHandler<any, any>) => tools.add(definitionObject('tool', definition), handler),
    removeTool: (name) => tools.remove(name),
    getTool: (name) => tools.get(name),
    resource: (definition, read) => resources.add(definitionObject('resource', definition), read),
    resourceTemplate: (definition: ResourceTemplateDefinition, read: TemplateReader) => resources.addTemplate(definitionObject('resourceTemplate', definition), read),
    resourceUpdated: (uri) => events.publish({ type: 'resource_updated', uri }),
    prompt: (definition: PromptDefinition, get: PromptHandler) => prompts.add(definitionObject('prompt', definition), get),
    use,
    extension(id, settings = {}, parts) {
      if (extensionIds.has(id)) throw new McpError(LocalErrorCode.Validation, `extension ${id} is already declared`);
      use(extensionFeature(id, settings, parts));
      extensionIds.add(id);
    },
    capabilities,
    get connections() {
      return connections;
    },
    tasks,
    ready: () => checks.pending() ?? Promise.resolve(),
    async connect(transport, connectOptions = {}) {
      checkTransport(transport);
      if (connectOptions.ping !== undefined) pingSettings(connectOptions.ping); // a bad one refused before anything starts
      const checking = checks.pending();
      if (checking) await checking;
      const conn = new Connection(transport, connectionShared, connectionCapabilities(), connectOptions);
      connections.add(conn);
      try {
        await conn.start();
      } catch (error) {
        connections.delete(conn);
        throw error;
      }
      if (connectOptions.ping !== undefined && !conn.peer.closed) {
        (pingers ??= new Map()).set(conn, startPinging(conn.peer, connectOptions.ping, {
          peerName: 'client', timers: options.timers,
          missed: (error) => report(error, conn),
          gone(error) {
            report(error, conn);
            void conn.close(error);
          },
        }));
      }
      return conn;
    },
    async close() {
      await Promise.allSettled([...connections].map((c) => c.close()));
      await tasks?.close();
    },
    [Symbol.asyncDispose]: () => server.close(),
  };
  return server;
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
