/**
 * `createClient(info, options)`: the legacy-era client. `connect(transport)` performs the
 * handshake (2025-11-25 basic/lifecycle); helpers cover the server's features; the
 * application answers the server's requests through `onElicit`, `onSample`, `onRoots`.
 */
import {
  capabilityName, clientSupportsElicitationMode, createSession, ErrorCode, hasCapability, isSupportedVersion,
  LATEST_PROTOCOL_VERSION, LocalErrorCode, McpError, methodSince, RpcError, serverCapabilityFor, versionAtLeast,
  allowsBatches,
  type CallToolResult, type ClientCapabilities, type ClientSide, type CreateMessageParams, type CreateMessageResult,
  type ElicitParams, type ElicitResult, type Implementation, type LoggingLevel, type LoggingMessageParams,
  type ProgressCallback, type RequestOptions, type Root, type RpcErrorObject, type ServerCapabilities, type Session,
  type SessionLimits, type Timers, type Tool, type Transport, type CreateTaskResult, type RequestId, type ProgressToken,
  HttpError,
} from '../protocol/index.ts';

/** What a callback answering the server is told besides the params. */
export interface InboundContext {
  /** Aborted when the server cancels its request or the session ends. */
  signal: AbortSignal;
}

export interface ClientOptions {
  /** Capabilities to declare; those implied by the callbacks below are added. */
  capabilities?: ClientCapabilities;
  /** Answer `elicitation/create`; declares `elicitation: { form: {} }` unless capabilities say otherwise. */
  onElicit?: (params: ElicitParams, ctx: InboundContext) => ElicitResult | Promise<ElicitResult>;
  /** Answer `sampling/createMessage`; declares `sampling: {}`. */
  onSample?: (params: CreateMessageParams, ctx: InboundContext) => CreateMessageResult | Promise<CreateMessageResult>;
  /** Answer `roots/list`; declares `roots: { listChanged: true }`. */
  onRoots?: (ctx: InboundContext) => Root[] | Promise<Root[]>;
  /** Server log messages (`notifications/message`). */
  onLog?: (params: LoggingMessageParams) => void;
  /** Any server notification not handled above (list_changed, resources/updated...). */
  onNotification?: (method: string, params: Record<string, unknown> | undefined) => void;
  /** Protocol version to ask for. Default 2025-11-25. */
  protocolVersion?: string;
  limits?: Partial<SessionLimits>;
  timers?: Timers;
  onError?: (error: Error) => void;
  onClose?: (error?: Error) => void;
  /** Upper bound on pages fetched by the list helpers (guards against cursor loops). Default 1 000. */
  maxPages?: number;
  /**
   * First id for our requests. A process rejoining an HTTP session a previous process
   * started passes a value past every id that process used (e.g. `Date.now() * 1000`).
   */
  firstRequestId?: number;
  /**
   * When the server forgets the session (HTTP 404), initialize a new one and retry the
   * request once (2025-11-25 basic/transports: sessions). Default true.
   */
  reinitializeOnExpiry?: boolean;
  /** Told each time the session expired and a new one was initialized. */
  onReinitialized?: (reason: Error) => void;
}

/** What a rejoining client already knows about its session (from a token store). */
export interface RejoinState {
  protocolVersion: string;
  serverCapabilities?: ServerCapabilities;
  serverInfo?: Implementation;
}

export interface CallToolOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxTotalTimeoutMs?: number;
  onResumptionToken?: (token: string) => void;
  /** Told the JSON-RPC id of the call, to store with its resumption token. */
  onRequestId?: (id: RequestId) => void;
}

export interface McpClient {
  /** Start the session and perform `initialize` / `notifications/initialized`. */
  connect(transport: Transport, options?: { signal?: AbortSignal; timeoutMs?: number; rejoin?: RejoinState }): Promise<void>;
  readonly session: Session<ClientSide>;
  readonly protocolVersion: string | undefined;
  readonly serverCapabilities: ServerCapabilities | undefined;
  readonly serverInfo: Implementation | undefined;
  readonly instructions: string | undefined;
  /** Every tool, following `nextCursor` through all pages. */
  listTools(options?: { signal?: AbortSignal }): Promise<Tool[]>;
  callTool(name: string, args?: Record<string, unknown>, options?: CallToolOptions): Promise<CallToolResult>;
  /**
   * Pick up a call a previous process started: await the response to `requestId` and
   * resume its stream after `lastEventId` (the transport must support `resume`, as the
   * HTTP client does). Progress for the call's token goes to `onProgress`.
   */
  resumeCall(requestId: RequestId, lastEventId: string, options?: CallToolOptions & { progressToken?: ProgressToken }): Promise<CallToolResult>;
  setLoggingLevel(level: LoggingLevel): Promise<void>;
  ping(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<void>;
  /** Tell the server the roots changed (needs the roots capability). */
  rootsChanged(): Promise<void>;
  close(): Promise<void>;
}

export function createClient(info: Implementation, options: ClientOptions = {}): McpClient {
  const capabilities = declaredCapabilities(options);
  const maxPages = options.maxPages ?? 1_000;
  let protocolVersion: string | undefined;
  let serverCapabilities: ServerCapabilities | undefined;
  let serverInfo: Implementation | undefined;
  let instructions: string | undefined;
  let rejoined = false;

  const session = createSession<ClientSide>({
    ...(options.firstRequestId !== undefined ? { firstRequestId: options.firstRequestId } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.onClose ? { onClose: options.onClose } : {}),
    allowBatch: () => allowsBatches(protocolVersion),
    checkOutbound(method) {
      if (method === 'initialize' || method === 'ping' || method.startsWith('notifications/')) return;
      if (!serverCapabilities) {
        if (rejoined) return; // capabilities unknown after a rejoin: let the server decide
        throw new McpError(LocalErrorCode.State, `cannot send ${method} before initialize completed`);
      }
      const since = methodSince(method);
      if (since && protocolVersion && !versionAtLeast(protocolVersion, since)) {
        throw new McpError(LocalErrorCode.Capability, `${method} is not part of protocol ${protocolVersion}`);
      }
      const path = serverCapabilityFor(method);
      if (path && !hasCapability(serverCapabilities, path)) {
        throw new McpError(LocalErrorCode.Capability, `the server did not declare the ${capabilityName(path)} capability needed for ${method}`);
      }
    },
    checkInbound(method, params): RpcErrorObject | undefined {
      // 2025-11-25 client/elicitation: a mode the client did not declare gets -32602.
      if (method === 'elicitation/create' && capabilities.elicitation) {
        const mode = params?.mode === 'url' ? 'url' : 'form';
        if (!clientSupportsElicitationMode(capabilities, mode)) {
          return { code: ErrorCode.InvalidParams, message: `Invalid params: elicitation mode "${mode}" was not declared by this client` };
        }
      }
      return undefined;
    },
  });

  const ctxOf = (signal: AbortSignal): InboundContext => ({ signal });
  if (options.onElicit) {
    const onElicit = options.onElicit;
    session.onRequest('elicitation/create', (params, rc) => onElicit(params, ctxOf(rc.signal)));
  }
  if (options.onSample) {
    const onSample = options.onSample;
    session.onRequest('sampling/createMessage', (params, rc) => onSample(params, ctxOf(rc.signal)));
  }
  if (options.onRoots) {
    const onRoots = options.onRoots;
    session.onRequest('roots/list', async (_params, rc) => ({ roots: await onRoots(ctxOf(rc.signal)) }));
  }
  if (options.onLog) {
    const onLog = options.onLog;
    session.onNotification('notifications/message', (params) => onLog(params));
  }
  if (options.onNotification) {
    const onNotification = options.onNotification;
    for (const method of ['notifications/resources/updated', 'notifications/resources/list_changed', 'notifications/prompts/list_changed',
      'notifications/tools/list_changed', 'notifications/elicitation/complete', 'notifications/tasks/status'] as const) {
      session.onNotification(method, (params) => onNotification(method, params as Record<string, unknown> | undefined));
    }
  }

  async function handshake(connectOptions: { signal?: AbortSignal; timeoutMs?: number }): Promise<void> {
    const transport = session.transport!;
    const requested = options.protocolVersion ?? LATEST_PROTOCOL_VERSION;
    const result = await session.request('initialize', { protocolVersion: requested, capabilities, clientInfo: info }, {
      ...(connectOptions.signal ? { signal: connectOptions.signal } : {}),
      ...(connectOptions.timeoutMs !== undefined ? { timeoutMs: connectOptions.timeoutMs } : {}),
    });
    // 2025-11-25 basic/lifecycle: a client that cannot use the server's version SHOULD disconnect.
    if (!isSupportedVersion(result.protocolVersion)) {
      await session.close();
      throw new McpError(LocalErrorCode.Version, `server answered protocol version ${JSON.stringify(result.protocolVersion)}, which this client does not support`);
    }
    protocolVersion = result.protocolVersion;
    serverCapabilities = result.capabilities ?? {};
    serverInfo = result.serverInfo;
    instructions = result.instructions;
    transport.setProtocolVersion?.(protocolVersion);
    await session.notify('notifications/initialized', undefined);
  }

  /**
   * Run `fn`; when the server answers 404 for our session (it expired or restarted without
   * it), initialize a new session and run `fn` once more (2025-11-25 basic/transports:
   * the client MUST start a new session on 404).
   */
  async function withSession<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 404 || options.reinitializeOnExpiry === false || session.closed) throw error;
      await handshake({});
      options.onReinitialized?.(error);
      return fn();
    }
  }

  const client: McpClient = {
    session,
    get protocolVersion() { return protocolVersion; },
    get serverCapabilities() { return serverCapabilities; },
    get serverInfo() { return serverInfo; },
    get instructions() { return instructions; },

    async connect(transport, connectOptions = {}) {
      await session.connect(transport);
      const rejoin = connectOptions.rejoin;
      if (rejoin) {
        // Rejoin a session a previous process initialized: no second handshake.
        protocolVersion = rejoin.protocolVersion;
        rejoined = true;
        serverCapabilities = rejoin.serverCapabilities;
        serverInfo = rejoin.serverInfo;
        transport.setProtocolVersion?.(protocolVersion);
        return;
      }
      await handshake(connectOptions);
    },

    async listTools(opts = {}) {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const params = cursor === undefined ? undefined : { cursor };
        const result = await withSession(() => session.request('tools/list', params, opts.signal ? { signal: opts.signal } : {}));
        tools.push(...result.tools);
        if (result.nextCursor === undefined) return tools;
        cursor = result.nextCursor;
      }
      throw new McpError(LocalErrorCode.Protocol, `tools/list did not end after ${maxPages} pages`);
    },

    async callTool(name, args, opts = {}) {
      const requestOptions: RequestOptions = {};
      if (opts.onProgress) requestOptions.onProgress = opts.onProgress;
      if (opts.signal) requestOptions.signal = opts.signal;
      if (opts.timeoutMs !== undefined) requestOptions.timeoutMs = opts.timeoutMs;
      if (opts.maxTotalTimeoutMs !== undefined) requestOptions.maxTotalTimeoutMs = opts.maxTotalTimeoutMs;
      if (opts.onResumptionToken) requestOptions.onResumptionToken = opts.onResumptionToken;
      if (opts.onRequestId) requestOptions.onRequestId = opts.onRequestId;
      const result = await withSession(() => session.request('tools/call', args === undefined ? { name } : { name, arguments: args }, requestOptions));
      return asCallResult(result);
    },

    async resumeCall(requestId, lastEventId, opts = {}) {
      const transport = session.transport as (Transport & { resume?: (id: string, o: object) => Promise<void> }) | undefined;
      if (!transport?.resume) throw new McpError(LocalErrorCode.State, 'this transport cannot resume a stream (use the HTTP client transport)');
      const pending = session.expectResponse('tools/call', requestId, {
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.progressToken !== undefined ? { progressToken: opts.progressToken } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.maxTotalTimeoutMs !== undefined ? { maxTotalTimeoutMs: opts.maxTotalTimeoutMs } : {}),
      });
      try {
        await transport.resume(lastEventId, { requestIds: [requestId], ...(opts.onResumptionToken ? { onResumptionToken: opts.onResumptionToken } : {}) });
      } catch (error) {
        pending.catch(() => {}); // settled by failRequest below; the caller gets `error`
        session.failRequest(requestId, error as Error);
        throw error;
      }
      return asCallResult(await pending);
    },

    async setLoggingLevel(level) {
      await withSession(() => session.request('logging/setLevel', { level }));
    },
    async ping(opts = {}) {
      await session.request('ping', undefined, opts);
    },
    async rootsChanged() {
      if (!hasCapability(capabilities, ['roots', 'listChanged'])) {
        throw new McpError(LocalErrorCode.Capability, 'this client did not declare roots.listChanged');
      }
      await session.notify('notifications/roots/list_changed', undefined);
    },
    close: () => session.close(),
  };
  return client;
}

function asCallResult(result: CallToolResult | CreateTaskResult): CallToolResult {
  if ((result as CreateTaskResult).task !== undefined && !('content' in result)) {
    throw new RpcError(ErrorCode.InternalError, 'server answered with a task, which this call did not ask for');
  }
  return result as CallToolResult;
}

/** The declared capabilities: explicit ones, plus those the callbacks imply. */
function declaredCapabilities(options: ClientOptions): ClientCapabilities {
  const caps: ClientCapabilities = { ...options.capabilities };
  if (options.onElicit && !caps.elicitation) caps.elicitation = { form: {} };
  if (options.onSample && !caps.sampling) caps.sampling = {};
  if (options.onRoots && !caps.roots) caps.roots = { listChanged: true };
  return caps;
}
