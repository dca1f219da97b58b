/**
 * One client connected to a server: the legacy lifecycle (2025-11-25 basic/lifecycle),
 * version negotiation, capability gating both ways, and log level. Features (tools,
 * resources, prompts) install their handlers on it.
 */
import {
  allowsBatches, capabilityName, clientCapabilityFor, clientSupportsElicitationMode, createSession, ErrorCode,
  hasCapability, LocalErrorCode, McpError, methodSince, negotiateVersion, RpcError, serverCapabilityFor,
  versionAtLeast,
  type ClientCapabilities, type Implementation, type InitializeResult, type LoggingLevel, type RpcErrorObject,
  type ServerCapabilities, type ServerSide, type Session, type SessionOptions, type Transport,
} from '../protocol/index.ts';
import { isLoggingLevel } from './logging.ts';

export type ConnectionState = 'awaiting-initialize' | 'initializing' | 'ready' | 'closed';

/** Negotiated facts of a connection that a restarted server brings back from disk. */
export interface ConnectionSnapshot {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
}

/** A connected client, as features and applications see it. */
export interface ServerConnection {
  readonly session: Session<ServerSide>;
  readonly state: ConnectionState;
  readonly sessionId: string | undefined;
  /** What this server declared to this client (fixed when the connection was made). */
  readonly capabilities: ServerCapabilities;
  readonly protocolVersion: string;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  readonly logLevel: LoggingLevel | undefined;
  snapshot(): ConnectionSnapshot | undefined;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  serverInfo: Implementation;
  capabilities: ServerCapabilities;
  instructions?: string;
  session?: SessionOptions;
  restore?: ConnectionSnapshot;
  /** Called once the client has sent `notifications/initialized` (or on restore). */
  onReady?: (conn: ServerConnection) => void;
  /** Called after initialize, so the transport can persist the negotiated facts. */
  onInitialize?: (conn: ServerConnection) => void;
  onLogLevel?: (conn: ServerConnection) => void;
  onClose?: (conn: ServerConnection) => void;
}

/** A connection whose handlers can still be extended; `start()` connects the transport. */
export interface PendingConnection {
  connection: ServerConnection;
  start(): Promise<void>;
}

/** Create the connection; features install their handlers before `start()`. */
export function createConnection(transport: Transport, options: ConnectionOptions): PendingConnection {
  const ownCaps = options.capabilities;
  let state: ConnectionState = options.restore ? 'ready' : 'awaiting-initialize';
  let protocolVersion = options.restore?.protocolVersion ?? '';
  let clientCapabilities: ClientCapabilities = options.restore?.clientCapabilities ?? {};
  let clientInfo: Implementation | undefined = options.restore?.clientInfo;
  let logLevel: LoggingLevel | undefined = options.restore?.logLevel;

  const session = createSession<ServerSide>({
    ...options.session,
    allowBatch: () => allowsBatches(protocolVersion),
    checkInbound,
    checkOutbound,
    onClose(error) {
      state = 'closed';
      options.onClose?.(conn);
      options.session?.onClose?.(error);
    },
  });

  /** 2025-11-25 basic/lifecycle: only negotiated capabilities; unknown features are "method not found". */
  function checkInbound(method: string): RpcErrorObject | undefined {
    if (method === 'initialize') {
      return state === 'awaiting-initialize' ? undefined : { code: ErrorCode.InvalidRequest, message: 'Invalid Request: the session is already initialized' };
    }
    if (method === 'ping') return undefined;
    if (state === 'awaiting-initialize') {
      return { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${method} before initialize; send initialize first` };
    }
    const since = methodSince(method);
    if (since && !versionAtLeast(protocolVersion, since)) {
      return { code: ErrorCode.MethodNotFound, message: `Method not found: ${method} is not part of protocol ${protocolVersion}` };
    }
    const path = serverCapabilityFor(method);
    if (path && !hasCapability(ownCaps, path)) {
      return { code: ErrorCode.MethodNotFound, message: `Method not found: ${method} (the server does not offer ${capabilityName(path)})` };
    }
    return undefined;
  }

  function refuse(message: string): never {
    throw new McpError(LocalErrorCode.Capability, message);
  }

  function checkOutbound(method: string, params: unknown): void {
    if (state === 'closed') throw new McpError(LocalErrorCode.Closed, `cannot send ${method}: connection closed`);
    const since = methodSince(method);
    if (since && protocolVersion && !versionAtLeast(protocolVersion, since)) refuse(`${method} is not part of protocol ${protocolVersion}`);
    const clientPath = clientCapabilityFor(method);
    if (clientPath && !method.startsWith('notifications/') && !hasCapability(clientCapabilities, clientPath)) {
      refuse(`the client did not declare the ${capabilityName(clientPath)} capability needed for ${method}`);
    }
    const ownPath = method.startsWith('notifications/') ? serverCapabilityFor(method) : undefined;
    if (ownPath && !hasCapability(ownCaps, ownPath)) refuse(`the server did not declare ${capabilityName(ownPath)}, needed for ${method}`);
    const p = (params ?? {}) as Record<string, unknown>;
    if (method === 'elicitation/create') {
      const mode = p.mode === 'url' ? 'url' : 'form';
      // 2025-11-25 client/elicitation: servers MUST NOT send a mode the client did not declare.
      if (mode === 'url' && !versionAtLeast(protocolVersion, '2025-11-25')) refuse(`URL elicitation needs protocol 2025-11-25; this session uses ${protocolVersion}`);
      if (!clientSupportsElicitationMode(clientCapabilities, mode)) refuse(`the client did not declare elicitation mode "${mode}"`);
    }
    if (method === 'sampling/createMessage') {
      // 2025-11-25 client/sampling: tools need sampling.tools; context inclusion needs sampling.context.
      if ((p.tools !== undefined || p.toolChoice !== undefined) && !hasCapability(clientCapabilities, ['sampling', 'tools'])) {
        refuse('the client did not declare sampling.tools, needed for tools in sampling');
      }
      if ((p.includeContext === 'thisServer' || p.includeContext === 'allServers') && !hasCapability(clientCapabilities, ['sampling', 'context'])) {
        refuse('the client did not declare sampling.context, needed for includeContext');
      }
    }
  }

  session.onRequest('initialize', (params) => {
    if (typeof params !== 'object' || params === null || typeof params.protocolVersion !== 'string'
      || typeof params.capabilities !== 'object' || params.capabilities === null
      || typeof params.clientInfo !== 'object' || params.clientInfo === null) {
      throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: initialize needs protocolVersion, capabilities and clientInfo');
    }
    protocolVersion = negotiateVersion(params.protocolVersion);
    clientCapabilities = params.capabilities;
    clientInfo = params.clientInfo;
    state = 'initializing';
    transport.setProtocolVersion?.(protocolVersion);
    options.onInitialize?.(conn);
    const result: InitializeResult = { protocolVersion, capabilities: ownCaps, serverInfo: options.serverInfo };
    if (options.instructions !== undefined) result.instructions = options.instructions;
    return result;
  });

  session.onNotification('notifications/initialized', () => {
    if (state !== 'initializing') return;
    state = 'ready';
    options.onReady?.(conn);
  });

  session.onRequest('logging/setLevel', (params) => {
    if (!isLoggingLevel(params?.level)) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: unknown logging level ${JSON.stringify(params?.level)}`);
    logLevel = params.level;
    options.onLogLevel?.(conn);
    return {};
  });

  const conn: ServerConnection = {
    session,
    get state() { return state; },
    get sessionId() { return transport.sessionId; },
    capabilities: ownCaps,
    get protocolVersion() { return protocolVersion; },
    get clientCapabilities() { return clientCapabilities; },
    get clientInfo() { return clientInfo; },
    get logLevel() { return logLevel; },
    snapshot() {
      if (!protocolVersion) return undefined;
      const snap: ConnectionSnapshot = { protocolVersion, clientCapabilities };
      if (clientInfo) snap.clientInfo = clientInfo;
      if (logLevel) snap.logLevel = logLevel;
      return snap;
    },
    close: () => session.close(),
  };
  return {
    connection: conn,
    async start() {
      await session.connect(transport);
      if (options.restore) options.onReady?.(conn);
    },
  };
}
