import { SENT } from '../../protocol/transport.ts';

/**
 * Steps that run one after another, never interleaved: each starts once every step queued
 * before it has settled. The legacy server's streams (server-stream.ts) run their appends,
 * writes, replays and connection changes on one.
 */
export abstract class StepChain {
  /** The last step queued, until it settles (none when idle: memory per idle session). */
  #chain: Promise<void> | undefined;

  /**
   * True when a step may be run by its caller with no chain at all: nothing is queued or
   * running, nor starting in the caller's stack (see {@link enqueue}).
   */
  protected get free(): boolean {
    return this.#chain === undefined && !starting.includes(this);
  }

  /** A step failed (its caller also gets the rejection); later steps still run. */
  protected abstract stepFailed(error: Error): void;

  /**
   * Queue `step` after every step queued before it. An idle chain (nothing queued: a
   * stream's common case, one POST's attach and then its response) starts the step at once,
   * in the caller's stack, rather than a microtask later: what it buys is two promises and a
   * microtask turn per step, two steps per SSE call (bench/README "Session 12: the legacy
   * server's CPU per SSE call"). A step queued from inside that start (a store or callback
   * that writes to the same stream) still waits for it.
   */
  protected enqueue(step: () => Promise<void>): Promise<void> {
    let previous = this.#chain;
    if (previous === undefined) {
      if (!starting.includes(this)) return this.#startNow(step);
      previous = new Promise<void>((open) => reentered.set(this, open));
    }
    const run = previous.then(step);
    this.#chain = this.#settled(run);
    return run;
  }

  /** Run `step` now (the chain is idle); later steps wait for it through `#chain`. */
  #startNow(step: () => Promise<void>): Promise<void> {
    starting.push(this);
    let run: Promise<void>;
    try {
      run = step();
    } catch (error) {
      run = Promise.reject(error as Error); // as `.then(step)` turned a throw into a rejection
    } finally {
      starting.pop();
    }
    const open = reentered.size > 0 ? reentered.get(this) : undefined;
    if (open) {
      // Steps were queued from inside this one (their `#chain` waits on `open`): open it when it settles.
      reentered.delete(this);
      void run.then(open, open);
    }
    const chain = this.#settled(run);
    this.#chain ??= chain;
    return run;
  }

  /** `run` settled: the chain is idle again unless more was queued, and a failure is reported. */
  #settled(run: Promise<void>): Promise<void> {
    const chain: Promise<void> = run.then(
      () => { if (this.#chain === chain) this.#chain = undefined; },
      (e: Error) => { if (this.#chain === chain) this.#chain = undefined; this.stepFailed(e); },
    );
    return chain;
  }
}

/**
 * What a step done at once (with no chain) gives a caller that needs a promise: one shared,
 * settled, and the transport contract's {@link SENT}, so the peer engine sees a message written
 * at once as handed on and chains no rejection handler to it (a promise and a reaction job per
 * question or notification on a stream, bench f and d).
 */
export const DONE: Promise<void> = SENT;

/** Chains whose step is starting in its caller's stack (see `enqueue`), innermost last. */
const starting: StepChain[] = [];
/** Opens the wait of steps queued from inside a starting step of their chain (rare). */
const reentered = new Map<StepChain, () => void>();
