/**
 * Writes an instance still owes Redis after Redis failed them (unreachable, restarted, out
 * of memory, frozen past the command timeout): the end of a stream whose call finished, the
 * error that replaced its response (the client on the live connection was told it), and a
 * session's calls in flight as they are now. Both describe something already over on this
 * instance, and nothing else writes them: left unwritten, a client resuming the stream on
 * another instance tails a stream that never ends (the instance that ran it is alive, so
 * nothing takes it over), and the call stays listed in flight, so it is run again when this
 * instance later stops, after its client was told it failed. They are written again once
 * Redis takes writes, each keyed so that only the latest owed write of a key is kept.
 * Other writes whose late landing would contradict what a client was told (an event, an
 * answer) are never owed: they stay failed (README, failure behaviour).
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

/** Options of {@link createOwedWrites}. */
export interface OwedWritesOptions {
  /** How often owed writes are tried again while any is owed (ms). */
  retryMs: number;
  /** Owed writes kept; past it the oldest is given up, told through `onError`. */
  max: number;
  onError(error: Error): void;
}

/** The writes owed to Redis (see the module comment). */
export interface OwedWrites {
  /**
   * Run `write`; when Redis fails it (MCP_ERR_STORE), keep it under `key` to be tried again
   * and reject as it did. A later `run` of the same key replaces what is owed under it.
   */
  run<T>(key: string, write: () => Promise<T>): Promise<T>;
  /** Try every owed write now (Redis is back); each written one is forgotten. */
  flush(): Promise<void>;
  /** How many writes are owed. */
  readonly size: number;
  /** Stop retrying (the stores close); what is still owed is given up. */
  close(): void;
}

/** Create the owed writes of one instance's stores. */
export function createOwedWrites(options: OwedWritesOptions): OwedWrites {
  const owed = new Map<string, () => Promise<void>>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let flushing: Promise<void> | undefined;
  let closed = false;
  const stopTimer = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const keep = (key: string, write: () => Promise<void>) => {
    owed.delete(key);
    owed.set(key, write);
    if (owed.size > options.max) {
      const [oldest] = owed.keys();
      owed.delete(oldest!);
      options.onError(new McpError(LocalErrorCode.Store, `more than ${options.max} writes are owed to Redis since it failed them; the oldest (${oldest}) is given up`));
    }
    if (timer === undefined && !closed) {
      timer = setInterval(() => void flush(), options.retryMs);
      timer.unref();
    }
  };
  // One flush at a time. Not `flushing ??= (async () => { try ... finally { flushing = undefined } })()`:
  // a flush that awaits nothing (nothing owed) ran its `finally` before the assignment, which
  // then kept the settled promise for good, and no later flush wrote anything.
  const flush = (): Promise<void> => {
    if (flushing === undefined) flushing = writeOwed().finally(() => { flushing = undefined; });
    return flushing;
  };
  const writeOwed = async (): Promise<void> => {
    // In the order they were owed; one failure means Redis still refuses: try again later.
    for (const [key, write] of [...owed]) {
      // Closed, or superseded by a newer write of the key since the loop began.
      if (closed || owed.get(key) !== write) continue;
      try {
        await write();
      } catch (error) {
        if (error instanceof McpError && error.code === LocalErrorCode.Store) return;
        // Refused for good (a session another instance changed since): given up, told once.
        if (owed.get(key) === write) owed.delete(key);
        options.onError(new McpError(LocalErrorCode.Store, `a write owed to Redis (${key}) is given up: ${(error as Error).message}`, { cause: error }));
        continue;
      }
      if (owed.get(key) === write) owed.delete(key);
    }
    if (owed.size === 0) stopTimer();
  };
  return {
    async run(key, write) {
      // Whatever was owed under the key is superseded by this write, written or owed in its turn.
      owed.delete(key);
      try {
        return await write();
      } catch (error) {
        if (!closed && error instanceof McpError && error.code === LocalErrorCode.Store) keep(key, async () => { await write(); });
        throw error;
      }
    },
    flush,
    get size() { return owed.size; },
    close() {
      closed = true;
      stopTimer();
      owed.clear();
    },
  };
}
