/**
 * `createClient(info, options)`: the legacy-era client. `connect(transport)` performs the
 * handshake (2025-11-25 basic/lifecycle); helpers cover the server's features
 * (features.ts); the application answers the server's requests through `onElicit`,
 * `onSample`, `onRoots` (inbound.ts).
 */
import {
  createPeer, ErrorCode, HttpError,
  isSupportedVersion, LATEST_PROTOCOL_VERSION, LocalErrorCode, McpError, versionAtLeast,
  type ClientCapabilities, type ClientSide, type Implementation, type Root, type RpcErrorObject, type ServerCapabilities,
} from '../protocol/index.ts';
import { allowsBatches } from '../protocol/versions.ts';
import { capabilityName, clientSupportsElicitationMode, hasCapability, methodSince, serverCapabilityFor } from '../protocol/capabilities.ts';
import { createFeatureHelpers } from './features.ts';
import { installInbound, rootsProblem } from './inbound.ts';
import type { ClientOptions, McpClient } from './types.ts';
import { createElicitationTracker } from './url-elicitation.ts';
import { createResultChecker } from './tool-results.ts';

export type {
  CallOptions, CallToolOptions, ClientOptions, ElicitationOptions, InboundContext, ListKind, McpClient, NotificationContext, RejoinState,
} from './types.ts';

export function createClient(info: Implementation, options: ClientOptions = {}): McpClient {
  const capabilities = declaredCapabilities(options);
  const tracker = createElicitationTracker(1_000, options.timers);
  let protocolVersion: string | undefined;
  let serverCapabilities: ServerCapabilities | undefined;
  let serverInfo: Implementation | undefined;
  let instructions: string | undefined;
  let rejoined = false;
  let roots: Root[] = [...(options.roots ?? [])];
  const report = (error: Error) => options.onError?.(error);

  const peer = createPeer<ClientSide>({
    ...(options.firstRequestId !== undefined ? { firstRequestId: options.firstRequestId } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    onClose(error) {
      tracker.closeAll(new McpError(LocalErrorCode.Closed, 'the session closed while waiting for an elicitation to complete', { cause: error }));
      options.onClose?.(error);
    },
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

  installInbound({ peer, options, capabilities, tracker, roots: () => roots, server: () => serverInfo, report });

  async function handshake(connectOptions: { signal?: AbortSignal; timeoutMs?: number }): Promise<void> {
    const transport = peer.transport!;
    const requested = options.protocolVersion ?? LATEST_PROTOCOL_VERSION;
    const result = await peer.request('initialize', { protocolVersion: requested, capabilities, clientInfo: info }, {
      ...(connectOptions.signal ? { signal: connectOptions.signal } : {}),
      ...(connectOptions.timeoutMs !== undefined ? { timeoutMs: connectOptions.timeoutMs } : {}),
    });
    // 2025-11-25 basic/lifecycle: a client that cannot use the server's version SHOULD disconnect.
    if (!isSupportedVersion(result.protocolVersion)) {
      await peer.close();
      throw new McpError(LocalErrorCode.Version, `server answered protocol version ${JSON.stringify(result.protocolVersion)}, which this client does not support`);
    }
    protocolVersion = result.protocolVersion;
    serverCapabilities = result.capabilities ?? {};
    serverInfo = result.serverInfo;
    instructions = result.instructions;
    transport.setProtocolVersion?.(protocolVersion);
    await peer.notify('notifications/initialized', undefined);
  }

  /**
   * `fn` failed with `error`: when the server answered 404 for our session (it expired or
   * restarted without it), initialize a new session, renew subscriptions and run `fn` once
   * more (2025-11-25 basic/transports: the client MUST start a new session on 404); any
   * other failure is rethrown.
   */
  async function retryOnExpiry<T>(error: unknown, fn: () => Promise<T>): Promise<T> {
    if (!(error instanceof HttpError) || error.status !== 404 || options.reinitializeOnExpiry === false || peer.closed) throw error;
    await handshake({});
    options.onReinitialized?.(error);
    await renewSubscriptions();
    return fn();
  }

  const { renewSubscriptions, ...features } = createFeatureHelpers({
    peer, tracker, retryOnExpiry, report,
    results: createResultChecker(options.validateStructuredContent !== false),
    maxPages: options.maxPages ?? 1_000,
    serverCapabilities: () => serverCapabilities,
  });

  const client: McpClient = {
    ...features,
    peer,
    capabilities,
    get protocolVersion() { return protocolVersion; },
    get serverCapabilities() { return serverCapabilities; },
    get serverInfo() { return serverInfo; },
    get instructions() { return instructions; },

    async connect(transport, connectOptions = {}) {
      await peer.connect(transport);
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

    async setRoots(next) {
      if (options.onRoots) throw new McpError(LocalErrorCode.State, 'this client answers roots/list through onRoots; call rootsChanged() when they change');
      if (!capabilities.roots) throw new McpError(LocalErrorCode.Capability, 'this client did not declare the roots capability (pass `roots` or `onRoots`)');
      const problem = rootsProblem(next);
      if (problem) throw new McpError(LocalErrorCode.Validation, `cannot set roots: ${problem}`);
      roots = next.map((r) => ({ ...r }));
      // 2025-11-25 client/roots: tell an initialized server; before that it will ask anyway.
      if ((serverCapabilities || rejoined) && !peer.closed && capabilities.roots.listChanged) await client.rootsChanged();
    },
    async rootsChanged() {
      if (!hasCapability(capabilities, ['roots', 'listChanged'])) {
        throw new McpError(LocalErrorCode.Capability, 'this client did not declare roots.listChanged');
      }
      await peer.notify('notifications/roots/list_changed', undefined);
    },
    waitForElicitation: (id, opts) => tracker.wait(id, opts),
    close(closeOptions) {
      if (closeOptions?.terminate === false) (peer.transport as { keepSessionOnClose?: () => void } | undefined)?.keepSessionOnClose?.();
      return peer.close();
    },
    get sessionId() { return (peer.transport as { sessionId?: string } | undefined)?.sessionId; },
  };
  return client;
}

/** The declared capabilities (2025-11-25 shape): explicit ones, plus those the options imply. */
function declaredCapabilities(options: ClientOptions): ClientCapabilities {
  const caps: ClientCapabilities = { ...options.capabilities };
  if (options.onElicit && !caps.elicitation) {
    const modes = options.elicitation?.modes ?? ['form'];
    const elicitation: NonNullable<ClientCapabilities['elicitation']> = {};
    if (modes.includes('form')) elicitation.form = options.elicitation?.applyDefaults ? { applyDefaults: true } : {};
    if (modes.includes('url')) elicitation.url = {};
    caps.elicitation = elicitation;
  }
  if (options.onSample && !caps.sampling) {
    caps.sampling = {};
    if (options.sampling?.tools) caps.sampling.tools = {};
    if (options.sampling?.context) caps.sampling.context = {};
  }
  if ((options.onRoots || options.roots) && !caps.roots) caps.roots = { listChanged: true };
  return caps;
}
