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
import { LiveList, type LiveEntry } from './live-list.ts';

/** What a reply still owed does when its time comes. */
export interface LateReply {
  turnLate(): void;
}

/** A reply waiting in the list, in the order it falls due; `remove` it once it no longer turns. */
export type DueTurn = LiveEntry<{ readonly due: number; readonly reply: LateReply }>;

/** The replies of one server that turn to SSE once owed for `afterMs`. */
export class JsonSseTurns {
  readonly #timers: Timers;
  readonly #afterMs: number;
  #owed = new LiveList<{ readonly due: number; readonly reply: LateReply }>();
  #timer: unknown;

  constructor(timers: Timers, afterMs: number) {
    this.#timers = timers;
    this.#afterMs = Math.max(0, afterMs);
  }

  /** `reply.turnLate()` runs after `afterMs` unless {@link cancel} is called first. */
  add(reply: LateReply): DueTurn {
    const turn = this.#owed.add({ due: this.#timers.now() + this.#afterMs, reply });
    if (this.#timer === undefined) this.#arm(this.#afterMs);
    return turn;
  }

  /** The reply was made (or its stream closed): it no longer turns. Harmless when it already left. */
  cancel(turn: DueTurn): void {
    this.#owed.remove(turn);
  }

  /** Server closing: no reply turns any more. */
  stop(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#owed = new LiveList();
  }

  #arm(ms: number): void {
    this.#timer = this.#timers.setTimeout(() => this.#fire(), ms);
    // Unref'd, as each reply's own timer was: a reply still owed does not keep the process up.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.#timers.now();
    let turn = this.#owed.first;
    while (turn !== undefined && turn.value.due <= now) {
      this.#owed.remove(turn);
      turn.value.reply.turnLate();
      turn = this.#owed.first;
    }
    // The timers' clock and `now()` may differ by a millisecond: at least 1 ms, never a busy loop.
    if (turn !== undefined) this.#arm(Math.max(1, turn.value.due - now));
  }
}
