/**
 * The stateless dispatcher of the 2026-07-28 era, independent of any transport: one message
 * in, one response out (plus the request's own notifications through a sink). Every request
 * carries its envelope (envelope.ts); results carry `resultType` and the server's info;
 * errors echo the request id. HTTP (transport/http/modern-http.ts) and stdio (stdio.ts) wrap it.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type Implementation, type JsonRpcErrorResponse, type JsonRpcResultResponse, type RequestId, type ServerCapabilities, type Timers, type Tool,
} from '../../protocol/index.ts';
import { toRpcErrorObject, type RpcErrorObject } from '../../protocol/errors.ts';
import { classify, makeErrorResponse, quoteMethod } from '../../protocol/jsonrpc.ts';
import { systemTimers } from '../../protocol/correlation.ts';
import { DEFAULT_MAX_PROGRESS_TOKEN_LENGTH, progressTokenProblem } from '../../protocol/progress.ts';
import type { ServerEventBus } from '../event-bus.ts';
import type { MethodTable } from '../method-table.ts';
import { NO_AUTH, type RequestAuth } from '../request.ts';
import { modernTaskCapabilities } from '../tasks/modern-wire.ts';
import { taskListenTopic } from '../tasks/listen-topic.ts';
import { subjectPrincipal } from '../tasks/principal.ts';
import { claimedVersion, readEnvelope, MODERN_VERSIONS, type Envelope } from './envelope.ts';
import { InputRequired, ResultShape } from './result-answer.ts';
import { cachedHeaderParams } from './param-headers.ts';
import { checkParamHeaders } from './param-header-check.ts';
import { ListenStreams, type ListenOptions } from './listen.ts';
import { InputRounds, INPUT_METHODS, type InputRoundOptions } from './mrtr.ts';
import { ASKED, ModernRequest, type NotificationSink, type Round } from './modern-request.ts';
import { abortedSignal, type CancelSource } from './cancel-source.ts';
import { MissingCapabilityError } from '../capability-error.ts';

/** 2026-07-28 schema `ClientRequest`: the client-to-server requests of this era (no extensions yet). */
const MODERN_METHODS: ReadonlySet<string> = new Set([
  'server/discover', 'subscriptions/listen', 'tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list',
  'resources/templates/list', 'resources/read', 'completion/complete',
  // The tasks extension (server/tasks/modern-tasks.ts), served when the server has tasks.
  'tasks/get', 'tasks/update', 'tasks/cancel',
]);

/** What the dispatcher needs of a server: its method table and declaration. */
export interface ModernServerParts {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  readonly methods: MethodTable;
  capabilities(): ServerCapabilities;
  /** Where list changes and resource updates are published (`subscriptions/listen` hears them). */
  readonly events?: ServerEventBus;
  /** The tool as listed (its `x-mcp-header` properties name the `Mcp-Param-*` headers to check). */
  getTool?(name: string): Tool | undefined;
}

/** Cache hints of cacheable results and of `server/discover`. */
export interface CacheHints {
  /** How long a client may reuse a result. Default 0 (do not reuse). */
  ttlMs?: number;
  /** Who may share a cached result. Default `private` (one authorization context). */
  scope?: 'public' | 'private';
}

/** Options of {@link createModernDispatcher}. */
export interface ModernDispatcherOptions {
  /** Cache hints on list results, `resources/read` and `server/discover`. */
  caching?: CacheHints;
  /** Multi round-trip requests: the requestState key, its TTL, the continuations kept. */
  inputRounds?: InputRoundOptions;
  /** `subscriptions/listen`: stream limits and extra topics (extensions). */
  listen?: ListenOptions;
  /** Versions the other era speaks, listed by `server/discover` when the server serves both. */
  legacyVersions?: readonly string[];
  /**
   * Longest string `_meta.progressToken` taken, in characters; a longer one is refused with
   * -32602 (each progress notification echoes it). Default 1 024 (DEFAULT_MAX_PROGRESS_TOKEN_LENGTH).
   */
  maxProgressTokenLength?: number;
  timers?: Timers;
}

/** One call of {@link ModernDispatcher.handle}. */
export interface ModernCall {
  /**
   * Aborted when the client gives up (closes the HTTP stream, sends `notifications/cancelled`).
   * Read only where used, so it may be a getter that makes the signal on first read.
   */
  signal?: AbortSignal;
  /** Whether `signal` is aborted, when that can be told without making it (a lazy `signal`). */
  aborted?: boolean;
  /** Where the request's notifications go; without one they are dropped. */
  notify?: NotificationSink;
  auth?: RequestAuth;
  /**
   * The request's HTTP headers (lower-case names), when it came over HTTP: `tools/call`
   * checks its `Mcp-Param-*` headers against the arguments (2026-07-28 streamable-http).
   */
  header?: (name: string) => string | null;
  /** The request's size as received (the POST's body or the stdio line, in characters), counted against `maxContinuationBytes` when it suspends. */
  bytes?: number | undefined;
  /**
   * The request's JSON text as received (the POST's body), read once when the call starts.
   * With it, a multi round-trip request's first round makes the text its `requestState` MAC
   * covers only if the handler asks, from what the client sent; without it, on every call.
   */
  text?: string | undefined;
}

/**
 * A response and the HTTP status that goes with it (2026-07-28 basic/transports/streamable-http).
 * A result's answer makes `message` when it is read (a getter: read or destructure it; an object
 * spread of the answer does not copy it).
 */
export interface ModernAnswer {
  readonly message: JsonRpcResultResponse | JsonRpcErrorResponse;
  readonly status: number;
  /**
   * `message` as JSON text, where the dispatcher can make it without the message (a result:
   * result-answer.ts); a transport that writes text reads this instead of serialising `message`.
   */
  json?(): string;
}

/** Serves 2026-07-28 messages statelessly. */
export interface ModernDispatcher {
  /** Answer one message; undefined for a notification (HTTP: 202). */
  handle(message: unknown, call?: ModernCall): Promise<ModernAnswer | undefined>;
  /** Versions `server/discover` lists. */
  readonly supportedVersions: readonly string[];
  /** Drop every suspended handler. */
  close(): void;
}

/** Codes that answer with HTTP 400 (2026-07-28 basic/transports/streamable-http: status codes). */
const BAD_REQUEST: ReadonlySet<number> = new Set([
  ErrorCode.HeaderMismatch, ErrorCode.MissingRequiredClientCapability, ErrorCode.UnsupportedProtocolVersion, ErrorCode.ParseError, ErrorCode.InvalidRequest,
]);

/** Create the 2026-07-28 dispatcher of a server. */
export function createModernDispatcher(server: ModernServerParts, options: ModernDispatcherOptions = {}): ModernDispatcher {
  return new Dispatcher(server, options);
}

class Dispatcher implements ModernDispatcher {
  readonly supportedVersions: readonly string[];
  readonly #server: ModernServerParts;
  readonly #rounds: InputRounds;
  readonly #listens: ListenStreams;
  readonly #ttlMs: number;
  readonly #maxTokenLength: number;
  readonly #scope: 'public' | 'private';
  /** Shapes every result: `resultType`, the server's info in `_meta`, cache hints. */
  readonly #results: ResultShape;

  constructor(server: ModernServerParts, options: ModernDispatcherOptions) {
    this.#server = server;
    this.supportedVersions = [...MODERN_VERSIONS, ...(options.legacyVersions ?? [])];
    this.#rounds = new InputRounds(options.inputRounds ?? {}, options.timers ?? systemTimers);
    // The tasks extension's topic agrees only where the server serves the extension.
    this.#listens = new ListenStreams(server.events, { ...options.listen, topics: [taskListenTopic(options.listen?.maxTaskIds), ...options.listen?.topics ?? []] });
    this.#ttlMs = options.caching?.ttlMs ?? 0;
    this.#maxTokenLength = options.maxProgressTokenLength ?? DEFAULT_MAX_PROGRESS_TOKEN_LENGTH;
    this.#scope = options.caching?.scope ?? 'private';
    this.#results = new ResultShape(server.info, this.#ttlMs, this.#scope);
  }

  close(): void {
    this.#listens.close();
    this.#rounds.close(new McpError(LocalErrorCode.Closed, 'the server is closing'));
  }

  async handle(message: unknown, call: ModernCall = {}): Promise<ModernAnswer | undefined> {
    const inbound = classify(message);
    if (inbound.kind === 'invalid') return { message: makeErrorResponse(inbound.id, inbound.error), status: 400 };
    if (inbound.kind === 'notification') return this.#notificationVersionFault(inbound.message.params, call.header);
    if (inbound.kind === 'response') {
      // 2026-07-28 basic/transports/streamable-http (messages): the client MUST NOT send responses (we sent no request).
      const id = (inbound.message as { id?: RequestId }).id ?? null;
      return { message: makeErrorResponse(id, { code: ErrorCode.InvalidRequest, message: 'Invalid Request: this era has no server-to-client requests to answer' }), status: 400 };
    }
    const { id, method } = inbound.message;
    const params = (inbound.message.params ?? {}) as Record<string, unknown>;
    let envelope: Envelope;
    try {
      // 2026-07-28 basic/versioning: a legacy initialize learns which versions we speak.
      if (method === 'initialize' && claimedVersion(params) === undefined) throw this.#legacyInitialize(params);
      envelope = readEnvelope(params, MODERN_VERSIONS, this.supportedVersions);
      const tokenProblem = progressTokenProblem(params, this.#maxTokenLength);
      if (tokenProblem !== undefined) throw new RpcError(ErrorCode.InvalidParams, tokenProblem);
      if (method === 'tools/call' && call.header) this.#checkParamHeaders(params, call.header);
    } catch (error) {
      // 2026-07-28 basic/transports/streamable-http: a missing or unsupported envelope is a 400.
      return { message: makeErrorResponse(id, toRpcErrorObject(error)), status: 400 };
    }
    try {
      const result = await this.#serve(method, params, { requestId: id, envelope, sink: call.notify, auth: call.auth ?? NO_AUTH }, call, call.bytes);
      return this.#results.answer(id, method, result);
    } catch (error) {
      return this.#failed(id, error);
    }
  }

  /** `call.signal` is read only where it is used: it may be made on first read (modern-http.ts). */
  async #serve(method: string, params: Record<string, unknown>, round: Round, call: CancelSource & { readonly text?: string | undefined }, bytes: number | undefined): Promise<Record<string, unknown>> {
    // 2026-07-28 changelog (removed methods): initialize, ping, logging/setLevel, resources/(un)subscribe
    // and every other method outside this era are "method not found".
    if (!MODERN_METHODS.has(method) && !this.#server.methods.isExtension(method)) throw new RpcError(ErrorCode.MethodNotFound, `Method not found: ${quoteMethod(method)} is not part of protocol ${round.envelope.protocolVersion}`);
    if (method === 'server/discover') return this.#discover();
    if (method === 'subscriptions/listen') {
      const listener = { auth: round.auth, clientCapabilities: round.envelope.clientCapabilities as Record<string, unknown> };
      return this.#listens.listen(round.requestId, params, modernTaskCapabilities(this.#capabilities()), listener, round.sink, call.signal ?? new AbortController().signal);
    }
    const handler = this.#server.methods.route(method, this.#capabilities());
    if (!handler) throw new RpcError(ErrorCode.MethodNotFound, `Method not found: ${quoteMethod(method)}`);
    if (!INPUT_METHODS.has(method)) {
      const req = new ModernRequest(method, round, call);
      try {
        return await handler(params, req) as Record<string, unknown>;
      } finally {
        const told = req.settle(); // no await (a turn per call) when nothing was dropped
        if (told) await told.catch(() => undefined); // a stream already gone: the response fails alike
      }
    }
    if (params.requestState === undefined && params.inputResponses === undefined && call.text !== undefined) {
      return this.#firstRound(method, params, round, call as CancelSource & { readonly text: string }, bytes, handler);
    }
    let owner: ModernRequest | undefined;
    let answer: Awaited<ReturnType<InputRounds['play']>>;
    try {
      answer = await this.#rounds.play(
        { method, params, capabilities: round.envelope.clientCapabilities, principal: subjectPrincipal(round.auth) ?? '', cancel: call, bytes, source: call.text },
        {
          start: (cont) => {
            // The continuation carries its `req`, rebound on every round (a WeakMap entry per
            // call cost GC work for calls that never come back).
            const req = new ModernRequest(method, round, call, cont);
            cont.owner = owner = req;
            return handler(withoutRoundFields(params), req);
          },
          resume: (cont) => (owner = cont.owner as ModernRequest | undefined)?.rebind(round),
        },
      );
    } finally {
      const told = owner?.settle(); // before the answer: a count the request's stream would lose
      if (told) await told.catch(() => undefined);
    }
    if (answer.kind === 'done') return answer.result as Record<string, unknown>;
    return new InputRequired(answer.inputRequests, answer.requestState);
  }

  /**
   * A first round with nothing answered, its text kept (HTTP, stdio): the handler runs with no
   * continuation, round request or promise chain of its own; they are made only if it asks
   * (ModernRequest.mayAsk), and the round goes on as `InputRounds.play`'s first round would.
   */
  async #firstRound(method: string, params: Record<string, unknown>, round: Round, call: CancelSource & { readonly text: string }, bytes: number | undefined,
    handler: (params: Record<string, unknown>, req: ModernRequest) => unknown): Promise<Record<string, unknown>> {
    // Cancelled before the round: start nothing (as play).
    const aborted = abortedSignal(call);
    if (aborted) throw aborted.reason;
    const req = new ModernRequest(method, round, call);
    let returned: unknown;
    try {
      const first = await new Promise<unknown>((resolve, reject) => {
        req.mayAsk(resolve);
        try {
          returned = handler(params, req);
        } catch (error) {
          returned = Promise.reject(error); // after an ask too: the continuation fails with it
        }
        Promise.resolve(returned).then(resolve, reject);
      });
      if (first !== ASKED) return first as Record<string, unknown>;
      const answer = await this.#rounds.asked(req.continuation!, returned, {
        method, params, capabilities: round.envelope.clientCapabilities, principal: subjectPrincipal(round.auth) ?? '', cancel: call, bytes, source: call.text,
      });
      if (answer.kind === 'done') return answer.result as Record<string, unknown>;
      return new InputRequired(answer.inputRequests, answer.requestState);
    } finally {
      const told = req.settle(); // before the answer: a count the request's stream would lose
      if (told) await told.catch(() => undefined);
    }
  }

  /**
   * The declaration as 2026-07-28 serves it: `listChanged` and `resources.subscribe` are
   * honoured on `subscriptions/listen` streams (basic/patterns/subscriptions).
   */
  #capabilities(): ServerCapabilities {
    return this.#server.capabilities();
  }

  /**
   * -32020 (HTTP 400) when an `Mcp-Param-*` header disagrees with the tool's arguments
   * (2026-07-28 basic/transports/streamable-http: server behavior for custom headers).
   */
  #checkParamHeaders(params: Record<string, unknown>, header: (name: string) => string | null): void {
    const tool = typeof params.name === 'string' ? this.#server.getTool?.(params.name) : undefined;
    if (!tool) return; // an unknown tool is the handler's -32602
    const fault = checkParamHeaders(cachedHeaderParams(tool.name, tool.inputSchema), params.arguments, header);
    if (fault) throw fault;
  }

  /**
   * A notification has no response to carry -32022, but a version it names that this era does
   * not speak (in `_meta` or in MCP-Protocol-Version) is still refused: 400 with an error that
   * has no id (2025-11-25 basic/transports, 2026-07-28 basic/transports/streamable-http: an unsupported MCP-Protocol-Version
   * is 400; a message the server cannot accept gets an HTTP error status). A 2025 session's
   * notification sent with a future date would otherwise be taken and dropped.
   */
  #notificationVersionFault(params: unknown, header: ((name: string) => string | null) | undefined): ModernAnswer | undefined {
    const named = [claimedVersion(params), header?.('mcp-protocol-version')?.trim() ?? undefined];
    const requested = named.find((v) => v !== undefined && !(MODERN_VERSIONS as readonly string[]).includes(v));
    if (requested === undefined) return undefined;
    const error = new RpcError(ErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version ${JSON.stringify(requested)}: this server speaks ${this.supportedVersions.join(', ')}`,
      { supported: [...this.supportedVersions], requested });
    return { message: makeErrorResponse(null, toRpcErrorObject(error)), status: 400 };
  }

  // 2026-07-28 basic/versioning: a modern-only server SHOULD name the versions it supports in
  // any error it returns to an `initialize`.
  #legacyInitialize(params: Record<string, unknown>): RpcError {
    const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : '';
    return new RpcError(ErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version ${JSON.stringify(requested)}: this server speaks ${this.supportedVersions.join(', ')}`,
      { supported: [...this.supportedVersions], requested });
  }

  /** 2026-07-28 server/discover: versions, capabilities, instructions, cache hints. */
  #discover(): Record<string, unknown> {
    const result: Record<string, unknown> = { supportedVersions: [...this.supportedVersions], capabilities: modernTaskCapabilities(this.#capabilities()) };
    if (this.#server.instructions !== undefined) result.instructions = this.#server.instructions;
    return { ...result, ttlMs: this.#ttlMs, cacheScope: this.#scope };
  }

  #failed(id: RequestId, error: unknown): ModernAnswer {
    // A prompt's or resource's uncaught MissingCapabilityError (both eras' class) is this era's
    // -32021 (a tool's is made so in tools.ts, for a task's outcome too).
    const wire = withoutRetiredCode(toRpcErrorObject(error instanceof MissingCapabilityError ? error.toRpcError() : error));
    // 2026-07-28 basic/transports/streamable-http: an unknown method is 404 with -32601; the
    // header, capability and version errors (and a bad envelope) are 400; other errors ride a 200.
    const status = wire.code === ErrorCode.MethodNotFound ? 404 : BAD_REQUEST.has(wire.code) ? 400 : 200;
    return { message: makeErrorResponse(id, wire), status };
  }
}

/** 2026-07-28 basic/index (error codes): -32020 to -32099 belong to the specification. */
const SPEC_RANGE = { low: -32099, high: -32020 } as const;
/** The codes of that range 2026-07-28 defines (HeaderMismatch, MissingRequiredClientCapability, UnsupportedProtocolVersion). */
const SPEC_DEFINED: ReadonlySet<number> = new Set([ErrorCode.HeaderMismatch, ErrorCode.MissingRequiredClientCapability, ErrorCode.UnsupportedProtocolVersion]);

/**
 * 2026-07-28 basic (error codes): -32002 and -32042 are never emitted. A handler written for
 * 2025-11-25 may still throw them: a missing resource becomes -32602 with its data (SEP-2164);
 * a URL elicitation is asked with `ctx.elicit({ mode: 'url' })` in this era, so a thrown
 * -32042 is the server's fault (-32603), its message saying so. So is any other code of
 * -32020 to -32099 the specification does not define: implementations "MUST NOT emit" them.
 */
function withoutRetiredCode(wire: RpcErrorObject): RpcErrorObject {
  if (wire.code === ErrorCode.ResourceNotFound) return { ...wire, code: ErrorCode.InvalidParams };
  if (wire.code === ErrorCode.UrlElicitationRequired) {
    return { code: ErrorCode.InternalError, message: `Internal error: the handler threw -32042 (${wire.message}), which 2026-07-28 retired; ask with ctx.elicit({ mode: 'url' })` };
  }
  if (wire.code < SPEC_RANGE.low || wire.code > SPEC_RANGE.high || SPEC_DEFINED.has(wire.code)) return wire;
  return { code: ErrorCode.InternalError, message: `Internal error: the handler threw ${wire.code} (${wire.message}), a code 2026-07-28 reserves for the specification (-32020 to -32099) and does not define` };
}

/** The params a handler sees: the round's own fields are the dispatcher's business. */
function withoutRoundFields(params: Record<string, unknown>): Record<string, unknown> {
  if (params.inputResponses === undefined && params.requestState === undefined) return params;
  const { inputResponses: _i, requestState: _s, ...rest } = params;
  return rest;
}

export type { Envelope };
