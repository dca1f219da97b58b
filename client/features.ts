/**
 * The client's helpers for the server's features, one per request a client sends
 * (2025-11-25 schema: ClientRequest): tools, resources and subscriptions, prompts,
 * completion, logging, tasks. List helpers follow `nextCursor` through every page
 * (2025-11-25 server/utilities/pagination). Every request is retried once on a new session
 * when the server forgot ours, and a -32042 error makes its elicitation ids known so their
 * completion notifications are delivered.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type CallToolResult, type ClientSide, type CreateTaskResult, type RequestOptions, type Peer, type Tool, type Transport,
} from '../protocol/index.ts';
import { hasCapability } from '../protocol/capabilities.ts';
import type { CallOptions, CallToolOptions, McpClient } from './types.ts';
import { urlElicitationsOf, type ElicitationTracker } from './url-elicitation.ts';
import type { ResultChecker } from './tool-results.ts';
import { withCallerMeta } from './caller-meta.ts';
import { checkedToolResult } from './tool-result-shape.ts';
import type { CallbackError } from './callback-error.ts';
import { callbackFailures } from './inbound.ts';

/** What the helpers need from the client core. */
export interface FeatureDeps {
  peer: Peer<ClientSide>;
  maxPages: number;
  /** A request failed with `error`: on an expired session, initialize a new one and run it once more; else rethrow. */
  retryOnExpiry<T>(error: unknown, fn: () => Promise<T>): Promise<T>;
  tracker: ElicitationTracker;
  /** The server's capabilities as negotiated (undefined before initialize). */
  serverCapabilities(): object | undefined;
  report(error: Error): void;
  /** Checks of tool results against output schemas (tool-results.ts). */
  results?: ResultChecker;
  /** The application's callback failures the server was answered with (callback-error.ts). */
  failures?: CallbackError[];
}

/** The methods of {@link McpClient} implemented here. */
export type FeatureHelpers = Pick<McpClient,
  | 'listTools' | 'callTool' | 'resumeCall' | 'listResources' | 'listResourceTemplates' | 'readResource'
  | 'subscribeResource' | 'unsubscribeResource' | 'subscriptions' | 'listPrompts' | 'getPrompt' | 'complete'
  | 'setLoggingLevel' | 'ping' | 'getTask' | 'getTaskResult' | 'listTasks' | 'cancelTask' | 'request'> & {
  /** Subscribe again to every URI after a new session was initialized. */
  renewSubscriptions(): Promise<void>;
};

type PagedMethod = 'tools/list' | 'resources/list' | 'resources/templates/list' | 'prompts/list' | 'tasks/list';

/** A call given no options (the common case) shares this one. */
const NO_CALL_OPTIONS: CallToolOptions = Object.freeze({});

/**
 * The peer's options of a call (only those it takes: a caller's other keys stay here);
 * undefined (no object made) for a call given none. One literal of one shape, its unset
 * options undefined: a loop over the names copied them with keyed loads and stores that
 * were megamorphic and added each key by a map transition (~1,900 instructions a call with
 * two options set, bench h).
 */
function requestOptions(opts: CallOptions & Partial<CallToolOptions>): RequestOptions | undefined {
  if (opts === NO_CALL_OPTIONS) return undefined;
  const { signal, timeoutMs, onProgress, maxTotalTimeoutMs, onResumptionToken, onRequestId } = opts;
  return { signal, timeoutMs, onProgress, maxTotalTimeoutMs, onResumptionToken, onRequestId } as RequestOptions;
}

function asCallResult(result: CallToolResult | CreateTaskResult): CallToolResult {
  if ((result as CreateTaskResult).task !== undefined && !('content' in result)) {
    throw new RpcError(ErrorCode.InternalError, 'server answered with a task, which this call did not ask for');
  }
  return result as CallToolResult;
}

/** Create the helpers over the client core's peer. */
export function createFeatureHelpers(deps: FeatureDeps): FeatureHelpers {
  const { peer, tracker } = deps;
  const subscriptions = new Set<string>();

  /**
   * One request, retried once on a new session when the server forgot ours, learning the
   * elicitation ids of a -32042 error. A request that succeeds costs one `then` here: the
   * recovery runs only on failure (callTool hands both to the peer and costs none).
   */
  function call<T>(fn: () => Promise<T>): Promise<T> {
    let first: Promise<T>;
    try {
      first = fn();
    } catch (error) {
      first = Promise.reject(error);
    }
    return first.then(undefined, (error: unknown) => recover(error, fn));
  }

  async function recover<T>(error: unknown, fn: () => Promise<T>): Promise<T> {
    try {
      return await deps.retryOnExpiry(error, fn);
    } catch (final) {
      // 2025-11-25 client/elicitation: the server will say when these interactions complete.
      for (const e of urlElicitationsOf(final) ?? []) tracker.expect(e.elicitationId);
      // A call the server failed because our own callback did: the caller gets that failure (README: callback failures).
      throw (deps.failures?.length ? (await callbackFailures.load()).claimFailure(deps.failures, final) : undefined) ?? final;
    }
  }

  /** One tools/call: with the check and the recovery (the first time) or bare (a retry, which recover() checks). */
  function sendCall(
    params: { name: string; arguments?: Record<string, unknown> }, opts: CallToolOptions, name: string,
    map?: (r: CallToolResult | CreateTaskResult) => CallToolResult, again?: (error: unknown) => Promise<CallToolResult>,
  ): Promise<CallToolResult> {
    return peer.request('tools/call', withCallerMeta(params, opts.meta, name), requestOptions(opts), map, again);
  }

  async function listAll<T>(method: PagedMethod, key: string, opts: CallOptions = {}): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < deps.maxPages; page++) {
      const params = cursor === undefined ? undefined : { cursor };
      const result = await call(() => peer.request(method as 'tools/list', params, requestOptions(opts))) as unknown as Record<string, unknown>;
      const items = result[key];
      if (!Array.isArray(items)) throw new McpError(LocalErrorCode.Protocol, `the server answered ${method} without a "${key}" array`);
      all.push(...(items as T[]));
      // 2026-07-28 server/utilities/pagination: only a non-null cursor continues ("" does).
      if (result.nextCursor == null) return all;
      if (typeof result.nextCursor !== 'string') throw new McpError(LocalErrorCode.Protocol, `the server answered ${method} with a nextCursor that is not a string`);
      cursor = result.nextCursor;
    }
    throw new McpError(LocalErrorCode.Protocol, `${method} did not end after ${deps.maxPages} pages`);
  }

  return {
    listTools: (opts) => listAll<Tool>('tools/list', 'tools', opts).then((tools) => { deps.results?.remember(tools); return tools; }),

    callTool: ((name: string, args?: Record<string, unknown>, opts: CallToolOptions = NO_CALL_OPTIONS): Promise<CallToolResult> => {
      const params = args === undefined ? { name } : { name, arguments: args };
      const check = (r: CallToolResult | CreateTaskResult) => checkedToolResult(asCallResult(r), false, name);
      // The retry's sender is made only when a retry runs: two closures a call, not three (bench h).
      const retried = (error: unknown) => recover(error, () => sendCall(params, opts, name)).then(check);
      let result: Promise<CallToolResult>;
      try {
        // The shape check and the recovery ride on the peer's own promise: one promise and one
        // reaction job a call fewer than call()'s `then` (session 34, callc1).
        result = sendCall(params, opts, name, check, retried);
      } catch (error) {
        result = retried(error); // a refused `meta`, before anything is sent
      }
      const results = deps.results;
      if (!results || (!opts.outputSchema && !results.has(name))) return result;
      return result.then((r) => results.check(name, r, opts.outputSchema));
    }) as McpClient['callTool'],

    async resumeCall(requestId, lastEventId, opts = {}) {
      const transport = peer.transport as (Transport & { resume?: (id: string, o: object) => Promise<void> }) | undefined;
      if (!transport?.resume) throw new McpError(LocalErrorCode.State, 'this transport cannot resume a stream (use the HTTP client transport)');
      const pending = peer.expectResponse('tools/call', requestId, {
        ...requestOptions(opts),
        ...(opts.progressToken !== undefined ? { progressToken: opts.progressToken } : {}),
      });
      try {
        await transport.resume(lastEventId, { requestIds: [requestId], ...(opts.onResumptionToken ? { onResumptionToken: opts.onResumptionToken } : {}) });
      } catch (error) {
        pending.catch(() => {}); // settled by failRequest below; the caller gets `error`
        peer.failRequest(requestId, error as Error);
        throw error;
      }
      return asCallResult(await pending);
    },

    listResources: (opts) => listAll('resources/list', 'resources', opts),
    listResourceTemplates: (opts) => listAll('resources/templates/list', 'resourceTemplates', opts),
    readResource: (uri, opts = {}) => call(() => peer.request('resources/read', { uri }, requestOptions(opts))),

    async subscribeResource(uri, opts = {}) {
      await call(() => peer.request('resources/subscribe', { uri }, requestOptions(opts)));
      subscriptions.add(uri);
    },
    async unsubscribeResource(uri, opts = {}) {
      await call(() => peer.request('resources/unsubscribe', { uri }, requestOptions(opts)));
      subscriptions.delete(uri);
    },
    subscriptions,

    async renewSubscriptions() {
      if (subscriptions.size === 0) return;
      if (!hasCapability(deps.serverCapabilities(), ['resources', 'subscribe'])) {
        deps.report(new McpError(LocalErrorCode.Capability, `the new session does not offer resource subscriptions; dropped ${subscriptions.size}`));
        subscriptions.clear();
        return;
      }
      await Promise.all([...subscriptions].map((uri) => peer.request('resources/subscribe', { uri }).catch((error: Error) => {
        subscriptions.delete(uri);
        deps.report(new McpError(LocalErrorCode.State, `could not renew the subscription to ${uri} on the new session`, { cause: error }));
      })));
    },

    listPrompts: (opts) => listAll('prompts/list', 'prompts', opts),
    getPrompt: (name, args, opts = {}) =>
      call(() => peer.request('prompts/get', args === undefined ? { name } : { name, arguments: args }, requestOptions(opts))),

    async complete(ref, argument, opts = {}) {
      const params = opts.context === undefined ? { ref, argument } : { ref, argument, context: opts.context };
      const result = await call(() => peer.request('completion/complete', params, requestOptions(opts)));
      return result.completion;
    },

    async setLoggingLevel(level, opts = {}) {
      await call(() => peer.request('logging/setLevel', { level }, requestOptions(opts)));
    },
    async ping(opts = {}) {
      await peer.request('ping', undefined, requestOptions(opts));
    },

    getTask: (taskId, opts = {}) => call(() => peer.request('tasks/get', { taskId }, requestOptions(opts))),
    getTaskResult: async <R>(taskId: string, opts: CallOptions = {}) => await call(() => peer.request('tasks/result', { taskId }, requestOptions(opts))) as R,
    listTasks: (opts) => listAll('tasks/list', 'tasks', opts),
    cancelTask: (taskId, opts = {}) => call(() => peer.request('tasks/cancel', { taskId }, requestOptions(opts))),
    request: async <R>(method: string, params?: Record<string, unknown>, opts: CallOptions & Partial<CallToolOptions> = {}) =>
      await call(() => peer.request(method as 'ping', params as never, requestOptions(opts))) as R,
  };
}
