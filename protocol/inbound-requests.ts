/**
 * The inbound-request table of one peer: request id -> the request being handled, so a
 * duplicate id is refused, the peer's `notifications/cancelled` reaches the right handler
 * (2025-11-25 basic/utilities/cancellation) and closing the peer aborts every handler.
 */
import { CancelledByPeer } from './cancellation.ts';
import { LocalErrorCode, McpError } from './errors.ts';
import type { RequestId } from './jsonrpc.ts';
import type { HeldQuestion, QuestionOwner } from './outbound.ts';

/**
 * One inbound request being handled. Its AbortSignal is made on first use: creating an
 * AbortController's signal costs microseconds, and most handlers finish without ever
 * looking at it. Aborting before then records the reason, and the signal is born aborted.
 * The questions its handler asks (request-context.ts) are held here while pending, and fail
 * when it is aborted: no signal made nor listener added a question (bench f).
 */
export class InFlightRequest implements QuestionOwner {
  readonly id: RequestId;
  readonly method: string;
  /** The peer cancelled it (or this peer closed): its response is withheld. */
  cancelled = false;
  /** The request of ours it was asked for, while that one was pending (see {@link InboundRequests.abortRelated}). */
  related: RequestId | undefined;
  /** Asked on one channel, where nothing names the request of ours it is for: the ones pending then, until they end. */
  #candidates: Set<RequestId> | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  /** The questions asked on its behalf and still pending: one in the field, several in a set. */
  #asked: HeldQuestion | Set<HeldQuestion> | undefined;

  constructor(id: RequestId, method: string) {
    this.id = id;
    this.method = method;
  }

  /** Aborted when the peer cancels, or this peer closes. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** A question asked on its behalf is pending. */
  hold(question: HeldQuestion): void {
    const asked = this.#asked;
    if (asked === undefined) this.#asked = question;
    else if (asked instanceof Set) asked.add(question);
    else this.#asked = new Set([asked, question]);
  }

  /** That question ended. */
  release(question: HeldQuestion): void {
    const asked = this.#asked;
    if (asked === question) this.#asked = undefined;
    else if (asked instanceof Set && asked.delete(question) && asked.size === 0) this.#asked = undefined;
  }

  /** It was asked while `ids` (ours) were pending, for one of them, but which is not known. */
  askedDuring(ids: readonly RequestId[]): void {
    if (ids.length === 1) this.related = ids[0];
    else this.#candidates = new Set(ids);
  }

  /** Our request `id` (`method`) ended: abort if it was the one asked for, or the last it could be. */
  relatedEnded(id: RequestId, method: string): void {
    if (this.related === id) {
      this.abort(new McpError(LocalErrorCode.Aborted, `${method} ${JSON.stringify(id)}, which this request was asked for, has ended`));
    } else if (this.#candidates?.delete(id) === true && this.#candidates.size === 0) {
      this.abort(new McpError(LocalErrorCode.Aborted,
        `${method} ${JSON.stringify(id)} has ended, the last of the requests of ours pending when this one was asked (it was asked for one of them; nothing on this channel says which)`));
    }
  }

  /**
   * Abort the handler, and fail the questions it still waits on (2025-11-25
   * basic/utilities/cancellation: each is cancelled in turn, since nothing will read its answer).
   */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const asked = this.#asked;
    if (asked === undefined) return;
    this.#asked = undefined; // their release finds nothing to do
    if (asked instanceof Set) for (const question of asked) question.ownerAborted(reason);
    else asked.ownerAborted(reason);
  }
}

/** In-flight inbound requests of one peer. */
export interface InboundRequests {
  /** Track a new inbound request; undefined when its id is already in flight. */
  begin(id: RequestId, method: string): InFlightRequest | undefined;
  /** Stop tracking; returns true when the response must be withheld (it was cancelled). */
  end(id: RequestId): boolean;
  /** The peer cancelled `id`: abort its handler. Unknown or finished ids are ignored. */
  cancel(id: RequestId, reason: string | undefined): boolean;
  /**
   * Our request `related` (`method`) has ended (answered, failed, timed out or abandoned by
   * our caller): the handlers of the peer's requests asked for it, or asked on one channel
   * while only it and others now ended were pending, are aborted. Their answers still go out,
   * so the peer is never left waiting; a peer that does cancel its question withholds them.
   */
  abortRelated(related: RequestId, method: string): void;
  /** Abort every handler (peer closed). */
  abortAll(reason: Error): void;
  readonly size: number;
}

export function createInboundRequests(): InboundRequests {
  return new InFlightTable();
}

/**
 * The table behind {@link createInboundRequests}: one small object per peer. The request in
 * flight when there is one is held in two fields, a map only while several are: a map once
 * made keeps its table, and a server's peers (one per HTTP session) mostly sit idle after
 * handling `initialize` (memory per idle session, bench g).
 */
class InFlightTable implements InboundRequests {
  #oneId: RequestId | undefined;
  #one: InFlightRequest | undefined;
  /** Every request in flight, while there are two or more (then `#one` is unused). */
  #many: Map<RequestId, InFlightRequest> | undefined;

  begin(id: RequestId, method: string): InFlightRequest | undefined {
    const many = this.#many;
    if (many) {
      if (many.has(id)) return undefined;
      const entry = new InFlightRequest(id, method);
      many.set(id, entry);
      return entry;
    }
    const entry = new InFlightRequest(id, method);
    const one = this.#one;
    if (one === undefined) {
      this.#oneId = id;
      this.#one = entry;
      return entry;
    }
    if (this.#oneId === id) return undefined;
    this.#many = new Map<RequestId, InFlightRequest>([[this.#oneId!, one], [id, entry]]);
    this.#oneId = undefined;
    this.#one = undefined;
    return entry;
  }

  end(id: RequestId): boolean {
    const entry = this.#get(id);
    if (!entry) return false;
    const many = this.#many;
    if (many) {
      many.delete(id);
      if (many.size === 0) this.#many = undefined;
    } else {
      this.#oneId = undefined;
      this.#one = undefined;
    }
    return entry.cancelled;
  }

  cancel(id: RequestId, reason: string | undefined): boolean {
    const entry = this.#get(id);
    // 2025-11-25 lifecycle: "The initialize request MUST NOT be cancelled by clients".
    if (!entry || entry.method === 'initialize') return false;
    entry.cancelled = true;
    entry.abort(new CancelledByPeer(reason));
    return true;
  }

  abortRelated(related: RequestId, method: string): void {
    if (this.#one) return this.#one.relatedEnded(related, method);
    if (this.#many) for (const entry of this.#many.values()) entry.relatedEnded(related, method);
  }

  abortAll(reason: Error): void {
    const entries = this.#many ? [...this.#many.values()] : this.#one ? [this.#one] : [];
    this.#many = undefined;
    this.#oneId = undefined;
    this.#one = undefined;
    for (const entry of entries) {
      entry.cancelled = true;
      entry.abort(reason);
    }
  }

  get size(): number {
    return this.#many?.size ?? (this.#one ? 1 : 0);
  }

  #get(id: RequestId): InFlightRequest | undefined {
    return this.#many ? this.#many.get(id) : this.#oneId === id ? this.#one : undefined;
  }
}
