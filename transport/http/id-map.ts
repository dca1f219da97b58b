/**
 * Request ids to values, the first entry held in two fields and a Map made only for a
 * second: a session's requests in flight and the stream carrying each (server-session.ts),
 * a POST stream's requests still owed a response (server-stream.ts). What it buys: a
 * session calling one at a time made a Map and a Set per call, and V8 reallocates a table
 * when its last entry is deleted: ~140 ns and ~500 B per call (bench/README "Session 13:
 * the legacy server's CPU per call"). Ids compare strictly, as a Map's keys (JSON gives no NaN).
 */
import type { RequestId } from '../../protocol/index.ts';

export class IdMap<V> {
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

  /** True when `id` was there (as `Map.delete`). */
  delete(id: RequestId): boolean {
    if (this.#more) return this.#more.delete(id);
    if (this.#id === undefined || this.#id !== id) return false;
    this.#id = undefined;
    this.#value = undefined;
    return true;
  }

  /** The ids, in the order they were set. */
  keys(): RequestId[] {
    if (this.#more) return [...this.#more.keys()];
    return this.#id === undefined ? [] : [this.#id];
  }

  /** The values, in the order their ids were set. */
  values(): V[] {
    if (this.#more) return [...this.#more.values()];
    return this.#id === undefined ? [] : [this.#value!];
  }
}
