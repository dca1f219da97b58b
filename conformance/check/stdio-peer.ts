import type { Obj } from '../validate-schema-checks.ts';
/**
 * What the stdio probes that watch a whole exchange need of a server process: write a message
 * as one line, watch every message it writes, and wait for the next one a test picks, with a
 * bound. The process itself (spawn, framing, exit) stays with the probe that started it.
 */

/** One server process's line channel, as the stdio probes see it. */
export interface LinePeer {
  /** Write `message` as one line on the server's stdin. */
  write(message: Obj): void;
  /** Call `fn` with every message the server writes from now on; returns the way to stop. */
  watch(fn: (message: Obj) => void): () => void;
}

/** The messages `test` picks, from now on, read one at a time with a bound on each wait. */
export interface Picked {
  /** The next picked message, or 'timeout' when none came within `ms`. */
  next(ms: number): Promise<Obj | 'timeout'>;
  stop(): void;
}

/** Start picking the messages of `peer` that `test` accepts. */
export function pick(peer: LinePeer, test: (m: Obj) => boolean): Picked {
  const queue: Obj[] = [];
  let wake: (() => void) | undefined;
  const stop = peer.watch((m) => {
    if (!test(m)) return;
    queue.push(m);
    wake?.();
  });
  return {
    async next(ms) {
      if (queue.length === 0 && ms > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, ms);
        });
        clearTimeout(timer);
        wake = undefined;
      }
      return queue.shift() ?? 'timeout';
    },
    stop,
  };
}

/** A set of watchers fed by the process's stdout reader; `peer` is the {@link LinePeer} over `write`. */
export function createWatchers(write: (message: Obj) => void): { peer: LinePeer; deliver(message: Obj): void } {
  const watchers = new Set<(m: Obj) => void>();
  return {
    peer: {
      write,
      watch(fn) {
        watchers.add(fn);
        return () => watchers.delete(fn);
      },
    },
    deliver(message) {
      for (const fn of [...watchers]) fn(message);
    },
  };
}
