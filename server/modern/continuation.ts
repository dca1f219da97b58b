/**
 * One suspended handler of a multi round-trip request (2026-07-28 basic/patterns/mrtr). `req.input()`
 * either answers from what the client already said (recorded in the sealed state, or given
 * in this round's `inputResponses`) or parks the call; once the handler has parked every
 * input it asks for at once (a turn of the event loop later), the round ends with those
 * requests. The retry answers the parked calls and the same handler goes on; when the
 * continuation is gone (restart, another instance) a fresh one re-runs the handler and the
 * recorded answers replay its earlier questions.
 */
import { LocalErrorCode, McpError, type ClientCapabilities } from '../../protocol/index.ts';
import { askNeeds, clientCapabilityFor, hasCapability } from '../../protocol/capabilities.ts';
import type { InputOptions, InputRequest } from '../input.ts';
import { RequestStateSealer } from './request-state.ts';
import { abortedSignal, type CancelSource } from './cancel-source.ts';
import { MissingCapabilityError } from '../capability-error.ts';

/** How a round ended. */
export type RoundOutcome =
  | { readonly kind: 'done'; readonly result: unknown }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'input'; readonly requests: ReadonlyMap<string, InputRequest> };

interface Parked {
  readonly request: InputRequest;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const SHORT: Record<InputRequest['method'], string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/**
 * Run `fn` once the handler's pending promise work has settled, so calls made together park
 * together. Where the runtime has `process.nextTick`: a microtask that queues a tick, which
 * Node runs only after the whole microtask queue has drained (ticks never interleave with a
 * drain). The earlier `setImmediate` cost a pass of the event loop per round trip and kept
 * Node's `processImmediate` cold until the m-f row's timed window, where TurboFan compiled
 * it (~35 ms on a helper thread; bench/README "Session 8: m-f"). Elsewhere: setImmediate, or
 * setTimeout(0) (which waits at least a millisecond).
 */
const tick = (globalThis as { process?: { nextTick?: (fn: () => void) => void } }).process?.nextTick;
const nextTurn: (fn: () => void) => void = typeof tick === 'function' ? (fn) => { queueMicrotask(() => tick(fn)); }
  : typeof setImmediate === 'function' ? (fn) => { setImmediate(fn); } : (fn) => { setTimeout(fn, 0); };

function cancelReason(signal: AbortSignal): unknown {
  return signal.reason ?? new McpError(LocalErrorCode.Aborted, 'the client cancelled the request');
}

/** A handler run that may span several requests. */
export class Continuation {
  #id: string | undefined;
  /**
   * Every answer offered so far, by key (some may name nothing the handler asks); once the
   * handler parks, only those it used (see {@link #schedule}).
   */
  #answers: Record<string, unknown>;
  /** The answers the handler used: what a re-run needs, and all the sealed state keeps. */
  readonly #used: Record<string, unknown> = {};
  /**
   * Aborts the handler: the client cancelled a round, or the continuation was dropped. Made
   * on first use: most handlers never read their signal, and an AbortController with its
   * signal was ~1.5% of the m-b-json server's cpu profile.
   */
  #abort: AbortController | undefined;
  /** The calls waiting for an answer; made at the first (most calls never ask: a Map less a call). */
  #parked: Map<string, Parked> | undefined;
  #calls = 0;
  #outcome: RoundOutcome | undefined;
  #waiter: ((outcome: RoundOutcome) => void) | undefined;
  #scheduled = false;
  /** The capabilities the current round's client declared. */
  capabilities: ClientCapabilities;
  /** What the caller attaches to this run (the dispatcher: the handler's `req`). */
  owner: unknown;
  /** The current round's cancellation; its signal is followed only once the handler holds its own. */
  #cancel: CancelSource | undefined;
  /** Removes the link to the current round's signal. */
  #unlink: (() => void) | undefined;

  /** `cancel`: the round it starts in, when made while that round's handler already runs (ModernRequest). */
  constructor(answers: Record<string, unknown>, capabilities: ClientCapabilities, cancel?: CancelSource) {
    this.#answers = answers;
    this.capabilities = capabilities;
    this.#cancel = cancel;
  }

  /**
   * The id its sealed states name; drawn when first asked (a state is sealed), so a call that
   * completes in its first round draws no random bytes.
   */
  get id(): string { return (this.#id ??= RequestStateSealer.nonce()); }

  get signal(): AbortSignal {
    if (!this.#abort) {
      this.#abort = new AbortController();
      this.#follow();
    }
    return this.#abort.signal;
  }

  /** The answers the handler has used so far, by key. */
  get recorded(): Readonly<Record<string, unknown>> { return this.#used; }

  /** Start the handler (once). */
  start(run: () => unknown): void {
    let returned: unknown;
    try {
      returned = run();
    } catch (error) {
      this.#settle({ kind: 'failed', error });
      return;
    }
    this.adopt(returned);
  }

  /** Follow a handler already started (what it returned) to its outcome. */
  adopt(returned: unknown): void {
    Promise.resolve(returned).then(
      (result) => this.#settle({ kind: 'done', result }),
      (error: unknown) => this.#settle({ kind: 'failed', error }),
    );
  }

  /** `req.input()` of the handler's request. */
  input(request: InputRequest, options: InputOptions | undefined): Promise<unknown> {
    this.#calls++;
    const key = options?.key ?? `${SHORT[request.method]}-${this.#calls}`;
    if (Object.hasOwn(this.#answers, key)) {
      this.#used[key] = this.#answers[key];
      return Promise.resolve(this.#answers[key]);
    }
    // 2026-07-28 basic/patterns/mrtr: never ask for what the client did not declare (-32021).
    const path = clientCapabilityFor(request.method);
    if (path && !hasCapability(this.capabilities, path)) {
      return Promise.reject(new MissingCapabilityError(`Missing required client capability: ${path.join('.')} (needed for ${request.method})`, path));
    }
    // 2026-07-28 client/elicitation (modes) and client/sampling (tools, context): the sub-capability too.
    const needs = askNeeds(request.method, request.params, this.capabilities);
    if (needs) return Promise.reject(new MissingCapabilityError(`Missing required client capability: ${needs.path.join('.')} (${needs.why})`, needs.path));
    if (this.#abort?.signal.aborted) return Promise.reject(this.#abort.signal.reason);
    const parkedNow = (this.#parked ??= new Map());
    if (parkedNow.has(key)) return Promise.reject(new McpError(LocalErrorCode.Validation, `input key ${JSON.stringify(key)} is used twice in one request`));
    return new Promise((resolve, reject) => {
      parkedNow.set(key, { request, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Play one round: answer the parked calls from `responses` (keys nobody asked are ignored),
   * follow the round's `signal`, and resolve when the handler finishes or parks again.
   */
  round(responses: Readonly<Record<string, unknown>>, cancel: CancelSource, capabilities: ClientCapabilities): Promise<RoundOutcome> {
    this.capabilities = capabilities;
    this.#cancel = cancel;
    // A handler that never read its signal cannot see an abort: the round's signal (made on
    // first read over HTTP, with a listener per round: ~4% of the m-b-json server's
    // in-process profile) is followed only once it has; a parked call checks it below.
    if (this.#abort) this.#follow();
    if (this.#parked) for (const [key, parked] of [...this.#parked]) {
      if (!Object.hasOwn(responses, key)) continue;
      this.#used[key] = responses[key];
      this.#parked.delete(key);
      parked.resolve(responses[key]);
    }
    return new Promise((resolve) => {
      this.#waiter = resolve;
      if (this.#outcome) this.#deliver(this.#outcome);
      else if (this.#parked && this.#parked.size > 0) this.#schedule();
    });
  }

  /** Stop the handler: its parked calls reject, its signal aborts. */
  drop(reason: unknown): void {
    this.#unlink?.();
    this.#abort ??= new AbortController();
    if (!this.#abort.signal.aborted) this.#abort.abort(reason);
    if (!this.#parked) return;
    for (const parked of this.#parked.values()) parked.reject(reason);
    this.#parked.clear();
  }

  /** Abort the handler when the current round's signal aborts (until the round ends). */
  #follow(): void {
    this.#unlink?.();
    this.#unlink = undefined;
    const signal = this.#cancel?.signal;
    if (!signal) return;
    const onAbort = () => this.drop(cancelReason(signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    this.#unlink = () => signal.removeEventListener('abort', onAbort);
  }

  #settle(outcome: RoundOutcome): void {
    this.#outcome = outcome;
    if (this.#waiter) this.#deliver(outcome);
  }

  #deliver(outcome: RoundOutcome): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    this.#unlink?.();
    this.#unlink = undefined;
    this.#cancel = undefined;
    waiter?.(outcome);
  }

  /** Once the handler's pending promise work has run after a call parks, so calls made together are asked together. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    nextTurn(() => {
      this.#scheduled = false;
      if (this.#outcome || !this.#waiter || !this.#parked || this.#parked.size === 0) return;
      // The round was cancelled while the handler ran: its parked calls fail, no question goes out.
      const aborted = abortedSignal(this.#cancel);
      if (aborted) {
        this.drop(cancelReason(aborted));
        return;
      }
      const requests = new Map([...this.#parked].map(([key, p]) => [key, p.request] as const));
      // Suspended for its retry (up to maxContinuations of them, for the state's TTL): the
      // answers offered that the handler did not use are let go. A client's inputResponses of
      // 60 000 keys nobody asked for were kept, ~16 MB each (basic/patterns/mrtr: the retry answers
      // what this round asks).
      this.#answers = this.#used;
      this.#deliver({ kind: 'input', requests });
    });
  }
}
