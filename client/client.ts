/**
 * `createClient(info, options)`: one client for both protocol eras. `connect(transport)`
 * finds the era (modern-connect.ts, era.ts) and either performs the 2025-11-25 handshake
 * (basic/lifecycle) or speaks 2026-07-28 statelessly; the helpers are the same calls in both
 * (features.ts, modern-features.ts); the application answers the server's questions through
 * `onElicit`, `onSample`, `onRoots` (inbound.ts), as requests in the legacy era and as input
 * rounds in the modern one (modern-mrtr.ts); `listen()` watches changes (modern-listen.ts).
 */
import {
  createPeer, ErrorCode, HttpError,
  isSupportedVersion, LATEST_PROTOCOL_VERSION, LocalErrorCode, McpError, versionAtLeast,
  type ClientCapabilities, type ClientSide, type Implementation, type Root, type RpcErrorObject, type ServerCapabilities,
} from '../protocol/index.ts';
import { allowsBatches } from '../protocol/versions.ts';
import { positiveIntegerOption } from '../protocol/limits.ts';
import { capabilityName, clientSupportsElicitationMode, hasCapability, methodSince, serverCapabilityFor } from '../protocol/capabilities.ts';
import { createFeatureHelpers } from './features.ts';
import { installInbound, rootsProblem } from './inbound.ts';
import type { CallToolOptions, ClientOptions, McpClient } from './types.ts';
import type { CallbackError } from './callback-error.ts';
import type { ListenFilter, Listening } from './modern-listen.ts';
import { createElicitationTracker } from './url-elicitation.ts';
import { eraCacheKey, modernErrorOf, sharedEraCache } from './era.ts';
import { declaredCapabilities, eraChoice, ERA_CHOICES } from './declared.ts';
import { connectEra, isRefusal, type EraState } from './modern-connect.ts';
import { createModernHelpers } from './modern-features.ts';
import { runInputRounds } from './modern-mrtr.ts';
import { createListenRegistry } from './modern-listen.ts';
import { modernCapabilities, MODERN_VERSIONS } from './modern-envelope.ts';
import { createResultChecker } from './tool-results.ts';
import { checkedToolResult } from './tool-result-shape.ts';

export type {
  CallOptions, CallToolOptions, ClientOptions, ElicitationOptions, InboundContext, ListKind, McpClient, NotificationContext, RejoinState,
} from './types.ts';
import { createTaskChanges } from './task-changes.ts';
import type { TaskClient } from './tasks.ts';
import type { Pinger } from './ping.ts';
import { loadOnce } from '../protocol/load-once.ts';
import { checkImplementation, checkTransport } from '../protocol/wrong-arguments.ts';

/** client/tasks.ts and client/ping.ts, loaded once per process by the first client that runs a task or is given `ping`. */
const tasksCode = loadOnce(() => import('./tasks.ts'));
const pingCode = loadOnce(() => import('./ping.ts'));

/** What ends a task call's input rounds besides `complete` (SEP-2663: `resultType` "task"). */
const TASK_RESULT: ReadonlySet<string> = new Set(['task']);

/**
 * An MCP client named `info` (sent as `clientInfo`), answering the server's questions with the
 * callbacks in `options` (`onElicit`, `onSample`, `onRoots` or `roots`, ...). `connect(transport)`
 * picks the era (`era`, default `legacy`: see README "One client, both eras"); the helpers
 * (`listTools`, `callTool`, ...) are the same calls in both. Its count options are checked here:
 * a RangeError naming the option and the value.
 */
export function createClient(info: Implementation, options: ClientOptions = {}): McpClient {
  checkImplementation('createClient', info);
  const capabilities = declaredCapabilities(options);
  const tracker = createElicitationTracker(1_000, options.timers);
  let protocolVersion: string | undefined;
  let serverCapabilities: ServerCapabilities | undefined;
  let serverInfo: Implementation | undefined;
  let instructions: string | undefined;
  let rejoined = false;
  let roots: Root[] = [...(options.roots ?? [])];
  const report = (error: Error) => options.onError?.(error);
  /** Undefined until connected; 'modern' once server/discover (or a modern error) said so. */
  let era: 'legacy' | 'modern' | undefined;
  /** What checkOutbound let through last, and against what (a session's capabilities, version and era). */
  let passed: { method: string | undefined; caps: object | undefined; version: string | undefined; era: typeof era } = { method: undefined, caps: undefined, version: undefined, era: undefined };
  let modernVersion = MODERN_VERSIONS[0]!;
  const modernCaps = modernCapabilities(capabilities);
  const pinnedModern = eraChoice(options) === 'modern';
  let pinger: Pinger | undefined; // `stop()` says why pings closed the session, if they did
  /** 2025-11-25 basic/utilities/ping (client/ping.ts) of a legacy session; 2026-07-28 has no session to watch. */
  const startPinging = async () => { if (options.ping) pinger ??= (await pingCode.load()).pingServer(peer, options, (e) => retryOnExpiry(e, async () => {})); };

  const peer = createPeer<ClientSide>({
    ...(options.firstRequestId !== undefined ? { firstRequestId: options.firstRequestId } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    // A fault that names no request is reported, never answered (protocol/peer-types.ts).
    replyToUnreadable: false,
    onClose(error) {
      error ??= pinger?.stop();
      tracker.closeAll(new McpError(LocalErrorCode.Closed, 'the session closed while waiting for an elicitation to complete', { cause: error }));
      options.onClose?.(error);
    },
    allowBatch: () => allowsBatches(protocolVersion),
    // 2026-07-28 basic/transports/stdio: "The server MUST NOT write JSON-RPC requests to stdout"
    // and the client "MUST NOT write JSON-RPC responses" (streamable-http says both of its
    // streams and POSTs): such a request is reported, never handled or answered. A client
    // pinned to 2026-07-28 knows it before server/discover is answered.
    unansweredRequests: () => ((era ?? (pinnedModern ? 'modern' : undefined)) === 'modern'
      ? `in ${modernVersion} a server sends no requests (its questions come in an InputRequiredResult) and the client writes no responses (basic/transports)`
      : undefined),
    // 2026-07-28 basic/patterns/cancellation: a server ends a listen with notifications/cancelled naming it.
    cancelledByPeer: (id, reason) => (era === 'modern' && listens.owns(id)
      ? new McpError(LocalErrorCode.Closed, `the server ended the subscriptions/listen stream${typeof reason === 'string' ? ` (${reason})` : ''}`)
      : undefined),
    checkOutbound(method) {
      // The method let through last time, against the same session: a call repeats the
      // checks below (two keyed loads of method tables, ~540 instructions a call, bench h).
      if (method === passed.method && serverCapabilities === passed.caps && protocolVersion === passed.version && era === passed.era) return;
      if (method === 'initialize' || method === 'ping' || method === 'server/discover' || method.startsWith('notifications/')) return;
      if (!serverCapabilities) {
        if (rejoined) return; // capabilities unknown after a rejoin: let the server decide
        throw new McpError(LocalErrorCode.State, `cannot send ${method} before initialize completed`);
      }
      const since = methodSince(method);
      if (since && protocolVersion && !versionAtLeast(protocolVersion, since)) {
        throw new McpError(LocalErrorCode.Capability, `${method} is not part of protocol ${protocolVersion}`);
      }
      const path = serverCapabilityFor(method);
      // SEP-2663: 2026 tasks/* are the extension's, negotiated per request (client/tasks.ts), not a tasks capability.
      if (path && !(era === 'modern' && method.startsWith('tasks/')) && !hasCapability(serverCapabilities, path)) {
        throw new McpError(LocalErrorCode.Capability, `the server did not declare the ${capabilityName(path)} capability needed for ${method}`);
      }
      passed = { method, caps: serverCapabilities, version: protocolVersion, era };
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

  const inboundOptions: ClientOptions = {
    ...options,
    onListChanged(kind) {
      modern.forget(kind);
      options.onListChanged?.(kind);
    },
  };
  const listens = createListenRegistry({
    peer, report,
    envelope: () => ({ version: modernVersion, capabilities: modernCaps, clientInfo: info }),
    onListChanged: (kind) => options.onListChanged?.(kind),
    onResourceUpdated: (uri) => options.onResourceUpdated?.(uri),
    forget: (kind) => modern.forget(kind),
  });
  const route = (method: string, params: Record<string, unknown> | undefined) => {
    const kind = /^notifications\/(tools|prompts|resources)\/list_changed$/.exec(method)?.[1] as 'tools' | 'prompts' | 'resources' | undefined;
    if (kind) modern.forget(kind);
    return listens.route(method, params);
  };
  const taskChanges = createTaskChanges();
  const failures: CallbackError[] = [];
  const answerers = installInbound({ peer, options: inboundOptions, capabilities, tracker, roots: () => roots, server: () => serverInfo, report, protocolVersion: () => protocolVersion, route, taskStatus: taskChanges.changed, failures });
  const maxInputRounds = positiveIntegerOption('maxInputRounds', options.maxInputRounds, 10, 0); // 0: no round is answered (a bare client)
  const maxInputRequests = positiveIntegerOption('maxInputRequests', options.maxInputRequests, 64);
  const maxPages = positiveIntegerOption('maxPages', options.maxPages, 1_000);
  // Applied by tool-schema-compile.ts, loaded later: checked here.
  // discoverTimeoutMs: a negative or a string one made every `auto` connect decide legacy at once.
  for (const name of ['maxSchemaDepth', 'maxSchemaNodes', 'discoverTimeoutMs'] as const) positiveIntegerOption(name, options[name], 1);
  if (options.era !== undefined && !ERA_CHOICES.includes(options.era)) {
    throw new RangeError(`era must be one of ${ERA_CHOICES.map((e) => `'${e}'`).join(', ')}, got ${JSON.stringify(options.era)}`);
  }
  const results = createResultChecker(options.validateStructuredContent !== false, options);
  const modern = createModernHelpers({
    peer, clientInfo: info, capabilities: modernCaps, answerers, report, results,
    server: () => serverInfo,
    version: () => modernVersion,
    setVersion(version) { modernVersion = version; },
    maxPages,
    maxInputRounds,
    maxInputRequests,
    now: () => (options.timers ? options.timers.now() : performance.now()), // a list's ttlMs: a wall-clock step moves no expiry
    setParamHeaders: (tool, headers) => (peer.transport as { setParamHeaders?: (t: string, h: typeof headers) => void } | undefined)?.setParamHeaders?.(tool, headers),
    credentialsEpoch: () => (peer.transport as { credentialsEpoch?: number } | undefined)?.credentialsEpoch ?? 0,
  });

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
    await startPinging();
  }

  /**
   * `fn` failed with `error`: when the server answered 404 for our session (it expired or
   * restarted without it), initialize a new session, renew subscriptions and run `fn` once
   * more (2025-11-25 basic/transports: the client MUST start a new session on 404); any
   * other failure is rethrown. 404s while a renewal runs wait for it and start none; a 404
   * to a session already replaced (the request was sent before the renewal ended) starts none
   * either: one new session per lost one.
   */
  async function retryOnExpiry<T>(error: unknown, fn: () => Promise<T>): Promise<T> {
    if (!(error instanceof HttpError) || error.status !== 404 || options.reinitializeOnExpiry === false || peer.closed) throw error;
    const current = (peer.transport as { sessionId?: string } | undefined)?.sessionId;
    if (error.sessionId !== undefined && current !== undefined && error.sessionId !== current) {
      await renewal;
      return fn();
    }
    // 404s at once (a ping's and a call's) share one new session.
    await (renewal ??= handshake({}).then(() => {
      options.onReinitialized?.(error);
      return renewSubscriptions();
    }).finally(() => { renewal = undefined; }));
    return fn();
  }
  let renewal: Promise<void> | undefined;

  const { renewSubscriptions, ...features } = createFeatureHelpers({
    peer, tracker, retryOnExpiry, report, failures,
    results,
    maxPages,
    serverCapabilities: () => serverCapabilities,
  });

  /**
   * `client.tasks`, made on first use with its code (client/tasks.ts) loaded by import(): a client
   * that runs no task never loads it (issue #20 item 3: the stdio-only client's footprint).
   */
  let taskClient: Promise<TaskClient> | undefined;
  const loadTasks = (): Promise<TaskClient> => (taskClient ??= tasksCode.load().then((m) => m.createTaskClient({
    // 2026: the envelope goes on here, as for every modern request (tasks.ts taskEnvelope).
    request: (method, params, opts = {}) => peer.request(method as never, (era === 'modern' ? m.taskEnvelope(params, { version: modernVersion, capabilities: modernCaps, clientInfo: info }) : params) as never, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) }) as never,
    protocolVersion: () => protocolVersion,
    serverCapabilities: () => serverCapabilities,
    tool: async (name) => (await (era === 'modern' ? modern : features).listTools()).find((t) => t.name === name),
    resume: options.taskMemory,
    nextChange: taskChanges.next,
    watch: (taskId, changed) => era === 'modern' ? listens.watchTask(taskId, changed) : () => {},
    followProgress: (token, callback) => peer.followProgress(token, callback),
    answer: m.taskAnswerer(answerers, () => serverInfo), // issue #14: 2026 task questions get the plain call's callbacks
    inputRounds: (send, signal) => runInputRounds(send, {
      answerers, maxRounds: maxInputRounds, maxRequests: maxInputRequests, server: () => serverInfo, signal, method: 'tools/call', also: TASK_RESULT,
    }),
  }), (error: unknown) => {
    taskClient = undefined; // a failed load is tried again by the next call
    throw error;
  }));
  const tasks: TaskClient = {
    callTool: (...a) => loadTasks().then((t) => t.callTool(...a)),
    start: (...a) => loadTasks().then((t) => t.start(...a)),
    get: (...a) => loadTasks().then((t) => t.get(...a)),
    list: (...a) => loadTasks().then((t) => t.list(...a)),
    update: (...a) => loadTasks().then((t) => t.update(...a)),
    cancel: (...a) => loadTasks().then((t) => t.cancel(...a)),
    wait: (...a) => loadTasks().then((t) => t.wait(...a)),
    remembered: () => loadTasks().then((t) => t.remembered()),
  };

  /** Each helper goes to the era's implementation. */
  const helpers = {} as typeof features;
  for (const key of Object.keys(features) as Array<keyof typeof features>) {
    if (key === 'subscriptions') continue;
    (helpers as Record<string, unknown>)[key] = (...args: unknown[]) =>
      ((era === 'modern' ? modern : features)[key] as (...a: unknown[]) => unknown)(...args);
  }

  /** The legacy era's listen: resource subscriptions on the session; list changes come on it anyway. */
  function listenLegacy(filter: ListenFilter): Listening {
    const uris = filter.resourceSubscriptions ?? [];
    const acknowledged = Promise.all(uris.map((uri) => features.subscribeResource(uri))).then(() => ({ ...filter }));
    return {
      acknowledged,
      subscriptionId: undefined,
      async close() {
        await acknowledged.catch(() => undefined);
        await Promise.all(uris.map((uri) => features.unsubscribeResource(uri)));
      },
    };
  }

  const client: McpClient = {
    ...helpers,
    subscriptions: features.subscriptions,
    tasks,
    // issue #15 item 5: `task: true | 'auto'` runs the call as a task (client/tasks.ts).
    // A legacy plain call's result is checked in features.ts's one `then` (one promise fewer a call).
    callTool: ((name: string, args?: Record<string, unknown>, opts?: CallToolOptions) => opts?.task !== undefined && opts.task !== false
      ? tasks.callTool(name, args, opts).then((r) => checkedToolResult(r, era === 'modern', name))
      : era === 'modern' ? modern.callTool(name, args, opts).then((r) => checkedToolResult(r, true, name)) : features.callTool(name, args, opts)) as McpClient['callTool'],
    resumeCall: (requestId, lastEventId, opts) => helpers.resumeCall(requestId, lastEventId, opts)
      .then((r) => checkedToolResult(r, era === 'modern', { resumed: requestId })),
    get era() { return era; },
    peer,
    capabilities,
    get protocolVersion() { return protocolVersion; },
    get serverCapabilities() { return serverCapabilities; },
    get serverInfo() { return serverInfo; },
    get instructions() { return instructions; },

    async connect(transport, connectOptions = {}) {
      checkTransport(transport);
      if (options.ping) (await pingCode.load()).pingSettings(options.ping); // a bad one: refused before anything is sent
      await peer.connect(transport);
      const rejoin = connectOptions.rejoin;
      if (rejoin) {
        // Rejoin a session a previous process initialized: no second handshake.
        protocolVersion = rejoin.protocolVersion;
        rejoined = true;
        serverCapabilities = rejoin.serverCapabilities;
        serverInfo = rejoin.serverInfo;
        transport.setProtocolVersion?.(protocolVersion);
        era = 'legacy';
        return startPinging();
      }
      let choice = eraChoice(options);
      if (choice === 'legacy-first') {
        try {
          await handshake(connectOptions);
          era = 'legacy';
          return;
        } catch (error) {
          // 2026-07-28 basic/versioning: a modern-only server refuses initialize with a modern error.
          if (!modernErrorOf(error) || peer.closed) throw error;
          choice = 'modern';
        }
      }
      const cache = options.eraCache === false ? undefined : options.eraCache ?? sharedEraCache;
      const eraInput = {
        choice, modern, peer, cache, key: eraCacheKey(transport),
        discoverTimeoutMs: options.discoverTimeoutMs ?? 5_000, connectOptions,
        setVersion(version: string) { modernVersion = version; },
      };
      // "legacy" from the cache, not from a probe of this server: it may have changed since.
      const cachedLegacy = choice === 'auto' && cache?.get(eraInput.key)?.era === 'legacy';
      let outcome: EraState | 'legacy' = await connectEra(eraInput);
      if (outcome === 'legacy') {
        try {
          await handshake(connectOptions);
          era = 'legacy';
          return;
        } catch (error) {
          // 2026-07-28 basic/versioning: a modern error to initialize is modern evidence. Over a
          // byte stream it is what a probe that timed out here leaves behind when it reached a
          // slow-starting server: its discover locked the connection modern. Probe once more.
          // A cached "legacy" refused in any way is probed once more too (the page's MAY: the
          // server may have become modern-only and answer initialize with a plain -32601).
          const modernSign = modernErrorOf(error) !== undefined;
          if (choice !== 'auto' || peer.closed || !(modernSign || (cachedLegacy && isRefusal(error)))) throw error;
          outcome = await connectEra({ ...eraInput, choice: 'modern' }).catch((probeError: unknown) => {
            throw modernSign ? probeError : error; // still not modern: the initialize failure stands
          });
          if (outcome === 'legacy') throw error;
        }
      }
      era = 'modern';
      protocolVersion = modernVersion;
      serverCapabilities = outcome.capabilities;
      serverInfo = outcome.serverInfo;
      instructions = outcome.instructions;
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
    listen(filter, handlers, listenOptions) {
      const listening = era === 'modern' ? listens.listen(filter, handlers, listenOptions) : listenLegacy(filter);
      const signal = listenOptions?.signal;
      // Aborting the signal ends the listen as close() does.
      if (signal?.aborted) void listening.close();
      else signal?.addEventListener('abort', () => void listening.close(), { once: true });
      return Object.assign(listening, { [Symbol.asyncDispose]: () => listening.close() });
    },
    waitForElicitation: (id, opts) => tracker.wait(id, opts),
    close(closeOptions) {
      const keep = closeOptions?.terminate === false;
      if (keep) (peer.transport as { keepSessionOnClose?: () => void } | undefined)?.keepSessionOnClose?.();
      return peer.close({ cancelPending: !keep, reason: 'client closed' });
    },
    [Symbol.asyncDispose]: () => client.close(),
    get sessionId() { return (peer.transport as { sessionId?: string } | undefined)?.sessionId; },
  };
  return client;
}
