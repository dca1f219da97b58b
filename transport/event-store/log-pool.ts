/**
 * The file store's side of its session logs (the `SessionEventLogHooks` each `SessionEventLog` calls):
 * the settings every log shares, which log files stay open (least recently written closed
 * first, past `maxOpenFiles`), and the delayed fsync of 'interval' mode.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { compactLog } from './log-compaction.ts';
import type { FsyncMode, SessionEventLog, SessionEventLogHooks } from './log-file.ts';
import type { LogFs } from './log-fs.ts';

/** A failure as a store error: an `McpError` stays itself, anything else becomes its cause. */
export function asStoreError(error: unknown, message: string): McpError {
  return error instanceof McpError ? error : new McpError(LocalErrorCode.Store, message, { cause: error });
}

/** Settings of a {@link SessionEventLogPool}, already defaulted by the store. */
export interface SessionEventLogPoolOptions {
  readonly dir: string;
  readonly fs: LogFs;
  readonly fsync: FsyncMode;
  readonly fsyncIntervalMs: number;
  readonly maxEventsPerStream: number;
  readonly compactAfterBytes: number;
  readonly maxOpenFiles: number;
  readonly onError: (error: McpError) => void;
}

/** Open handles and pending fsyncs of a file store's logs (see the module comment). */
export class SessionEventLogPool implements SessionEventLogHooks {
  readonly fs: LogFs;
  readonly fsync: FsyncMode;
  readonly maxEventsPerStream: number;
  readonly compactAfterBytes: number;
  readonly onError: (error: McpError) => void;
  readonly #dir: string;
  readonly #fsyncIntervalMs: number;
  readonly #maxOpenFiles: number;
  /** Logs holding an open handle, least recently written first. */
  readonly #openLogs = new Map<SessionEventLog, true>();
  /** Logs written without fsync since the last timer ('interval' mode). */
  readonly #dirty = new Set<SessionEventLog>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** Made once: the timer callback. */
  readonly #flushDirty = (): void => this.#flush();

  constructor(options: SessionEventLogPoolOptions) {
    this.#dir = options.dir;
    this.fs = options.fs;
    this.fsync = options.fsync;
    this.#fsyncIntervalMs = options.fsyncIntervalMs;
    this.maxEventsPerStream = options.maxEventsPerStream;
    this.compactAfterBytes = options.compactAfterBytes;
    this.#maxOpenFiles = options.maxOpenFiles;
    this.onError = options.onError;
  }

  onUse(log: SessionEventLog): void {
    this.#openLogs.delete(log);
    this.#openLogs.set(log, true);
    while (this.#openLogs.size > this.#maxOpenFiles) {
      const oldest = this.#openLogs.keys().next().value!;
      this.#openLogs.delete(oldest);
      oldest.releaseHandle().catch((e: unknown) => this.onError(asStoreError(e, `Closing the log of session ${oldest.sessionId} failed`)));
    }
  }

  onDirty(log: SessionEventLog): void {
    this.#dirty.add(log);
    if (this.#timer === undefined && !this.#stopped) {
      this.#timer = setTimeout(this.#flushDirty, this.#fsyncIntervalMs);
      this.#timer.unref(); // pending data is in the OS already; do not hold the process open
    }
  }

  compact(log: SessionEventLog): Promise<void> {
    return compactLog(log, this.fs);
  }

  async syncDir(): Promise<void> {
    if (process.platform === 'win32') return; // directories cannot be opened for fsync there
    const handle = await this.fs.open(this.#dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** The log is being deleted: it neither holds a handle slot nor waits for an fsync any more. */
  forget(log: SessionEventLog): void {
    this.#openLogs.delete(log);
    this.#dirty.delete(log);
  }

  /** The store is closing: no fsync timer runs from now on (closing the logs syncs them). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    this.#timer = undefined;
    const due = [...this.#dirty];
    this.#dirty.clear();
    for (const log of due) log.sync().catch((e: unknown) => this.onError(asStoreError(e, `fsync of the log of session ${log.sessionId} failed`)));
  }
}
