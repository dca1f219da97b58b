/**
 * `createServer(info, options)`: a registry of features served to any number of
 * connections (one per stdio process, one per HTTP session).
 */
import {
  ErrorCode, RpcError,
  type CallToolParams, type Implementation, type ServerCapabilities, type ServerSide, type Session,
  type SessionLimits, type Timers, type Transport,
} from '../protocol/index.ts';
import { createConnection, type ConnectionSnapshot, type ServerConnection } from './connection.ts';
import { createToolContext, DEFAULT_ASK_TIMEOUTS, type AskTimeouts } from './context.ts';
import { DEFAULT_PAGE_SIZE } from './pagination.ts';
import { createToolRegistry, type ToolDefinition, type ToolHandler } from './tools.ts';
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
  /** Extra capabilities to declare (e.g. `experimental`). */
  capabilities?: ServerCapabilities;
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

  // 2025-11-25 server/tools: list_changed goes to every client that finished initializing.
  const tools = createToolRegistry(validator, () => {
    for (const conn of connections) {
      if (conn.state === 'ready') conn.session.notify('notifications/tools/list_changed', undefined).catch((e: Error) => report(e, conn));
    }
  });

  function capabilities(): ServerCapabilities {
    let caps: ServerCapabilities = { logging: {}, tools: { listChanged: true } };
    for (const f of features) caps = { ...caps, ...f.capabilities() };
    return { ...caps, ...options.capabilities };
  }

  function installTools(conn: ServerConnection, session: Session<ServerSide>): void {
    session.onRequest('tools/list', (params) => tools.list(params?.cursor, pageSize));
    session.onRequest('tools/call', (params: CallToolParams, rc) => {
      if (typeof params !== 'object' || params === null) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: tools/call needs params');
      const ctx = createToolContext(rc, conn, askTimeouts, validator);
      return tools.call(params.name, params.arguments, ctx);
    });
  }

  return {
    info,
    tool: (definition, handler) => tools.add(definition, handler as ToolHandler<any>),
    removeTool: (name) => tools.remove(name),
    use(feature) {
      features.push(feature);
    },
    capabilities,
    get connections() {
      return connections;
    },
    async connect(transport, connectOptions = {}) {
      const pending = createConnection(transport, {
        serverInfo: info,
        capabilities: capabilities(),
        ...(options.instructions !== undefined ? { instructions: options.instructions } : {}),
        ...(connectOptions.restore ? { restore: connectOptions.restore } : {}),
        session: {
          ...(options.limits ? { limits: options.limits } : {}),
          ...(options.timers ? { timers: options.timers } : {}),
          ...(connectOptions.firstRequestId !== undefined ? { firstRequestId: connectOptions.firstRequestId } : {}),
          onError: (error) => report(error, pending.connection),
        },
        ...(connectOptions.onInitialize ? { onInitialize: connectOptions.onInitialize } : {}),
        ...(connectOptions.onLogLevel ? { onLogLevel: connectOptions.onLogLevel } : {}),
        onClose(conn) {
          connections.delete(conn);
          connectOptions.onClose?.(conn);
        },
      });
      const conn = pending.connection;
      installTools(conn, conn.session);
      for (const f of features) f.install(conn, conn.session);
      connections.add(conn);
      try {
        await pending.start();
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
