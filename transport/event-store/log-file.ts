/**
 * One session's append-only log file in the file store, and the in-memory index of its
 * streams (the byte offset of every retained event line; the events themselves stay on disk).
 *
 * Every operation on the file goes through one FIFO queue, so appends keep their call order
 * and reads, syncs, compaction and deletion never interleave with a write. Writes waiting in
 * the queue together are written as one batch with one `write` (and one `fdatasync` when
 * `fsync` is 'always'): group commit, so concurrent appends cost one syscall between them.
 * Only the batch's completion updates the index, so the index never points past the bytes
 * that reached the file.
 *
 * A batch that fails (a full disk, an I/O error) is undone: its bytes are truncated away and
 * the sequence numbers it took are handed out again, so the file never holds half a batch
 * and the log stays writable. When even the truncation fails, the next batch retries it
 * before writing: once space returns the log works again, without a restart.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { FILE_MODE, type LogHandle } from './log-fs.ts';
import { headerLine } from './log-records.ts';
import { refuseShortReopen, relinkIfUnnamed, RELINK_CHECK_MS } from './log-relink.ts';
import type { FileStream, SessionEventLogHooks } from './log-file-types.ts';

export type { FileStream, FsyncMode, SessionEventLogHooks } from './log-file-types.ts';

/** One write of a batch: its bytes are made when the batch is built, so a failed batch can be undone. */
interface WriteOp {
  kind: 'write';
  make: () => Buffer;
  done: ((offset: number) => void) | undefined;
  undo: (() => void) | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface TaskOp {
  kind: 'task';
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Upper bound of one write batch, so one write call never allocates without limit. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Describe a failed write for an operator: a full disk, a file-size limit or a folder made read-only says so. */
function writeFailure(sessionId: string, error: unknown): McpError {
  if (error instanceof McpError) return error; // already says what went wrong (log-relink.ts)
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' || code === 'EDQUOT' ? `no space left on the device (${code})`
    : code === 'EFBIG' ? `the file reached the process's file-size limit (EFBIG: ulimit -f)`
    : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `its folder or file is not writable (${code}): check the state folder's permissions` : code ?? String(error);
  return new McpError(LocalErrorCode.Store, `Cannot write the event log of session ${sessionId}: ${why}`, { cause: error });
}

/** One session's log file (see the module comment). */
export class SessionEventLog {
  readonly sessionId: string;
  readonly path: string;
  /** Streams by stream id. */
  readonly streams = new Map<string, FileStream>();
  /** Finished streams, oldest finish first (retention drops from the front). */
  readonly finished = new Set<FileStream>();
  /** The latest saved metadata, serialized. */
  meta: string | undefined;
  /** Bytes written and indexed. */
  size: number;
  /** A version 1 log: its lines may lack checksums. */
  legacy = false;
  /** Key of its stream tokens' tags (event-id.ts), hex; kept in the header. */
  readonly tagKey: string;
  readonly tagKeyBytes: Uint8Array;
  #hooks: SessionEventLogHooks;
  #fh: LogHandle | undefined;
  /** When the file's name was last checked (log-relink.ts), ms since the epoch. */
  #nameCheckedAt = 0;
  #queue: Array<WriteOp | TaskOp> = [];
  #running = false;
  /** A failed batch could not be truncated away: the next write truncates first. */
  #needsRepair = false;
  #gone: 'closed' | 'deleted' | undefined;
  #dirty = false;
  #syncing: Promise<void> | undefined;
  #needsDirSync: boolean;
  #blockedBy: Promise<unknown> | undefined;
  #nextCompactAt: number;
  #compactQueued = false;

  /**
   * @param init.size bytes of a recovered file; a new log (`size` undefined) gets its header
   *   with its first write. `blockedBy` is the deletion of an earlier file at the same path.
   */
  constructor(init: { sessionId: string; path: string; hooks: SessionEventLogHooks; tagKey: string; size?: number; legacy?: boolean; blockedBy?: Promise<unknown> }) {
    this.sessionId = init.sessionId;
    this.tagKey = init.tagKey;
    this.tagKeyBytes = Buffer.from(init.tagKey, 'hex');
    this.path = init.path;
    this.#hooks = init.hooks;
    this.size = init.size ?? 0;
    this.#blockedBy = init.blockedBy;
    this.#needsDirSync = init.size === undefined;
    this.#nextCompactAt = Math.max(init.hooks.compactAfterBytes, this.size * 2);
    this.legacy = init.legacy ?? false;
    // A version 1 log is rewritten (with checksums and a key) after its first new write.
    if (this.legacy) this.#nextCompactAt = 0;
  }

  /**
   * Append the bytes `make` returns when the batch is built; `done` gets their offset once
   * written, before the promise resolves; `undo` runs when the batch fails.
   */
  write(make: () => Buffer, done?: (offset: number) => void, undo?: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'write', make, done, undo, resolve, reject });
      this.#kick();
    });
  }

  /** Run `run` with exclusive use of the file, after everything queued before it. */
  task<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ kind: 'task', run, resolve: resolve as (value: unknown) => void, reject });
      this.#kick();
    });
  }

  /** Why the log can no longer be used, if it cannot. */
  get gone(): 'closed' | 'deleted' | undefined {
    return this.#gone;
  }

  /** Read-only handle on the file, for replays (log-replay.ts); a nameless file is written anew first (log-relink.ts). In a task only. */
  async openForRead(): Promise<LogHandle> {
    if (this.#fh) await relinkIfUnnamed(this, this.#fh, this.#hooks.fs, this.#hooks.onError);
    return this.#hooks.fs.open(this.path, 'r');
  }

  /** Before the handle closes: once closed, a nameless file's bytes are gone. A failure is reported, the close goes on. */
  async #relinkBeforeClose(): Promise<void> {
    if (this.#fh) await relinkIfUnnamed(this, this.#fh, this.#hooks.fs, this.#hooks.onError).catch((e: unknown) => this.#hooks.onError(e as McpError));
  }

  /** At most once per RELINK_CHECK_MS while appends go on, a task that looks at the file's name. */
  #maybeQueueNameCheck(): void {
    const now = Date.now();
    if (now - this.#nameCheckedAt < RELINK_CHECK_MS) return;
    this.#nameCheckedAt = now;
    this.#queue.push({ kind: 'task', run: () => this.#relinkBeforeClose(), resolve: () => {}, reject: () => {} });
  }

  /** Throw when the log can no longer be written (closed or deleted). */
  checkWritable(): void {
    if (this.#gone === 'closed') throw new McpError(LocalErrorCode.Closed, 'The event store is closed');
    if (this.#gone === 'deleted') throw new McpError(LocalErrorCode.Store, `The log of session ${this.sessionId} was deleted`);
  }

  #kick(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#drain();
  }

  /** Runs the queue; never rejects (every op's outcome goes to its own promise). */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const ops = this.#queue;
      this.#queue = [];
      let i = 0;
      while (i < ops.length) {
        const op = ops[i]!;
        if (op.kind === 'task') {
          i += 1;
          try {
            op.resolve(await op.run());
          } catch (error) {
            op.reject(error);
          }
          continue;
        }
        let j = i;
        while (j < ops.length && ops[j]!.kind === 'write') j += 1;
        const run = ops.slice(i, j) as WriteOp[];
        i += await this.#writeSome(run);
      }
    }
    this.#running = false;
  }

  /** Build and write one batch from the front of `run`; resolves with how many ops it took. */
  async #writeSome(run: WriteOp[]): Promise<number> {
    const batch: WriteOp[] = [];
    const parts: Buffer[] = [];
    // A new log's first batch starts with its header.
    const header = this.size === 0 ? headerLine(this.sessionId, this.tagKey) : undefined;
    let bytes = header?.length ?? 0;
    try {
      this.checkWritable();
      for (const op of run) {
        if (bytes >= MAX_BATCH_BYTES) break;
        batch.push(op);
        const data = op.make();
        parts.push(data);
        bytes += data.length;
      }
      await this.#writeBatch(header ? [header, ...parts] : parts, bytes);
    } catch (error) {
      for (let k = batch.length - 1; k >= 0; k--) batch[k]!.undo?.();
      // A failure before the first op was taken (closed, deleted) rejects that op alone.
      const failed = batch.length === 0 ? [run[0]!] : batch;
      for (const w of failed) w.reject(error);
      return failed.length;
    }
    let offset = this.size + (header?.length ?? 0);
    for (const [k, w] of batch.entries()) {
      w.done?.(offset);
      offset += parts[k]!.length;
    }
    this.size = offset;
    for (const w of batch) w.resolve();
    if (this.size >= this.#nextCompactAt && !this.#compactQueued) this.#queueCompaction();
    this.#maybeQueueNameCheck();
    return batch.length;
  }

  async #handle(): Promise<LogHandle> {
    if (this.#fh) return this.#fh;
    if (this.#blockedBy) {
      await this.#blockedBy;
      this.#blockedBy = undefined;
    }
    // 'a+': appends still land at the end; the handle can also be read (log-relink.ts).
    const fh = await this.#hooks.fs.open(this.path, 'a+', FILE_MODE);
    if (this.size > 0) await refuseShortReopen(this, fh);
    this.#fh = fh;
    if (this.#needsDirSync && this.#hooks.fsync !== 'never') await this.#hooks.syncDir();
    this.#needsDirSync = false;
    return this.#fh;
  }

  async #writeBatch(parts: Buffer[], bytes: number): Promise<void> {
    let fh: LogHandle;
    try {
      fh = await this.#handle();
      this.#hooks.onUse(this);
      if (this.#needsRepair) {
        await fh.truncate(this.size);
        this.#needsRepair = false;
      }
    } catch (error) {
      throw writeFailure(this.sessionId, error);
    }
    try {
      const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
      let written = 0;
      while (written < bytes) written += (await fh.write(data, written, bytes - written)).bytesWritten;
      if (this.#hooks.fsync === 'always') await fh.datasync();
      else if (this.#hooks.fsync === 'interval' && !this.#dirty) {
        this.#dirty = true;
        this.#hooks.onDirty(this);
      }
    } catch (error) {
      // The file may now end in part of this batch: cut it off, so what follows is whole.
      await fh.truncate(this.size).catch(() => {
        this.#needsRepair = true; // retried before the next write; the failure is reported below
      });
      throw writeFailure(this.sessionId, error);
    }
  }

  #queueCompaction(): void {
    this.#compactQueued = true;
    const run = async (): Promise<void> => {
      this.#compactQueued = false;
      if (this.#gone) return;
      try {
        await this.#hooks.compact(this);
      } catch (error) {
        // Retry only after the file doubles, so a failing compaction costs O(1) per append.
        this.#nextCompactAt = Math.max(this.#hooks.compactAfterBytes, this.size * 2);
        this.#hooks.onError(new McpError(LocalErrorCode.Store, `Compaction of the log of session ${this.sessionId} failed; the log is kept as it was`, { cause: error }));
      }
    };
    this.#queue.push({ kind: 'task', run, resolve: () => {}, reject: () => {} });
  }

  /**
   * Replace the file with a compacted copy at `tempPath` (already written and synced) and
   * adopt its offsets. Call only from a task (compaction runs as one).
   */
  async adoptCompacted(tempPath: string, size: number, offsets: Map<FileStream, number[]>): Promise<void> {
    await this.#closeHandle(false);
    await this.#hooks.fs.rename(tempPath, this.path);
    for (const [stream, list] of offsets) {
      stream.offsets = list;
      stream.head = 0;
    }
    this.size = size;
    this.legacy = false;
    this.#needsRepair = false;
    this.#nextCompactAt = Math.max(this.#hooks.compactAfterBytes, size * 2);
    await this.#hooks.syncDir();
  }

  async #closeHandle(sync: boolean): Promise<void> {
    const fh = this.#fh;
    if (!fh) return;
    this.#fh = undefined;
    // Let a background fsync finish first; its outcome goes to the caller of sync().
    if (this.#syncing) await Promise.allSettled([this.#syncing]);
    this.#syncing = undefined;
    try {
      if (sync && this.#dirty && this.#hooks.fsync !== 'never') await fh.datasync();
      this.#dirty = false;
    } finally {
      await fh.close();
    }
  }

  /**
   * fsync pending data ('interval' mode). Not queued: an fsync may run beside writes (the
   * kernel orders them), so appends do not wait for the disk; closing the handle waits for it.
   */
  sync(): Promise<void> {
    if (!this.#fh || !this.#dirty) return Promise.resolve();
    this.#dirty = false;
    const syncing = this.#fh.datasync();
    this.#syncing = syncing;
    return syncing;
  }

  /**
   * fsync what was written so far, whatever the `fsync` mode: a new epoch's record must be on
   * disk before its first id goes out (log-epochs.ts). Once per stream after a restart.
   */
  syncNow(): Promise<void> {
    return this.task(async () => {
      const fh = this.#fh;
      if (!fh) return; // closed since: closing synced it (under 'never' too little to matter: the OS decides)
      this.#dirty = false;
      await fh.datasync();
    });
  }

  /** Close the file handle (synced first); the next write reopens it. */
  releaseHandle(): Promise<void> {
    return this.task(async () => {
      await this.#relinkBeforeClose();
      await this.#closeHandle(true);
    });
  }

  /** Finish queued work, sync and close. Later writes reject with MCP_ERR_CLOSED. */
  close(): Promise<void> {
    return this.task(async () => {
      if (this.#gone) return;
      this.#gone = 'closed';
      await this.#relinkBeforeClose();
      await this.#closeHandle(true);
    });
  }

  /** Finish queued work, then close and delete the file. */
  destroy(): Promise<void> {
    return this.task(async () => {
      this.#gone = 'deleted';
      await this.#closeHandle(false);
      try {
        await this.#hooks.fs.unlink(this.path);
      } catch (error) {
        // Already absent is the state we want (nothing was ever written).
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') await this.#emptyInstead(error);
      }
    });
  }

  /**
   * The log could not be removed (its folder made read-only while serving: EACCES). Left as
   * it was, the next start recovered the deleted session and served it again. Emptied, it is
   * a log never written, removed at the next start (log-recovery.ts); the failure is still reported.
   */
  async #emptyInstead(error: unknown): Promise<void> {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    let fh: LogHandle | undefined;
    try {
      fh = await this.#hooks.fs.open(this.path, 'r+');
      await fh.truncate(0);
      await fh.datasync();
    } catch (failure) {
      if ((failure as NodeJS.ErrnoException).code === 'ENOENT') return; // never created: nothing comes back
      throw new McpError(LocalErrorCode.Store, `Cannot delete the log of session ${this.sessionId} (${code}) nor empty it: the session comes back at the next start`, { cause: error });
    } finally {
      await fh?.close().catch(() => undefined);
    }
    throw new McpError(LocalErrorCode.Store, `Cannot delete the log of session ${this.sessionId} (${code}); emptied instead, it is removed at the next start`, { cause: error });
  }
}
