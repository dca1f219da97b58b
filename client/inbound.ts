/**
 * What the server asks of the client and tells it (2025-11-25 client/*): answering
 * `elicitation/create`, `sampling/createMessage` and `roots/list` through the application's
 * callbacks, with the checks the spec puts on each side, and dispatching server
 * notifications to typed callbacks.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type ClientCapabilities, type ClientSide, type CreateMessageParams, type CreateMessageResult, type ElicitFormParams, type ElicitResult,
  type ElicitUrlParams, type Implementation, type MessageExtra,
  type RequestId, type Root, type Peer,
} from '../protocol/index.ts';
import { applyElicitationDefaults, elicitationContentProblems, requestedSchemaProblem } from './elicitation.ts';
import { samplingRequestProblem, samplingResultProblem } from './sampling.ts';
import { fitSamplingContent } from '../protocol/sampling-content.ts';
import { clientSupportsElicitationMode } from '../protocol/capabilities.ts';
import { RELATED_TASK, relatedTaskOf } from '../protocol/inbound-run.ts';
import type { ClientOptions, InboundContext, ListKind, NotificationContext } from './types.ts';
import { urlElicitationProblem, type ElicitationTracker } from './url-elicitation.ts';
import { CallbackError } from './callback-error.ts';
import { loadOnce } from '../protocol/load-once.ts';

/** Making a CallbackError: loaded on the first callback failure. */
export const callbackFailures = loadOnce(() => import('./callback-failures.ts'));
/** The tool_use input checks (sampling-input.ts): loaded by the first answer to a request offering tools. */
const samplingInputs = loadOnce(() => import('./sampling-input.ts'));
/** The 2025 era's callback failures the server was answered with, kept for their calls: the last 16. */
const KEPT_FAILURES = 16;

/** What the handlers need from the client core. */
export interface InboundDeps {
  peer: Peer<ClientSide>;
  options: ClientOptions;
  capabilities: ClientCapabilities;
  tracker: ElicitationTracker;
  /** The roots to answer with when the application gave a list rather than `onRoots`. */
  roots(): Root[];
  /** The server as it introduced itself (undefined before initialize and after a rejoin). */
  server(): Implementation | undefined;
  report(error: Error): void;
  /** The negotiated protocol version, when known: the sampling answer is fitted to it. */
  protocolVersion?(): string | undefined;
  /** The 2025 era's callback failures, kept for the calls they came under (callback-error.ts). */
  failures?: CallbackError[] | undefined;
  /** A task's status changed (`notifications/tasks/status`): wakes `client.tasks.wait()`. */
  taskStatus?(taskId: string): void;
  /**
   * Give a change notification to the `listen()` it belongs to (2026-07-28 `subscriptionId`);
   * true when one took it, and the client's own callbacks are then not called.
   */
  route?(method: string, params: Record<string, unknown> | undefined): boolean;
}

const ACTIONS = new Set(['accept', 'decline', 'cancel']);

/**
 * A server's request the client refused as invalid (-32602) before the application saw it:
 * a form it cannot show, a model request it cannot answer. Given to `onError` so that the
 * application can tell the person which call asked and what was wrong.
 */
export class InputRefusedError extends McpError {
  override readonly name = 'InputRefusedError';
  /** The request refused (`elicitation/create`, `sampling/createMessage`). */
  readonly method: string;
  /** The request of ours it came under, when the transport knows it. */
  readonly relatedRequestId: RequestId | undefined;
  /** What was wrong, as sent to the server. */
  readonly problem: string;
  constructor(method: string, relatedRequestId: RequestId | undefined, problem: string) {
    super(LocalErrorCode.Validation, `refused ${method} (-32602): ${problem}`);
    this.method = method;
    this.relatedRequestId = relatedRequestId;
    this.problem = problem;
  }
}

/** What the peer's request context offers that a callback's context is made from. */
interface PeerRequest {
  readonly signal: AbortSignal;
  readonly requestId: RequestId;
  readonly extra: MessageExtra | undefined;
}

/**
 * What a callback receives. The request's AbortSignal is made only if the callback reads
 * it (making one costs microseconds, and most answers never look at it).
 */
class CallbackContext implements InboundContext {
  readonly #rc: PeerRequest;
  readonly server: Implementation | undefined;

  constructor(rc: PeerRequest, server: Implementation | undefined) {
    this.#rc = rc;
    this.server = server;
  }

  get signal(): AbortSignal {
    return this.#rc.signal;
  }

  get requestId(): RequestId {
    return this.#rc.requestId;
  }

  get relatedRequestId(): RequestId | undefined {
    return this.#rc.extra?.relatedRequestId;
  }
}

/** Why a list of roots must not be sent, or undefined (2025-11-25 client/roots: "MUST be a file:// URI"). */
export function rootsProblem(roots: unknown): string | undefined {
  if (!Array.isArray(roots)) return 'roots must be an array';
  for (const root of roots as Root[]) {
    if (typeof root !== 'object' || root === null || typeof root.uri !== 'string') return 'every root needs a "uri" string';
    if (!root.uri.startsWith('file://')) return `root ${JSON.stringify(root.uri)} is not a file:// URI`;
    if (root.name !== undefined && typeof root.name !== 'string') return `root ${JSON.stringify(root.uri)} has a "name" that is not a string`;
  }
  return undefined;
}

/**
 * Answers a server's input request with the application's callback (both eras): the answer
 * itself when the callback answered at once, else a promise of it. A failure is a rejection.
 */
export type InputAnswerer = (params: any, ctx: InboundContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** The inputs this client can answer: `elicitation/create`, `sampling/createMessage`, `roots/list`. */
export type InputAnswerers = ReadonlyMap<string, InputAnswerer>;

/**
 * How answers leave: as they are (the 2026 era's input rounds), or as a 2025 server's responses
 * (installInbound: a task's `_meta`, failures as wire errors).
 */
interface AnswerOutcome {
  /** The answer as it is sent. */
  sent(params: unknown, result: Record<string, unknown>): Record<string, unknown>;
  /** The error to reject with for `failure` (already reported). */
  wire(failure: Error): unknown;
}

const AS_THEY_ARE: AnswerOutcome = { sent: (_params, result) => result, wire: (failure) => failure };

/** One input's answering: `start` checks the request and calls the application, `finish` checks and shapes its answer. */
interface Answering {
  start(params: any, ctx: InboundContext): unknown;
  finish(params: any, answer: any): Record<string, unknown> | Promise<Record<string, unknown>>;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';

/**
 * The answers to the server's input requests, made with the application's callbacks and the
 * checks the spec puts on each side. The legacy era calls them for server-to-client requests,
 * the 2026-07-28 era for the input requests of an `InputRequiredResult`.
 */
export function createInputAnswerers(deps: Omit<InboundDeps, 'peer' | 'server'>, outcome: AnswerOutcome = AS_THEY_ARE): InputAnswerers {
  const { options, capabilities, tracker } = deps;
  const answerers = new Map<string, InputAnswerer>();
  /** Refuse to send what the application answered: a CallbackError (MCP_ERR_VALIDATION) once `failed` wraps it. */
  const refuse = (message: string): never => {
    throw new McpError(LocalErrorCode.Validation, message);
  };
  /** Refuse to send `what` (the sampling answer, the roots) for `problem`. */
  const unsendable = (what: string, problem: string): never => refuse(`the ${what} cannot be sent: ${problem}`);
  /** Refuse what the server asked: -32602 to a 2025 server (installInbound), and reported locally (the person would hear nothing). */
  const invalid = (method: string, ctx: InboundContext, problem: string): never => {
    throw new InputRefusedError(method, ctx.relatedRequestId, problem);
  };
  /**
   * A failure told apart and reported once: the server's request refused
   * ({@link InputRefusedError}), or the application's callback failing ({@link CallbackError},
   * the same in both eras). A failure after the request was cancelled is nobody's to hear, and
   * an `RpcError` the callback threw is the answer it chose (a declined sampling's -1,
   * 2025-11-25 client/sampling): the call still rejects with it, but `onError` is not told.
   */
  const failed = async (method: string, ctx: InboundContext, error: unknown): Promise<never> => {
    const failure = error instanceof InputRefusedError ? error : (await callbackFailures.load()).callbackError(method, ctx.relatedRequestId, error);
    if (!ctx.signal.aborted && !(error instanceof RpcError)) deps.report(failure);
    throw outcome.wire(failure);
  };
  /** The finished answer as sent, or the failure of finishing it. */
  const completed = (method: string, step: Answering, params: unknown, ctx: InboundContext, answer: unknown): Record<string, unknown> | Promise<Record<string, unknown>> => {
    let result: Record<string, unknown> | Promise<Record<string, unknown>>;
    try {
      result = step.finish(params, answer);
    } catch (error) {
      return failed(method, ctx, error);
    }
    return isThenable(result) ? result.then((r) => outcome.sent(params, r), (error: unknown) => failed(method, ctx, error)) : outcome.sent(params, result);
  };
  /**
   * The answerer for `step`. Not async: a callback that answers at once is answered in the same
   * turn with no promise of ours (the legacy peer takes a plain value, protocol/inbound-run.ts),
   * and one that answers with a promise costs one `then` (was three async layers, bench f: six
   * promises a round trip).
   */
  const answering = (method: string, step: Answering): InputAnswerer => (params, ctx) => {
    let answer: unknown;
    try {
      answer = step.start(params, ctx);
    } catch (error) {
      return failed(method, ctx, error);
    }
    if (!isThenable(answer)) return completed(method, step, params, ctx, answer);
    return Promise.resolve(answer).then((a) => completed(method, step, params, ctx, a), (error: unknown) => failed(method, ctx, error));
  };
  const applyDefaults = options.elicitation?.applyDefaults ?? (capabilities.elicitation?.form?.applyDefaults === true);
  const validateContent = options.elicitation?.validateContent ?? true;

  /** 2025-11-25 client/elicitation: content only on a form accept, checked against its schema. */
  function finishForm(params: ElicitFormParams, result: ElicitResult): ElicitResult {
    checkAction(result);
    const content = result.content;
    if (result.action !== 'accept') return content === undefined ? result : withoutContent(result);
    const filled = applyDefaults ? applyElicitationDefaults(params.requestedSchema, content) : content ?? {};
    if (validateContent) {
      const problems = elicitationContentProblems(params.requestedSchema, filled);
      if (problems.length > 0) refuse(`the accepted elicitation content does not match the requested schema: ${problems.join('; ')}`);
    }
    // The application's answer as it is when nothing was filled in (no copy a round trip).
    return filled === content ? result : { ...result, content: filled };
  }

  /** Accepting a URL only means the user agreed to open it; completion is announced later. */
  function finishUrl(params: ElicitUrlParams, result: ElicitResult): ElicitResult {
    checkAction(result);
    // 2025-11-25 only: 2026-07-28 has no elicitationId and no completion notice.
    if (result.action === 'accept' && typeof params.elicitationId === 'string') tracker.expect(params.elicitationId);
    return result.content === undefined ? result : withoutContent(result);
  }

  if (options.onElicit) {
    const onElicit = options.onElicit;
    answerers.set('elicitation/create', answering('elicitation/create', {
      start(params, ctx) {
        // client/elicitation: a mode this client did not declare is refused (the 2026 era's
        // input requests too; the legacy peer refuses it before, client.ts checkInbound).
        const mode = params?.mode === 'url' ? 'url' : 'form';
        if (!clientSupportsElicitationMode(capabilities, mode)) invalid('elicitation/create', ctx, `elicitation mode "${mode}" was not declared by this client`);
        const problem = mode === 'url' ? urlElicitationProblem(params, deps.protocolVersion?.()) : requestedSchemaProblem(params?.requestedSchema);
        if (problem) invalid('elicitation/create', ctx, problem);
        return onElicit(params, ctx);
      },
      finish: (params, result) => (params?.mode === 'url' ? finishUrl(params, result) : finishForm(params, result)) as unknown as Record<string, unknown>,
    }));
  }

  if (options.onSample) {
    const onSample = options.onSample;
    answerers.set('sampling/createMessage', answering('sampling/createMessage', {
      start(params, ctx) {
        const problem = samplingRequestProblem(params, capabilities);
        if (problem) invalid('sampling/createMessage', ctx, problem);
        return onSample(params, ctx);
      },
      finish(params: CreateMessageParams, result: CreateMessageResult) {
        const bad = samplingResultProblem(params, result);
        if (bad) unsendable('sampling answer', bad);
        // The tool_use input checks load on first use: only then is the finish a promise.
        if (params.tools?.length) return samplingInputs.load().then((m) => m.samplingInputProblem(params, result, options)).then((input) => fitSample(input, result));
        return fitSample(undefined, result);
      },
    }));
  }

  /** The sampling answer as this session can carry it, or its refusal. */
  function fitSample(inputProblem: string | undefined, result: CreateMessageResult): Record<string, unknown> {
    if (inputProblem) unsendable('sampling answer', inputProblem);
    // Before 2025-11-25 the answer holds one block (protocol/sampling-content.ts).
    const fitted = fitSamplingContent(result.content, deps.protocolVersion?.());
    if (typeof fitted === 'string') return unsendable('sampling answer', fitted);
    const sent = fitted.content === result.content ? result : { ...result, content: fitted.content };
    return sent as unknown as Record<string, unknown>;
  }

  if (options.onRoots || options.roots) {
    const onRoots = options.onRoots;
    answerers.set('roots/list', answering('roots/list', {
      start: (_params, ctx) => (onRoots ? onRoots(ctx) : deps.roots()),
      finish(_params, roots: Root[]) {
        const problem = rootsProblem(roots);
        if (problem) unsendable('roots', problem);
        return { roots };
      },
    }));
  }
  return answerers;
}

/**
 * A failed answer as the 2025 server receives it (2025-11-25 basic: an error response): -32602
 * for a request refused as invalid, -32603 with the message for the application's failure (kept
 * for the call it came under, see callback-error.ts).
 */
function onWire(error: unknown, failures: InboundDeps['failures']): unknown {
  if (error instanceof InputRefusedError) return new RpcError(ErrorCode.InvalidParams, `Invalid params: ${error.problem}`);
  if (!(error instanceof CallbackError)) return error;
  if (failures && failures.push(error) > KEPT_FAILURES) failures.shift();
  return error.wire;
}

/** 2025-11-25 client/elicitation: an answer's action is accept, decline or cancel. */
function checkAction(result: ElicitResult): void {
  if (!ACTIONS.has(result?.action)) throw new McpError(LocalErrorCode.Validation, `the elicitation answer has action ${JSON.stringify(result?.action)}, not accept, decline or cancel`);
}

/** `result` without its `content` (2025-11-25 client/elicitation: content only on a form accept). */
function withoutContent(result: ElicitResult): ElicitResult {
  const { content: _dropped, ...rest } = result;
  return rest;
}

/** 2025-11-25 basic/utilities/tasks: the response to a request that serves a task MUST carry its `related-task` `_meta` too. */
function withTask(params: unknown, result: Record<string, unknown>): Record<string, unknown> {
  const task = relatedTaskOf(params);
  return task === undefined ? result : { ...result, _meta: { ...result._meta as object, [RELATED_TASK]: task } };
}

/** Install the request and notification handlers on `deps.peer`; returns the input answerers. */
export function installInbound(deps: InboundDeps): InputAnswerers {
  const { peer, options, tracker } = deps;
  const ctxOf = (rc: PeerRequest): InboundContext => new CallbackContext(rc, deps.server());
  // The 2025 server's answerers send a task's `_meta` and failures as wire errors themselves: no
  // wrapper (and its promise) around each answer. The 2026 era's rounds take them as they are.
  const legacy = createInputAnswerers(deps, { sent: withTask, wire: (failure) => onWire(failure, deps.failures) });
  for (const [method, answer] of legacy) {
    peer.onRequest(method as 'roots/list', (params, rc) => answer(params, ctxOf(rc)) as never);
  }
  const answerers = createInputAnswerers(deps);

  if (options.onLog) {
    const onLog = options.onLog;
    peer.onNotification('notifications/message', (params, extra) => {
      const ctx: NotificationContext = { relatedRequestId: extra?.relatedRequestId, server: deps.server() };
      onLog(params, ctx);
    });
  }

  const tell = (method: string, params: unknown) => options.onNotification?.(method, params as Record<string, unknown> | undefined);
  peer.onNotification('notifications/resources/updated', (params) => {
    const routed = deps.route?.('notifications/resources/updated', params as unknown as Record<string, unknown> | undefined) === true;
    if (!routed && typeof params?.uri === 'string') options.onResourceUpdated?.(params.uri);
    tell('notifications/resources/updated', params);
  });
  for (const kind of ['tools', 'prompts', 'resources'] as const satisfies readonly ListKind[]) {
    const method = `notifications/${kind}/list_changed` as const;
    peer.onNotification(method, (params) => {
      if (deps.route?.(method, params as Record<string, unknown> | undefined) !== true) options.onListChanged?.(kind);
      tell(method, params);
    });
  }
  peer.onNotification('notifications/elicitation/complete', (params) => {
    // 2025-11-25 client/elicitation: ignore ids that are unknown or already completed.
    if (typeof params?.elicitationId !== 'string' || !tracker.complete(params.elicitationId)) return;
    options.onElicitationComplete?.(params.elicitationId);
    tell('notifications/elicitation/complete', params);
  });
  peer.onNotification('notifications/tasks/status', (params) => {
    if (typeof params?.taskId === 'string') deps.taskStatus?.(params.taskId);
    tell('notifications/tasks/status', params);
  });
  return answerers;
}
