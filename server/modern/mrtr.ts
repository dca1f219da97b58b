/**
 * Multi round-trip requests (2026-07-28 basic/patterns/mrtr): `tools/call`, `prompts/get` and
 * `resources/read` may answer `InputRequiredResult { inputRequests, requestState }`; the
 * client retries with a new id, `inputResponses` and the state echoed byte for byte. Suspended
 * handlers wait in a bounded map with a TTL; the sealed state records every answer so a
 * retry that finds no continuation re-runs the handler instead.
 */
import { ErrorCode, RpcError, type ClientCapabilities, type Timers } from '../../protocol/index.ts';
import { isObject } from '../../protocol/jsonrpc.ts';
import { Continuation, type RoundOutcome } from './continuation.ts';
import { abortedSignal, type CancelSource } from './cancel-source.ts';
import { paramsHint, paramsText, RequestStateSealer, type IssuedState, type RequestStateOptions } from './request-state.ts';

/** Methods whose params accept `inputResponses` / `requestState`. */
export const INPUT_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** Options of multi round-trip requests. */
export interface InputRoundOptions extends RequestStateOptions {
  /** Suspended handlers kept for their retry; the oldest is dropped (and re-run if retried). Default 1000. */
  maxContinuations?: number;
  /**
   * Bytes of the requests of the suspended handlers (each counted as received, else as its
   * params, plus the state sealed for its retry); past it the oldest are dropped as past
   * `maxContinuations`. A suspended handler keeps its request's arguments and `_meta`, and the
   * state it was sent (to know its retry without a second MAC). Default 64 MiB.
   */
  maxContinuationBytes?: number;
}

export const INPUT_ROUND_DEFAULTS = { maxContinuations: 1000, maxContinuationBytes: 64 * 1024 * 1024 } as const;

/** One round as the dispatcher sees it. */
export interface RoundRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly capabilities: ClientCapabilities;
  readonly principal: string;
  /** The round's cancellation; its signal is read only when used (see CancelSource). */
  readonly cancel: CancelSource;
  /** The request's size as received, when the transport knows it. */
  readonly bytes?: number | undefined;
  /**
   * The request's JSON text as received (ModernCall.text), when the transport has it: a first
   * round takes the params its state's MAC covers from it, and only if the handler asks.
   */
  readonly source?: string | undefined;
}

/** Starts the handler in a fresh continuation, or rebinds a suspended one to this round. */
export interface RoundHandler {
  start(cont: Continuation): unknown;
  resume(cont: Continuation): void;
}

/** What a round produced: a handler outcome, or the InputRequiredResult fields. */
export type RoundAnswer =
  | { readonly kind: 'done'; readonly result: unknown }
  | { readonly kind: 'input'; readonly inputRequests: Record<string, unknown>; readonly requestState: string };


/** A round that answers nothing (read only, shared). */
const NO_RESPONSES: Readonly<Record<string, unknown>> = Object.freeze({});

/** A suspended handler, when it expires, the bytes counted for it and the state sealed for its retry. */
interface Waiting {
  readonly cont: Continuation;
  readonly expiresAt: number;
  readonly bytes: number;
  readonly issued: IssuedState;
}

/** The suspended handlers of one server and the key that seals their states. */
export class InputRounds {
  readonly #sealer: RequestStateSealer;
  readonly #max: number;
  readonly #maxBytes: number;
  /** Bytes counted for the suspended handlers kept now. */
  #bytes = 0;
  readonly #timers: Timers;
  /**
   * id -> continuation and when it expires; insertion order is age order and, the TTL being
   * one for all, expiry order. One sweep timer serves them all (armed for the oldest): a
   * timer per suspension (set, unref, clear, and Node's per-duration list made and dropped
   * each time, with the native timer re-armed) was work on every multi round trip.
   */
  readonly #waiting = new Map<string, Waiting>();
  /** The sweep timer, while one is armed. */
  #sweep: unknown;

  constructor(options: InputRoundOptions, timers: Timers) {
    this.#sealer = new RequestStateSealer(options);
    this.#max = options.maxContinuations ?? INPUT_ROUND_DEFAULTS.maxContinuations;
    this.#maxBytes = options.maxContinuationBytes ?? INPUT_ROUND_DEFAULTS.maxContinuationBytes;
    this.#timers = timers;
  }

  get size(): number { return this.#waiting.size; }

  /**
   * Play one round of `round`: open the echoed state (if any), resume its continuation or
   * start `start` in a fresh one, and wait for the handler to finish or ask again.
   */
  async play(round: RoundRequest, handler: RoundHandler): Promise<RoundAnswer> {
    const { params } = round;
    const responses = params.inputResponses ?? {};
    if (!isObject(responses)) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: inputResponses must be an object of results by input key');
    for (const [key, value] of Object.entries(responses)) {
      if (!isObject(value)) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: inputResponses[${JSON.stringify(key)}] must be a result object`, { key });
    }
    // The text the state's MAC covers. A retry needs it now (to open its state). A first round
    // needs it only if the handler asks, and then as the client sent it: read from the request's
    // text at the ask if the transport kept it (a call that never asks skips the key sort and
    // the JSON.stringify per key and value), else taken now, before the handler can change its
    // arguments.
    const retry = params.requestState !== undefined;
    const text = retry || round.source === undefined ? paramsText(params) : undefined;
    const state = retry ? await this.#sealer.open(params.requestState, round.method, text!, round.principal, this.#timers.now(), this.#issued) : undefined;
    // Cancelled before the round or while the state was being checked: start nothing.
    const aborted = abortedSignal(round.cancel);
    if (aborted) throw aborted.reason;
    let cont = state ? this.#take(state.continuation) : undefined;
    if (!cont) {
      // No continuation (first round, restart, another instance): run the handler with
      // every answer recorded so far; its questions replay from them. A new id: the instance
      // that sealed this state may still hold a continuation under the old one, a round behind.
      // Read only (continuation.ts): the client's own object serves a first round, no copy.
      cont = new Continuation(state ? { ...state.answers, ...responses } : responses, round.capabilities);
      const fresh = cont;
      const outcome = fresh.round(responses, round.cancel, round.capabilities);
      fresh.start(() => handler.start(fresh));
      return this.#answer(await outcome, fresh, round, text);
    }
    handler.resume(cont);
    return this.#answer(await cont.round(responses, round.cancel, round.capabilities), cont, round, text);
  }

  /**
   * A first round that ran its handler outside a continuation (the dispatcher's, for a call
   * with nothing answered and its text kept), whose handler then asked: `cont` (made at the
   * ask) follows what the handler returned, and the round ends as `play`'s would.
   */
  async asked(cont: Continuation, returned: unknown, round: RoundRequest): Promise<RoundAnswer> {
    cont.adopt(returned);
    return this.#answer(await cont.round(NO_RESPONSES, round.cancel, round.capabilities), cont, round, undefined);
  }

  /** Drop every suspended handler (the server is closing). */
  close(reason: unknown): void {
    if (this.#sweep !== undefined) this.#timers.clearTimeout(this.#sweep);
    this.#sweep = undefined;
    for (const { cont } of this.#waiting.values()) cont.drop(reason);
    this.#waiting.clear();
    this.#bytes = 0;
  }

  async #answer(outcome: RoundOutcome, cont: Continuation, round: RoundRequest, taken: string | undefined): Promise<RoundAnswer> {
    if (outcome.kind === 'done') return outcome;
    if (outcome.kind === 'failed') throw outcome.error;
    const params = taken ?? sentParamsText(round.source);
    const inputRequests: Record<string, unknown> = {};
    for (const [key, request] of outcome.requests) {
      inputRequests[key] = request.params === undefined ? { method: request.method } : { method: request.method, params: request.params };
    }
    const issued = await this.#sealer.issue({
      continuation: cont.id, method: round.method, paramsHint: paramsHint(params), principal: round.principal,
      expiresAt: this.#timers.now() + this.#sealer.ttlMs, nonce: RequestStateSealer.nonce(), answers: cont.recorded,
    }, params);
    // Its params (arguments) and state are texts made already: no serialising to count them.
    // The state is kept with it (IssuedState), so it counts beside the request as received.
    this.#keep(cont, (round.bytes ?? params.length) + issued.state.length, issued);
    return { kind: 'input', inputRequests, requestState: issued.state };
  }

  /** What was issued for a continuation still kept: its retry to this instance needs no second HMAC. */
  readonly #issued = (continuation: string): IssuedState | undefined => this.#waiting.get(continuation)?.issued;

  #keep(cont: Continuation, bytes: number, issued: IssuedState): void {
    for (;;) {
      const limit = this.#waiting.size >= this.#max ? 'maxContinuations'
        : this.#waiting.size > 0 && this.#bytes + bytes > this.#maxBytes ? 'maxContinuationBytes' : undefined;
      if (limit === undefined) break;
      const [oldest, entry] = this.#waiting.entries().next().value as [string, Waiting];
      this.#waiting.delete(oldest);
      this.#bytes -= entry.bytes;
      entry.cont.drop(new RpcError(ErrorCode.InternalError, `the suspended request was dropped (${limit})`));
    }
    this.#waiting.set(cont.id, { cont, expiresAt: this.#timers.now() + this.#sealer.ttlMs, bytes, issued });
    this.#bytes += bytes;
    if (this.#sweep === undefined) this.#arm(this.#sealer.ttlMs);
  }

  /** Arm the sweep timer `ms` from now (unref'd: suspended handlers keep no process alive). */
  #arm(ms: number): void {
    const timer = this.#timers.setTimeout(() => this.#expire(), ms);
    (timer as { unref?: () => void }).unref?.();
    this.#sweep = timer;
  }

  /** Drop the expired continuations (the oldest first) and arm the timer for the next one. */
  #expire(): void {
    this.#sweep = undefined;
    const now = this.#timers.now();
    for (const [id, entry] of this.#waiting) {
      if (entry.expiresAt > now) {
        this.#arm(entry.expiresAt - now);
        return;
      }
      this.#waiting.delete(id);
      this.#bytes -= entry.bytes;
      entry.cont.drop(new RpcError(ErrorCode.InternalError, 'the suspended request expired'));
    }
  }

  #take(id: string): Continuation | undefined {
    const entry = this.#waiting.get(id);
    if (!entry) return undefined;
    this.#waiting.delete(id);
    this.#bytes -= entry.bytes;
    return entry.cont;
  }
}

/**
 * The MAC text of the params in `source`, the request's JSON text as received: read again
 * rather than from the params the handler was given, which it may have changed before asking.
 * The text parsed once already (within the transport's depth limit), so it parses again.
 */
function sentParamsText(source: string | undefined): string {
  const message = JSON.parse(source!) as { params?: unknown };
  return paramsText(isObject(message.params) ? message.params : {});
}
