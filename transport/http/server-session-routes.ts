/**
 * Which stream of a session carries what (server-session.ts): the client's requests in flight,
 * each on the POST stream that will carry its response (2025-11-25 basic/transports: every
 * message on exactly one stream), and the live streams a client may resume by token. Each map
 * is made on first use and dropped when empty: an idle session (most of a busy server's)
 * carries none.
 */
import type { JsonRpcRequest, RequestId } from '../../protocol/index.ts';
import { repeatedId } from '../../protocol/batch.ts';
import { IdMap } from './id-map.ts';
import type { ServerStream } from './server-stream.ts';

export class SessionRoutes {
  #byRequest: IdMap<ServerStream> | undefined;
  #byToken: Map<string, ServerStream> | undefined;

  /** True while a request of the client is running. */
  get busy(): boolean { return this.#byRequest !== undefined; }

  /** The stream that carries the response to request `id`, while it runs. */
  carrier(id: RequestId): ServerStream | undefined {
    return this.#byRequest?.get(id);
  }

  /**
   * Why `requests` cannot start here: an id already in flight, or one id twice in the POST
   * (2025-03-26 basic: an id is never reused in a session; one POST cannot answer two requests
   * under one id). `id` is the refused request's, when one alone is refused.
   */
  clash(requests: readonly JsonRpcRequest[]): { detail: string; id?: RequestId } | undefined {
    for (const r of requests) {
      if (this.carrier(r.id)) return { detail: `request id ${JSON.stringify(r.id)} is already in flight`, id: r.id };
    }
    const twice = requests.length > 1 ? repeatedId(requests) : undefined;
    return twice === undefined ? undefined : { detail: `request id ${JSON.stringify(twice)} appears twice in the batch` };
  }

  /** `stream` carries the responses to `requests` (each pending on it until answered). */
  route(requests: ReadonlyArray<{ id: RequestId }>, stream: ServerStream): void {
    const byRequest = (this.#byRequest ??= new IdMap());
    for (const r of requests) {
      stream.pending!.set(r.id, true);
      byRequest.set(r.id, stream);
    }
  }

  /** Forget request `id` (it is routed: callers found its stream). */
  unroute(id: RequestId): void {
    const byRequest = this.#byRequest!;
    // The last one: the routes are dropped, so an idle session holds none (see `busy`).
    if (byRequest.size === 1) this.#byRequest = undefined;
    else byRequest.delete(id);
  }

  /** Forget every request `stream` carries (they never ran: the store refused the stream). */
  unrouteAll(stream: ServerStream): void {
    for (const id of stream.pending!.keys()) {
      stream.pending!.delete(id);
      this.unroute(id);
    }
  }

  /** The live stream resumable with `token`, if any (the standalone stream is the session's own). */
  resumable(token: string): ServerStream | undefined {
    return this.#byToken?.get(token);
  }

  addToken(token: string, stream: ServerStream): void {
    (this.#byToken ??= new Map()).set(token, stream);
  }

  /** `stream` is finished: no longer resumed live by its token. */
  dropTokens(stream: ServerStream): void {
    const byToken = this.#byToken;
    if (!byToken) return;
    for (const [token, s] of byToken) if (s === stream) byToken.delete(token);
    if (byToken.size === 0) this.#byToken = undefined;
  }

  /** Every stream routed or resumable, once each. */
  streams(): Set<ServerStream> {
    return new Set([...this.#byRequest?.values() ?? [], ...this.#byToken?.values() ?? []]);
  }

  /** True while a stream carrying a request has its connection open. */
  get connected(): boolean {
    if (this.#byRequest) for (const s of this.#byRequest.values()) if (s.connected) return true;
    return false;
  }
}
