/**
 * When JSON replies still owed turn to SSE (`jsonSseAfterMs`, server-stream.ts): one timer
 * for all of a server's replies rather than one per JSON POST. The bound is the same for
 * every reply, so the replies wait in a list in the order they fall due; a reply made in
 * time leaves it in O(1), and the timer is armed for the oldest one still owed. What it
 * buys: no setTimeout, clearTimeout and unref (two of them calls into Node's timer binding)
 * and no Timeout object per JSON POST, ~0.4 µs and ~170 B of each (bench/README "Session 12:
 * the legacy server's per-call work with JSON replies"). A reply turns when its time comes,
 * as with a timer of its own (the shared timer may wake for a reply made since, then sleeps
 * again until the next one is due).
 */
import type { Timers } from '../../protocol/index.ts';

/** What a reply still owed does when its time comes. */
export interface LateReply {
  turnLate(): void;
}

/** A reply waiting in the list (undefined links at its ends, or once it left). */
export interface DueTurn {
  readonly due: number;
  readonly reply: LateReply;
  older: DueTurn | undefined;
  newer: DueTurn | undefined;
}

/** The replies of one server that turn to SSE once owed for `afterMs`. */
export class JsonSseTurns {
  readonly #timers: Timers;
  readonly #afterMs: number;
  #oldest: DueTurn | undefined;
  #newest: DueTurn | undefined;
  #timer: unknown;

  constructor(timers: Timers, afterMs: number) {
    this.#timers = timers;
    this.#afterMs = Math.max(0, afterMs);
  }

  /** `reply.turnLate()` runs after `afterMs` unless {@link cancel} is called first. */
  add(reply: LateReply): DueTurn {
    const turn: DueTurn = { due: this.#timers.now() + this.#afterMs, reply, older: this.#newest, newer: undefined };
    if (this.#newest) this.#newest.newer = turn;
    else this.#oldest = turn;
    this.#newest = turn;
    if (this.#timer === undefined) this.#arm(this.#afterMs);
    return turn;
  }

  /** The reply was made (or its stream closed): it no longer turns. Harmless when it already left. */
  cancel(turn: DueTurn): void {
    if (turn.older) turn.older.newer = turn.newer;
    else if (this.#oldest === turn) this.#oldest = turn.newer;
    if (turn.newer) turn.newer.older = turn.older;
    else if (this.#newest === turn) this.#newest = turn.older;
    turn.older = undefined;
    turn.newer = undefined;
  }

  /** Server closing: no reply turns any more. */
  stop(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#oldest = undefined;
    this.#newest = undefined;
  }

  #arm(ms: number): void {
    this.#timer = this.#timers.setTimeout(() => this.#fire(), ms);
    // Unref'd, as each reply's own timer was: a reply still owed does not keep the process up.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.#timers.now();
    let turn = this.#oldest;
    while (turn !== undefined && turn.due <= now) {
      this.cancel(turn);
      turn.reply.turnLate();
      turn = this.#oldest;
    }
    // The timers' clock and `now()` may differ by a millisecond: at least 1 ms, never a busy loop.
    if (turn !== undefined) this.#arm(Math.max(1, turn.due - now));
  }
}
