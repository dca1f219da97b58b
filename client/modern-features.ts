/**
 * The client's helpers in the 2026-07-28 era: the same methods as the legacy helpers
 * (features.ts), each request carrying the envelope (modern-envelope.ts). `callTool`,
 * `getPrompt` and `readResource` run the multi round-trip loop (modern-mrtr.ts). A -32022
 * naming a version both sides speak is retried once with it; a -32020 on `tools/call` re-lists
 * the tools (their `Mcp-Param-*` headers) and retries once; a request whose stream broke is
 * issued again with a new id when that is safe (a read, a read-only tool, a multi round-trip
 * retry), and reported otherwise. List results are reused within their `ttlMs`.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type CallToolResult, type ClientSide, type Implementation, type LoggingLevel, type Peer, type RequestId, type RequestOptions, type Tool,
} from '../protocol/index.ts';
import type { ParamHeader } from '../transport/http/client-modern-headers.ts';
import { commonModernVersion, readDiscovered, type Discovered } from './era.ts';
import type { FeatureHelpers } from './features.ts';
import type { InputAnswerers } from './inbound.ts';
import { withEnvelope } from './modern-envelope.ts';
import { withCallerMeta } from './caller-meta.ts';
import { runInputRounds } from './modern-mrtr.ts';
import { headerMarksOf } from './modern-tools.ts';
import type { ResultChecker } from './tool-results.ts';
import type { CallOptions, CallToolOptions, ListKind } from './types.ts';

/** What the modern helpers need from the client core. */
export interface ModernDeps {
  peer: Peer<ClientSide>;
  clientInfo: Implementation;
  /** The capabilities declared on every request (2026-07-28 shape). */
  capabilities: Record<string, unknown>;
  answerers: InputAnswerers;
  server(): Implementation | undefined;
  /** The version spoken; changed by a -32022 retry. */
  version(): string;
  setVersion(version: string): void;
  maxPages: number;
  maxInputRounds: number;
  maxInputRequests: number;
  report(error: Error): void;
  now(): number;
  /** Tell the transport which tool arguments go into `Mcp-Param-*` headers (HTTP only). */
  setParamHeaders?: ((tool: string, headers: readonly ParamHeader[] | undefined) => void) | undefined;
  /** Changes when the transport's credentials change (HTTP with `auth`); a private cache keys on it. */
  credentialsEpoch?: (() => number) | undefined;
  /** The output schema checks, shared with the legacy helpers. */
  results?: ResultChecker | undefined;
}

/** The modern helpers, and what the core needs to keep them current. */
export interface ModernHelpers extends Omit<FeatureHelpers, 'renewSubscriptions' | 'subscriptions'> {
  /** `server/discover`, with the envelope. */
  discover(options?: CallOptions): Promise<Discovered>;
  /** A list changed: its cached result is stale. */
  forget(kind: ListKind): void;
}

type Raw = (method: string, params: unknown, options?: RequestOptions) => Promise<unknown>;

const LIST_KIND: Readonly<Record<string, ListKind>> = { 'tools/list': 'tools', 'prompts/list': 'prompts', 'resources/list': 'resources', 'resources/templates/list': 'resources' };

function requestOptions(opts: CallOptions & Partial<CallToolOptions>): RequestOptions {
  const out: RequestOptions = {};
  if (opts.signal) out.signal = opts.signal;
  if (opts.timeoutMs !== undefined) out.timeoutMs = opts.timeoutMs;
  if (opts.onProgress) out.onProgress = opts.onProgress;
  if (opts.maxTotalTimeoutMs !== undefined) out.maxTotalTimeoutMs = opts.maxTotalTimeoutMs;
  if (opts.onRequestId) out.onRequestId = opts.onRequestId;
  return out;
}

/** The methods whose result may be an InputRequiredResult (basic/patterns/mrtr); modern-mrtr.ts reads those. */
const INPUT_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/**
 * 2026-07-28 basic/index: a `resultType` the client does not recognize MUST be considered
 * invalid (absent means complete). Outside the multi round-trip methods only `complete` is.
 */
function checkResultType(method: string, result: Record<string, unknown>): Record<string, unknown> {
  const type = result.resultType;
  if (type === undefined || type === 'complete' || INPUT_METHODS.has(method)) return result;
  throw new McpError(LocalErrorCode.Protocol, `the server answered ${method} with resultType ${JSON.stringify(type)}, which this client does not accept there`);
}

/** 2026-07-28 basic/index: the `_meta` key every result of this era carries, naming the server. */
const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

/**
 * A completed result in the shape the 2025 era gives the caller: without `resultType` (the
 * era's round-trip marker, always `complete` here) and without `_meta`'s per-result server
 * identity (`client.serverInfo` holds it); every other `_meta` key the server set is kept, and
 * `_meta` is left out when nothing else was in it. One shape per helper in both eras.
 */
function eraNeutral<T>(result: Record<string, unknown>): T {
  const { resultType: _type, _meta, ...rest } = result;
  if (_meta) {
    const { [SERVER_INFO]: _server, ...kept } = _meta as Record<string, unknown>;
    for (const _ in kept) return { ...rest, _meta: kept } as T;
  }
  return rest as T;
}

const notInEra = (what: string, instead: string) => new McpError(LocalErrorCode.Capability, `${what} does not exist in protocol 2026-07-28; ${instead}`);
/** The 2025-11-25 core tasks methods, which 2026-07-28 replaced with an extension. */
const notInTasks = (what: string) => notInEra(what, 'tasks are the io.modelcontextprotocol/tasks extension');

/** Create the helpers of the 2026-07-28 era. */
export function createModernHelpers(deps: ModernDeps): ModernHelpers {
  const raw = deps.peer.request.bind(deps.peer) as unknown as Raw;
  let logLevel: LoggingLevel | undefined;
  const readOnlyTools = new Set<string>();
  /** Cached lists; `epoch` is the credentials' when the list is private (undefined: public). */
  const lists = new Map<string, { items: unknown[]; until: number; epoch: number | undefined }>();

  /** One request with the envelope; a -32022 naming a version we speak is retried once with it. */
  async function send(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions): Promise<Record<string, unknown>> {
    const once = async () => checkResultType(method, await raw(method, withEnvelope(params, {
      version: deps.version(), capabilities: deps.capabilities, clientInfo: deps.clientInfo, logLevel,
    }), opts) as Record<string, unknown>);
    try {
      return await once();
    } catch (error) {
      // 2026-07-28 basic/versioning: retry with a mutually supported version.
      const supported = error instanceof RpcError && error.code === ErrorCode.UnsupportedProtocolVersion
        ? commonModernVersion((error.data as { supported?: unknown } | undefined)?.supported) : undefined;
      if (!supported) throw error;
      deps.setVersion(supported);
      return once();
    }
  }

  /** `send`, issued again once with a new id when its stream broke and repeating it is safe. */
  async function sendSafely(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions, safe: boolean): Promise<Record<string, unknown>> {
    try {
      return await send(method, params, opts);
    } catch (error) {
      if (!(error instanceof McpError && error.code === LocalErrorCode.StreamLost)) throw error;
      // 2026-07-28 changelog (SEP-2575): a lost request MUST be re-issued with a new id; only when safe.
      if (!safe) throw new McpError(LocalErrorCode.StreamLost, `${error.message}; ${method} was not issued again because repeating it may not be safe`, { cause: error });
      return send(method, params, opts);
    }
  }

  async function listAll<T>(method: string, key: string, opts: CallOptions & { refresh?: boolean } = {}): Promise<T[]> {
    const cached = lists.get(method);
    // 2026-07-28 CacheableResult: reuse the list within its ttlMs; a private one (the default
    // when unsure) only under the credentials it was fetched with.
    const fresh = cached && cached.until > deps.now() && (cached.epoch === undefined || cached.epoch === deps.credentialsEpoch?.());
    if (cached && fresh && !opts.refresh) return [...cached.items] as T[];
    const all: T[] = [];
    let cursor: string | undefined;
    // 2026-07-28 server/utilities/caching: each page is fresh for its own ttlMs from its receipt (absent, 0 or
    // negative: stale at once); the list is fresh until its first page goes stale.
    let until = Infinity;
    let isPublic = false;
    for (let page = 0; page < deps.maxPages; page++) {
      const result = await sendSafely(method, cursor === undefined ? undefined : { cursor }, requestOptions(opts), true);
      const items = result[key];
      if (!Array.isArray(items)) throw new McpError(LocalErrorCode.Protocol, `the server answered ${method} without a "${key}" array`);
      until = Math.min(until, typeof result.ttlMs === 'number' && result.ttlMs > 0 ? deps.now() + result.ttlMs : 0);
      if (page === 0) isPublic = result.cacheScope === 'public';
      all.push(...(items as T[]));
      // server/utilities/pagination: only a non-null cursor continues ("" does).
      if (result.nextCursor == null) {
        if (until > 0) lists.set(method, { items: [...all], until, epoch: isPublic ? undefined : deps.credentialsEpoch?.() });
        else lists.delete(method);
        return all;
      }
      if (typeof result.nextCursor !== 'string') throw new McpError(LocalErrorCode.Protocol, `the server answered ${method} with a nextCursor that is not a string`);
      cursor = result.nextCursor;
    }
    throw new McpError(LocalErrorCode.Protocol, `${method} did not end after ${deps.maxPages} pages`);
  }

  /** Keep the tools whose `x-mcp-header` marks are valid; tell the transport their headers. */
  function admitTools(tools: Tool[]): Tool[] {
    const kept: Tool[] = [];
    readOnlyTools.clear();
    for (const tool of tools) {
      const marks = headerMarksOf(tool);
      if ('problem' in marks) {
        // 2026-07-28 basic/transports/streamable-http: clients MUST drop tools with invalid x-mcp-header marks.
        deps.report(new McpError(LocalErrorCode.Validation, `dropped tool ${JSON.stringify(tool.name)}: ${marks.problem}`));
        deps.setParamHeaders?.(tool.name, undefined);
        continue;
      }
      deps.setParamHeaders?.(tool.name, marks.headers);
      if (tool.annotations?.readOnlyHint === true) readOnlyTools.add(tool.name);
      kept.push(tool);
    }
    return kept;
  }

  const listTools = async (opts: CallOptions & { refresh?: boolean } = {}) => {
    const tools = admitTools(await listAll<Tool>('tools/list', 'tools', opts));
    deps.results?.remember(tools);
    return tools;
  };

  /** `method` with the multi round-trip loop; `safe` says whether a broken first round may be repeated. */
  function withInput(method: string, params: Record<string, unknown>, opts: CallOptions & Partial<CallToolOptions>, safe: boolean) {
    // The id each round goes out with (a re-issue after a lost stream gets a new one too).
    let roundId: RequestId | undefined;
    const options = requestOptions({ ...opts, onRequestId: (id) => { roundId = id; opts.onRequestId?.(id); } });
    return runInputRounds((extra, retry) => sendSafely(method, { ...params, ...extra }, options, safe || retry), {
      answerers: deps.answerers, maxRounds: deps.maxInputRounds, maxRequests: deps.maxInputRequests, server: deps.server, signal: opts.signal, method,
      roundId: () => roundId,
    });
  }

  async function callTool(name: string, args: Record<string, unknown> | undefined, opts: CallToolOptions = {}): Promise<CallToolResult> {
    const params = withCallerMeta(args === undefined ? { name } : { name, arguments: args }, opts.meta, name);
    let result: CallToolResult;
    try {
      result = eraNeutral(await withInput('tools/call', params, opts, readOnlyTools.has(name)));
    } catch (error) {
      if (!(error instanceof RpcError && error.code === ErrorCode.HeaderMismatch)) throw error;
      // 2026-07-28 basic/transports/streamable-http: on -32020 re-list the tools (their headers) and retry once.
      await listTools({ ...(opts.signal ? { signal: opts.signal } : {}), refresh: true });
      result = eraNeutral(await withInput('tools/call', params, opts, readOnlyTools.has(name)));
    }
    // 2026-07-28 server/tools, output schema: clients SHOULD validate structured results against it.
    const results = deps.results;
    return results && (opts.outputSchema || results.has(name)) ? await results.check(name, result, opts.outputSchema) : result;
  }

  return {
    async discover(opts = {}) {
      const result = await sendSafely('server/discover', undefined, requestOptions(opts), true);
      const discovered = readDiscovered(result);
      if (!discovered) throw new McpError(LocalErrorCode.Protocol, 'the server answered server/discover without supportedVersions');
      return discovered;
    },
    forget(kind) {
      for (const [method, k] of Object.entries(LIST_KIND)) if (k === kind) lists.delete(method);
    },
    listTools,
    callTool: callTool as ModernHelpers['callTool'],
    async resumeCall() {
      throw new McpError(LocalErrorCode.State, 'protocol 2026-07-28 has no resumable streams: a lost call is issued again instead');
    },
    listResources: (opts) => listAll('resources/list', 'resources', opts),
    listResourceTemplates: (opts) => listAll('resources/templates/list', 'resourceTemplates', opts),
    readResource: async (uri, opts = {}) => eraNeutral(await withInput('resources/read', { uri }, opts, true)),
    async subscribeResource() {
      throw notInEra('resources/subscribe', 'use client.listen({ resourceSubscriptions: [...] })');
    },
    async unsubscribeResource() {
      throw notInEra('resources/unsubscribe', 'end the listen() that carries the subscription');
    },
    listPrompts: (opts) => listAll('prompts/list', 'prompts', opts),
    getPrompt: async (name, args, opts = {}) => eraNeutral(await withInput('prompts/get', args === undefined ? { name } : { name, arguments: args }, opts, true)),
    async complete(ref, argument, opts = {}) {
      const params = opts.context === undefined ? { ref, argument } : { ref, argument, context: opts.context };
      const result = await sendSafely('completion/complete', params, requestOptions(opts), true);
      return result.completion as never;
    },
    async setLoggingLevel(level) {
      // 2026-07-28 server/utilities/logging: each request names the level it wants logs at.
      logLevel = level;
    },
    async ping(opts = {}) {
      // 2026-07-28 has no ping: a discover shows the server answers.
      await sendSafely('server/discover', undefined, requestOptions(opts), true);
    },
    getTask: async () => { throw notInTasks('tasks/get (core tasks)'); },
    getTaskResult: async () => { throw notInTasks('tasks/result'); },
    listTasks: async () => { throw notInTasks('tasks/list'); },
    cancelTask: async () => { throw notInTasks('tasks/cancel (core tasks)'); },
    // 2026-07-28 basic/index, statelessness: every request carries the envelope, a caller's raw one too.
    // Not issued again after a lost stream: whether repeating it is safe is the caller's to know.
    request: async <R>(method: string, params?: Record<string, unknown>, opts: CallOptions & Partial<CallToolOptions> = {}) =>
      await sendSafely(method, params, requestOptions(opts), false) as R,
  };
}
