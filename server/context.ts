/**
 * The context a handler receives (tools, resource readers, prompts, completers). It is
 * era-neutral: it is made from `req` (request.ts), and `elicit()`, `sample()` and
 * `listRoots()` go through `req.input()`, which in the 2025 era is a server-to-client
 * request on the originating request's stream and in the 2026 era will be an
 * `InputRequiredResult` round trip.
 */
import type { LogRate } from './log-rate.ts';
import type {
  ClientCapabilities, CreateMessageParams, ElicitationSchema, CreateMessageResult, ElicitFormParams, ElicitResult, ElicitUrlParams,
  Implementation, LoggingLevel, ProgressToken, RequestId, ResourceLink, Root,
} from '../protocol/index.ts';
import { LocalErrorCode, McpError, eraOf } from '../protocol/index.ts';
import type { InputOptions } from './input.ts';
import { passesLevel } from './logging.ts';
import { elicitAnswerProblem, sampleAnswerProblem } from './client-answers.ts';
import { fitRequestedSchema, requestedSchemaProblem } from '../protocol/elicitation-schema.ts';
import { fitSamplingContent, samplingMessagesProblem } from '../protocol/sampling-content.ts';
import type { RequestAuth, ServerRequest } from './request.ts';
import type { SchemaValidator } from './validation.ts';
import type { InferSchema, ObjectSchemaInput } from './schema-infer.ts';
import type { CheckOutcome, PreparedSchema, ToJsonSchema } from './schema-standard.ts';
import { preparedForm } from './elicit-schema-cache.ts';

/** Options for a request the tool makes of the client. */
export interface AskOptions {
  /** Give up after this many ms; defaults come from the server options. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** 2026-07-28 basic/patterns/mrtr: the key naming this request in `inputRequests` (see InputOptions). */
  key?: string;
}

/** Form elicitation params; `mode` may be omitted. */
export type ElicitFormRequest = Omit<ElicitFormParams, 'mode'> & { mode?: 'form' };
/**
 * A form whose `requestedSchema` is a Standard Schema or a JSON Schema literal; the answer's
 * `content` is typed from it (a Standard Schema's parsed output).
 */
export type ElicitFormOf<S extends ObjectSchemaInput | ElicitationSchema> = Omit<ElicitFormRequest, 'requestedSchema'> & { requestedSchema: S };

/**
 * A form's answer: accepted, with `content` of type `T` (always present, checked against the
 * form), or declined or cancelled, without content (2025-11-25 client/elicitation).
 */
export type ElicitAnswer<T> =
  | (Omit<ElicitResult, 'action' | 'content'> & { action: 'accept'; content: T })
  | (Omit<ElicitResult, 'action' | 'content'> & { action: 'decline' | 'cancel'; content?: undefined });

/**
 * URL elicitation params; `elicitationId` is generated when omitted before 2026-07-28, and
 * never sent in 2026-07-28 (that version's URL request has none).
 */
export type ElicitUrlRequest = Omit<ElicitUrlParams, 'elicitationId'> & { elicitationId?: string };

/**
 * What a handler can do besides computing its result. Its input methods (`elicit`,
 * `sample`, `listRoots`) may reject with `InputRequiredError`: let it through.
 */
export interface ToolContext {
  /** Aborted when the client cancels the call or the session ends. */
  readonly signal: AbortSignal;
  /** The JSON-RPC id of the request being handled. */
  readonly requestId: RequestId;
  /** The HTTP session (`Mcp-Session-Id`) of a 2025 Streamable HTTP connection; undefined over stdio and in 2026-07-28. */
  readonly sessionId: string | undefined;
  /** The protocol version of this request (negotiated at initialize, or carried by a 2026-07-28 request). */
  readonly protocolVersion: string;
  /** The client's `clientInfo`, when it sent one. */
  readonly clientInfo: Implementation | undefined;
  /** What the client declared: `elicit()`, `sample()` and `listRoots()` need the matching capability. */
  readonly clientCapabilities: ClientCapabilities;
  /**
   * Who called (subject, issuer, scopes, claims), when the HTTP entry authenticates requests
   * (server/auth); empty otherwise. The access token itself is never here: do not forward
   * the client's credentials upstream.
   */
  readonly auth: RequestAuth;
  /**
   * The task this call runs as, when it runs as one. A task may run again after a restart:
   * use it as the idempotency key of side effects.
   */
  readonly taskId?: string | undefined;
  /**
   * The client's progress token for this call, when it asked for progress: a tool may skip
   * computing progress nobody reads (`progress()` sends nothing without one anyway).
   */
  readonly progressToken?: ProgressToken | undefined;
  /**
   * Report progress, only when the client sent a progress token; values must increase.
   * Resolves once the transport can take more: await it, and a tool that emits faster than
   * its client reads waits instead of piling up (HTTP `maxBufferedBytes`).
   */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /**
   * Log to the client (`notifications/message`), filtered by `logging/setLevel`, rate limited
   * per connection (`ServerOptions.logRate`: over it, dropped at once and counted); flow-controlled
   * as `progress`. Logging is Deprecated from 2026-07-28 (SEP-2577, deprecated.mdx: log to
   * stderr or OpenTelemetry instead); still served in both eras.
   */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /**
   * Ask the user for input (elicitation): a form, its `requestedSchema` a Standard Schema or
   * a JSON Schema (the answer's `content` typed from it), or a URL. Rejects if the client
   * lacks the capability, and with MCP_ERR_VALIDATION when accepted content does not match.
   */
  elicit<const S extends ObjectSchemaInput | ElicitationSchema = ElicitationSchema>(
    params: ElicitFormOf<S>, options?: AskOptions): Promise<ElicitAnswer<InferSchema<S>>>;
  /** Ask the user to visit a URL (URL mode elicitation); an accepted answer carries no content. */
  elicit(params: ElicitUrlRequest, options?: AskOptions): Promise<ElicitResult>;
  /** Either kind, decided at run time (the params of a request passed on). */
  elicit(params: ElicitFormRequest | ElicitUrlRequest, options?: AskOptions): Promise<ElicitResult>;
  /**
   * Ask the client's model (sampling); rejects if the client lacks the capability. Sampling is
   * Deprecated from 2026-07-28 (SEP-2577: call the model provider directly); still served.
   */
  sample(params: CreateMessageParams, options?: AskOptions): Promise<CreateMessageResult>;
  /**
   * The client's roots; rejects if the client lacks the capability. Roots are Deprecated from
   * 2026-07-28 (SEP-2577: take paths as tool arguments or configuration); still served.
   */
  listRoots(options?: AskOptions): Promise<Root[]>;
  /** A `resource_link` content block (2025-06-18 server/tools). */
  resourceLink(uri: string, name: string, extra?: Omit<ResourceLink, 'type' | 'uri' | 'name'>): ResourceLink;
  /**
   * Tell the client that the out-of-band interaction of a URL-mode `elicit` (pass your own
   * `elicitationId` to it) has completed: `notifications/elicitation/complete`, on this call's
   * stream (2025-11-25 client/elicitation: servers MAY send it; the client may then retry).
   * 2026-07-28 has neither the id nor the notification: nothing is sent there. Rejects with
   * MCP_ERR_PROTOCOL in a session older than 2025-11-25, which has no URL mode.
   */
  elicitationComplete(elicitationId: string): Promise<void>;
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

type ContextMethod = 'progress' | 'log' | 'elicit' | 'sample' | 'listRoots' | 'resourceLink' | 'elicitationComplete';

/**
 * The context over one `req`. One is made per call, so it is a class: an object literal
 * with getters costs microseconds to create, and the request's AbortSignal (costly to make)
 * is read only when the handler asks for it.
 */
class RequestToolContext implements ToolContext {
  readonly #req: ServerRequest;
  readonly #timeouts: AskTimeouts;
  readonly #validator: SchemaValidator;
  readonly #toJsonSchema: ToJsonSchema | undefined;
  readonly #logRate: LogRate | undefined;
  /**
   * The methods' functions, made when first asked for; the holder too (what it buys: an
   * object a call for the many tools, like an echo, that ask for none).
   */
  #made: { -readonly [K in ContextMethod]?: ToolContext[K] } | undefined;

  constructor(req: ServerRequest, timeouts: AskTimeouts, validator: SchemaValidator, toJsonSchema: ToJsonSchema | undefined, logRate: LogRate | undefined) {
    this.#req = req;
    this.#timeouts = timeouts;
    this.#validator = validator;
    this.#toJsonSchema = toJsonSchema;
    this.#logRate = logRate;
  }

  get signal(): AbortSignal { return this.#req.signal; }
  get requestId(): RequestId { return this.#req.requestId; }
  get sessionId(): string | undefined { return this.#req.sessionId; }
  get protocolVersion(): string { return this.#req.protocolVersion; }
  get clientInfo(): Implementation | undefined { return this.#req.clientInfo; }
  get clientCapabilities(): ClientCapabilities { return this.#req.clientCapabilities; }
  get taskId(): string | undefined { return this.#req.taskId; }
  get auth(): RequestAuth { return this.#req.auth; }
  get progressToken(): ProgressToken | undefined { return this.#req.progressToken; }

  #fns(): { -readonly [K in ContextMethod]?: ToolContext[K] } {
    return (this.#made ??= {});
  }

  #ask(options: AskOptions | undefined, fallback: number): InputOptions {
    const asked: InputOptions = { timeoutMs: options?.timeoutMs ?? fallback };
    if (options?.signal) asked.signal = options.signal;
    if (options?.key !== undefined) asked.key = options.key;
    return asked;
  }

  // The methods are getters that hand out one arrow function each, made on first use: a
  // tool may destructure them, and one that never calls them costs no closure (or, under
  // transpilers that name every function they create, no per-call defineProperty).
  get progress(): ToolContext['progress'] {
    return (this.#fns().progress ??= (value, total, message) => this.#req.progress(value, total, message));
  }

  get log(): ToolContext['log'] {
    return (this.#fns().log ??= (level, data, logger) => this.#log(level, data, logger));
  }

  get elicit(): ToolContext['elicit'] {
    return (this.#fns().elicit ??= ((params: ElicitFormOf<ObjectSchemaInput> | ElicitFormRequest | ElicitUrlRequest, options?: AskOptions) => this.#elicit(params, options)) as ToolContext['elicit']);
  }

  get sample(): ToolContext['sample'] {
    return (this.#fns().sample ??= (params, options) => this.#sample(params, options));
  }

  get listRoots(): ToolContext['listRoots'] {
    return (this.#fns().listRoots ??= (options) => this.#listRoots(options));
  }

  get resourceLink(): ToolContext['resourceLink'] {
    return (this.#fns().resourceLink ??= (uri, name, extra) => ({ type: 'resource_link', uri, name, ...extra }));
  }

  get elicitationComplete(): ToolContext['elicitationComplete'] {
    // The 2026-07-28 request drops this notification (modern-request.ts notify).
    return (this.#fns().elicitationComplete ??= (elicitationId) => this.#req.notify('notifications/elicitation/complete', { elicitationId }));
  }

  async #log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    const req = this.#req;
    if (!passesLevel(level, req.logLevel)) return;
    // 2025-11-25 server/utilities/logging (Security): servers SHOULD rate limit log messages.
    const rate = this.#logRate;
    const taken = rate ? rate.take(req.connection ?? req, level) : true;
    if (taken === false) {
      // Over the limit: dropped and counted, the tool not held up. A 2026-07-28 request's
      // stream ends with its response: the count goes on it just before (modern-request.ts).
      if (req.connection === undefined) (req as { beforeResponse?: (fn: () => Promise<void> | undefined) => void }).beforeResponse?.(() => this.#tellDropped());
      return;
    }
    if (taken !== true) await req.notify('notifications/message', rate!.message(taken, req.logLevel));
    await req.notify('notifications/message', logger === undefined ? { level, data } : { level, logger, data });
  }

  /** What this request's bucket dropped and did not tell yet, told now (its response is next). */
  #tellDropped(): Promise<void> | undefined {
    const rate = this.#logRate!;
    const dropped = rate.settle(this.#req);
    return dropped && this.#req.notify('notifications/message', rate.message(dropped, this.#req.logLevel));
  }

  // #elicit and #sample are not async, and the answer's checks are one `then` on the input's
  // promise (bench f: an async function and its await a layer, two layers for a form). A
  // refusal before anything is sent still comes as a rejection, never a throw.
  #elicit(params: ElicitFormOf<ObjectSchemaInput> | ElicitFormRequest | ElicitUrlRequest, options?: AskOptions): Promise<ElicitResult> {
    let schema: PreparedSchema;
    let asked: Promise<ElicitResult>;
    try {
      if (params.mode === 'url') {
        // 2025-11-25 and 2026-07-28 client/elicitation, URL mode: the url MUST be a valid URL.
        if (typeof params.url !== 'string' || !URL.canParse(params.url)) throw new McpError(LocalErrorCode.Validation, `cannot ask with this URL: ${JSON.stringify(params.url)} is not a valid URL`);
        // 2026-07-28 client/elicitation: the URL request is mode, message and url; the id (and the
        // completion notice naming it) ended with 2025-11-25, where it is required.
        const { elicitationId, ...rest } = params;
        const wire: ElicitUrlParams = eraOf(this.#req.protocolVersion) === 'modern'
          ? { ...rest, mode: 'url' }
          : { ...rest, mode: 'url', elicitationId: elicitationId ?? crypto.randomUUID() };
        return this.#askElicit(wire, options).then(checkedElicitAnswer);
      }
      const form = params as ElicitFormOf<ObjectSchemaInput>;
      // Prepared once per schema object while it is unchanged (elicit-schema-cache.ts).
      schema = preparedForm(form.requestedSchema as object, this.#validator, this.#toJsonSchema);
      // Not awaited here: asking stays in this tick, so the requests a handler makes at once go out
      // together (2026-07-28: one InputRequiredResult). A schema that is not plain, compiled before
      // ajv had loaded, is checked with the answer (schema.check waits for it; a refusal rejects).
      // 2025-11-25 client/elicitation: a form is a flat object of primitive properties; a
      // schema outside that is refused here rather than sent to a client that cannot show it.
      const version = this.#req.protocolVersion || undefined;
      const shapeProblem = requestedSchemaProblem(schema.json, version);
      if (shapeProblem) throw new McpError(LocalErrorCode.Validation, `cannot ask with this form: ${shapeProblem}`);
      // The tool's params as they are when the schema goes out unchanged (no copy a question).
      const fitted = fitRequestedSchema(schema.json, version);
      const wire = (fitted === form.requestedSchema ? form : { ...form, requestedSchema: fitted }) as unknown as ElicitFormParams;
      asked = this.#askElicit(wire, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return asked.then((result) => formAnswer(checkedElicitAnswer(result), schema));
  }

  #askElicit(params: ElicitFormParams | ElicitUrlParams, options?: AskOptions): Promise<ElicitResult> {
    return this.#req.input({ method: 'elicitation/create', params }, this.#ask(options, this.#timeouts.elicitTimeoutMs)) as Promise<ElicitResult>;
  }

  #sample(params: CreateMessageParams, options?: AskOptions): Promise<CreateMessageResult> {
    let asked: Promise<CreateMessageResult>;
    try {
      // client/sampling (2025-11-25, 2026-07-28): servers MUST answer every tool_use with matching tool results only.
      const loop = Array.isArray(params.messages) ? samplingMessagesProblem(params.messages) : '"messages" must be an array';
      if (loop) throw new McpError(LocalErrorCode.Validation, `cannot sample with these messages: ${loop}`);
      const wire = fitMessages(params, this.#req.protocolVersion || undefined);
      asked = this.#req.input({ method: 'sampling/createMessage', params: wire }, this.#ask(options, this.#timeouts.sampleTimeoutMs)) as Promise<CreateMessageResult>;
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return asked.then(checkedSampleAnswer);
  }

  async #listRoots(options?: AskOptions): Promise<Root[]> {
    const result = await this.#req.input({ method: 'roots/list' }, this.#ask(options, this.#timeouts.rootsTimeoutMs));
    return Array.isArray(result.roots) ? result.roots : [];
  }
}

/** The client's elicitation answer, or the error saying what is malformed in it. */
function checkedElicitAnswer(result: ElicitResult): ElicitResult {
  if ('task' in result && !('action' in result)) throw new McpError(LocalErrorCode.Protocol, 'client answered elicitation with a task, which this tool did not ask for');
  const problem = elicitAnswerProblem(result as unknown as Record<string, unknown>);
  if (problem) throw new McpError(LocalErrorCode.Protocol, `the client's elicitation answer is malformed: ${problem}`);
  return result;
}

/** A form's answer with its accepted content checked against `schema`, at once when the check is synchronous. */
function formAnswer(result: ElicitResult, schema: PreparedSchema): ElicitResult | Promise<ElicitResult> {
  if (result.action !== 'accept') return result;
  // 2025-11-25 client/elicitation: servers SHOULD validate accepted content against the schema.
  const check = schema.check(result.content ?? {});
  return check instanceof Promise ? check.then((outcome) => acceptedAnswer(result, outcome)) : acceptedAnswer(result, check);
}

/** The accepted answer with the checked content (a Standard Schema's parsed output), or the mismatch. */
function acceptedAnswer(result: ElicitResult, check: CheckOutcome): ElicitResult {
  if (!check.ok) throw new McpError(LocalErrorCode.Validation, `elicitation answer does not match the requested schema: ${check.errors.join('; ')}`);
  // The answer as it came when the check passed the content itself on (a JSON Schema's): no copy.
  return check.value === result.content ? result : { ...result, content: check.value as NonNullable<ElicitResult['content']> };
}

/** The client's sampling answer, or the error saying what is malformed in it. */
function checkedSampleAnswer(result: CreateMessageResult): CreateMessageResult {
  if ('task' in result && !('role' in result)) throw new McpError(LocalErrorCode.Protocol, 'client answered sampling with a task, which this tool did not ask for');
  const problem = sampleAnswerProblem(result as unknown as Record<string, unknown>);
  if (problem) throw new McpError(LocalErrorCode.Protocol, `the client's sampling answer is malformed: ${problem}`);
  return result;
}

/** The context a handler gets for `req`. */
export function createToolContext(req: ServerRequest, timeouts: AskTimeouts, validator: SchemaValidator, toJsonSchema?: ToJsonSchema, logRate?: LogRate): ToolContext {
  return new RequestToolContext(req, timeouts, validator, toJsonSchema, logRate);
}

/**
 * `params` as `version` can carry them (protocol/sampling-content.ts): before 2025-11-25 each
 * message holds one block, so an array of one is sent as that block and a longer one is
 * refused before anything is sent. The same object when nothing changes.
 */
function fitMessages(params: CreateMessageParams, version: string | undefined): CreateMessageParams {
  if (!Array.isArray(params?.messages) || !params.messages.some((m) => Array.isArray(m?.content))) return params;
  const messages = params.messages.map((message) => {
    const fitted = fitSamplingContent(message.content, version);
    if (typeof fitted === 'string') throw new McpError(LocalErrorCode.Validation, `cannot sample with these messages: ${fitted}`);
    return fitted.content === message.content ? message : { ...message, content: fitted.content };
  });
  return { ...params, messages };
}
