/**
 * The session's requests in flight, each with the stream that carries its response
 * (server-session.ts). The first route is held in two fields; a Map is made only when a
 * second request is in flight at once. What it buys: a session answering one call at a time
 * (every client of bench c and c-json) made a Map for each call and dropped it at the
 * response: ~70 ns and ~200 B per call (bench/README "Session 13: the legacy server's CPU
 * per call").
 */
import type { RequestId } from '../../protocol/index.ts';

export class RequestRoutes<V> {
  #id: RequestId | undefined;
  #value: V | undefined;
  #more: Map<RequestId, V> | undefined;

  get size(): number {
    if (this.#more) return this.#more.size;
    return this.#id === undefined ? 0 : 1;
  }

  get(id: RequestId): V | undefined {
    if (this.#more) return this.#more.get(id);
    return this.#id !== undefined && this.#id === id ? this.#value : undefined;
  }

  has(id: RequestId): boolean {
    if (this.#more) return this.#more.has(id);
    return this.#id !== undefined && this.#id === id;
  }

  set(id: RequestId, value: V): void {
    if (this.#more) this.#more.set(id, value);
    else if (this.#id === undefined || this.#id === id) {
      this.#id = id;
      this.#value = value;
    } else {
      this.#more = new Map([[this.#id, this.#value!], [id, value]]);
      this.#id = undefined;
      this.#value = undefined;
    }
  }

  delete(id: RequestId): boolean {
    if (this.#more) return this.#more.delete(id);
    if (this.#id === undefined || this.#id !== id) return false;
    this.#id = undefined;
    this.#value = undefined;
    return true;
  }

  /** The values, in the order their routes were set. */
  values(): V[] {
    if (this.#more) return [...this.#more.values()];
    return this.#id === undefined ? [] : [this.#value!];
  }
}
