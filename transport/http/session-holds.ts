/**
 * Shared store: the local copies of sessions that requests are being admitted to (loaded,
 * checked against the store, their message handed over), with how many such requests. The
 * idle sweep and eviction leave a held copy be: between the admission's awaits on the store
 * the machine may stall past `sessionIdleMs`, and a copy dropped then answered 404 for a
 * session that lives on (issue #18).
 */
export class SessionHolds<S> {
  readonly #count = new Map<S, number>();

  /** Hold `session`; returns the function that lets it go (call it once). */
  hold(session: S): () => void {
    this.#count.set(session, (this.#count.get(session) ?? 0) + 1);
    return () => {
      const left = this.#count.get(session)! - 1;
      if (left > 0) this.#count.set(session, left);
      else this.#count.delete(session);
    };
  }

  /** True while some request holds `session`. */
  held(session: S): boolean { return this.#count.has(session); }
}
