/**
 * The context a tool handler receives. It is era-neutral: in the legacy era `elicit()`
 * and `sample()` are server-to-client requests on the originating request's stream; a
 * modern-era implementation of the same interface will suspend instead.
 */
import { randomUUID } from 'node:crypto';
import type {
  ClientCapabilities, CreateMessageParams, CreateMessageResult, ElicitFormParams, ElicitResult, ElicitUrlParams,
  Implementation, LoggingLevel, RequestContext, RequestId, ResourceLink, Root, ServerSide,
} from '../protocol/index.ts';
import { LocalErrorCode, McpError } from '../protocol/index.ts';
import { passesLevel } from './logging.ts';
import type { SchemaValidator } from './validation.ts';

/** Options for a request the tool makes of the client. */
export interface AskOptions {
  /** Give up after this many ms; defaults come from the server options. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Form elicitation params; `mode` may be omitted. */
export type ElicitFormRequest = Omit<ElicitFormParams, 'mode'> & { mode?: 'form' };
/** URL elicitation params; `elicitationId` is generated when omitted. */
export type ElicitUrlRequest = Omit<ElicitUrlParams, 'elicitationId'> & { elicitationId?: string };

/** What a tool handler can do besides computing its result. */
export interface ToolContext {
  /** Aborted when the client cancels the call or the session ends. */
  readonly signal: AbortSignal;
  readonly requestId: RequestId;
  readonly sessionId: string | undefined;
  readonly protocolVersion: string;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  /**
   * Report progress, only when the client sent a progress token; values must increase.
   * Resolves once the transport can take more: await it, and a tool that emits faster than
   * its client reads waits instead of piling up (HTTP `maxBufferedBytes`).
   */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Log to the client (`notifications/message`), filtered by `logging/setLevel`; flow-controlled as `progress`. */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /** Ask the user for input (elicitation); rejects if the client lacks the capability. */
  elicit(params: ElicitFormRequest | ElicitUrlRequest, options?: AskOptions): Promise<ElicitResult>;
  /** Ask the client's model (sampling); rejects if the client lacks the capability. */
  sample(params: CreateMessageParams, options?: AskOptions): Promise<CreateMessageResult>;
  /** The client's roots; rejects if the client lacks the capability. */
  listRoots(options?: AskOptions): Promise<Root[]>;
  /** A `resource_link` content block (2025-06-18 server/tools). */
  resourceLink(uri: string, name: string, extra?: Omit<ResourceLink, 'type' | 'uri' | 'name'>): ResourceLink;
  /**
   * End the HTTP connection carrying this request's SSE stream now; the client reconnects
   * and resumes with `Last-Event-ID`, receiving what the handler sends afterwards
   * (2025-11-25 basic/transports: SSE polling). False when the transport cannot (stdio,
   * memory, JSON replies, sessions older than 2025-11-25).
   */
  closeConnection(): boolean;
}

/** The context every request handler gets: tools, resource readers, prompts, completers. */
export type HandlerContext = ToolContext;

/** What the context needs to know about its connection. */
export interface ConnectionView {
  readonly sessionId: string | undefined;
  readonly protocolVersion: string;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  readonly logLevel: LoggingLevel | undefined;
}

/** Timeouts for requests a tool makes of the client (a human may be answering). */
export interface AskTimeouts {
  /** Default 600 000 ms (ten minutes): a person reads and fills a form. */
  elicitTimeoutMs: number;
  /** Default 300 000 ms. */
  sampleTimeoutMs: number;
  /** Default 30 000 ms. */
  rootsTimeoutMs: number;
}

export const DEFAULT_ASK_TIMEOUTS: Readonly<AskTimeouts> = {
  elicitTimeoutMs: 600_000,
  sampleTimeoutMs: 300_000,
  rootsTimeoutMs: 30_000,
};

type ContextMethod = 'progress' | 'log' | 'elicit' | 'sample' | 'listRoots' | 'resourceLink' | 'closeConnection';

/**
 * The legacy-era context. One is made per call, so it is a class: an object literal with
 * getters costs microseconds to create, and the request's AbortSignal (costly to make) is
 * read only when the tool asks for it. The connection's facts are copied (they are fixed
 * once the client initialized).
 */
class LegacyToolContext implements ToolContext {
  readonly requestId: RequestId;
  readonly sessionId: string | undefined;
  readonly protocolVersion: string;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  readonly #rc: RequestContext<ServerSide>;
  readonly #conn: ConnectionView;
  readonly #timeouts: AskTimeouts;
  readonly #validator: SchemaValidator;
  /** The methods' functions, made when first asked for. */
  readonly #fns: { -readonly [K in ContextMethod]?: ToolContext[K] } = {};

  constructor(rc: RequestContext<ServerSide>, conn: ConnectionView, timeouts: AskTimeouts, validator: SchemaValidator) {
    this.#rc = rc;
    this.#conn = conn;
    this.#timeouts = timeouts;
    this.#validator = validator;
    this.requestId = rc.requestId;
    this.sessionId = conn.sessionId;
    this.protocolVersion = conn.protocolVersion;
    this.clientInfo = conn.clientInfo;
    this.clientCapabilities = conn.clientCapabilities;
  }

  get signal(): AbortSignal {
    return this.#rc.signal;
  }

  #ask(options: AskOptions | undefined, fallback: number): { timeoutMs: number; maxTotalTimeoutMs: number; signal: AbortSignal } {
    const signal = this.#rc.signal;
    return {
      timeoutMs: options?.timeoutMs ?? fallback,
      maxTotalTimeoutMs: options?.timeoutMs ?? fallback,
      signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal,
    };
  }

  // The methods are getters that hand out one arrow function each, made on first use: a
  // tool may destructure them, and one that never calls them costs no closure (or, under
  // transpilers that name every function they create, no per-call defineProperty).
  get progress(): ToolContext['progress'] {
    return (this.#fns.progress ??= (value, total, message) => this.#rc.progress(value, total, message));
  }

  get log(): ToolContext['log'] {
    return (this.#fns.log ??= (level, data, logger) => this.#log(level, data, logger));
  }

  get elicit(): ToolContext['elicit'] {
    return (this.#fns.elicit ??= (params, options) => this.#elicit(params, options));
  }

  get sample(): ToolContext['sample'] {
    return (this.#fns.sample ??= (params, options) => this.#sample(params, options));
  }

  get listRoots(): ToolContext['listRoots'] {
    return (this.#fns.listRoots ??= (options) => this.#listRoots(options));
  }

  get resourceLink(): ToolContext['resourceLink'] {
    return (this.#fns.resourceLink ??= (uri, name, extra) => ({ type: 'resource_link', uri, name, ...extra }));
  }

  get closeConnection(): ToolContext['closeConnection'] {
    return (this.#fns.closeConnection ??= () => this.#rc.extra?.closeConnection?.() ?? false);
  }

  async #log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    if (!passesLevel(level, this.#conn.logLevel)) return;
    await this.#rc.notify('notifications/message', logger === undefined ? { level, data } : { level, logger, data });
  }

  async #elicit(params: ElicitFormRequest | ElicitUrlRequest, options?: AskOptions): Promise<ElicitResult> {
    const wire = params.mode === 'url'
      ? { ...params, mode: 'url' as const, elicitationId: params.elicitationId ?? randomUUID() }
      : params;
    const result = await this.#rc.request('elicitation/create', wire as ElicitFormParams, this.#ask(options, this.#timeouts.elicitTimeoutMs));
    if (!('action' in result)) throw new McpError(LocalErrorCode.Protocol, 'client answered elicitation with a task, which this tool did not ask for');
    // 2025-11-25 client/elicitation: servers SHOULD validate accepted content against the schema.
    if (wire.mode !== 'url' && result.action === 'accept') {
      const check = this.#validator.compile((wire as ElicitFormParams).requestedSchema as never)(result.content ?? {});
      if (!check.ok) throw new McpError(LocalErrorCode.Validation, `elicitation answer does not match the requested schema: ${check.errors.join('; ')}`);
    }
    return result;
  }

  async #sample(params: CreateMessageParams, options?: AskOptions): Promise<CreateMessageResult> {
    const result = await this.#rc.request('sampling/createMessage', params, this.#ask(options, this.#timeouts.sampleTimeoutMs));
    if (!('role' in result)) throw new McpError(LocalErrorCode.Protocol, 'client answered sampling with a task, which this tool did not ask for');
    return result;
  }

  async #listRoots(options?: AskOptions): Promise<Root[]> {
    const result = await this.#rc.request('roots/list', undefined, this.#ask(options, this.#timeouts.rootsTimeoutMs));
    return Array.isArray(result.roots) ? result.roots : [];
  }
}

export function createToolContext(
  rc: RequestContext<ServerSide>, conn: ConnectionView, timeouts: AskTimeouts, validator: SchemaValidator,
): ToolContext {
  return new LegacyToolContext(rc, conn, timeouts, validator);
}
