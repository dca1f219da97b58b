/**
 * The requests a POST stream still owes responses to (server-stream.ts). One request, every
 * POST but a batch's, is held in a field; a Set is made only for a second. What it buys: no
 * Set made per POST and none shrunk (V8 reallocates a Set's table when its last entry is
 * deleted): ~65 ns and ~300 B of each call (bench/README "Session 13: the legacy server's
 * CPU per call").
 */
import type { RequestId } from '../../protocol/index.ts';

export class PendingIds {
  #one: RequestId | undefined;
  #more: Set<RequestId> | undefined;

  get size(): number {
    if (this.#more) return this.#more.size;
    return this.#one === undefined ? 0 : 1;
  }

  add(id: RequestId): void {
    if (this.#more) this.#more.add(id);
    else if (this.#one === undefined || this.#one === id) this.#one = id;
    else {
      this.#more = new Set([this.#one, id]);
      this.#one = undefined;
    }
  }

  /** True when `id` was pending (as `Set.delete`). */
  delete(id: RequestId): boolean {
    if (this.#more) return this.#more.delete(id);
    if (this.#one === undefined || this.#one !== id) return false;
    this.#one = undefined;
    return true;
  }

  /** The ids still pending, in the order they were added. */
  ids(): RequestId[] {
    if (this.#more) return [...this.#more];
    return this.#one === undefined ? [] : [this.#one];
  }
}
