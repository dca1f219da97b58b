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
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { forEachLine } from './line-reader.ts';
import { eventPrefix, headerLine, parseRecord } from './log-records.ts';
import { ResumeError } from './resume-error.ts';
import type { StreamKey } from './types.ts';

/** When appended data is forced to disk: each append, on a timer, or never (the OS decides). */
export type FsyncMode = 'always' | 'interval' | 'never';

/** A stream of a session log. Event `base + 1 + i` starts at byte `offsets[head + i]`. */
export interface FileStream {
  readonly token: string;
  readonly key: StreamKey;
  readonly log: SessionLog;
  /** Seq of the last event dropped from the head (0 when none was). */
  base: number;
  /** Seq of the last event written and indexed. */
  lastSeq: number;
  /** Seq of the last event handed out by append (written or still queued). */
  nextSeq: number;
  offsets: number[];
  head: number;
}

/** What a log needs from its store. */
export interface SessionLogHooks {
  readonly fsync: FsyncMode;
  readonly maxEventsPerStream: number;
  readonly compactAfterBytes: number;
  /** A file handle was opened or used (the store closes the least recently used ones). */
  onUse(log: SessionLog): void;
  /** Data was written without fsync ('interval': the store schedules one). */
  onDirty(log: SessionLog): void;
  /** Rewrite the log keeping only retained records (runs inside the log's queue). */
  compact(log: SessionLog): Promise<void>;
  /** fsync the store's directory, so a created or renamed file survives a crash. */
  syncDir(): Promise<void>;
  onError(error: McpError): void;
}

interface WriteOp {
  kind: 'write';
  data: Buffer;
  done: ((offset: number) => void) | undefined;
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

/** Record the event just written at `offset` and drop events past the per-stream limit. */
export function indexEvent(
  stream: Pick<FileStream, 'offsets' | 'head' | 'base' | 'lastSeq'>,
  offset: number,
  maxEvents: number,
): void {
  stream.offsets.push(offset);
  stream.lastSeq += 1;
  while (stream.lastSeq - stream.base > maxEvents) {
    stream.head += 1;
    stream.base += 1;
  }
  // Compact the array once the dead prefix outweighs the live part: O(1) amortized.
  if (stream.head >= 1024 && stream.head * 2 >= stream.offsets.length) {
    stream.offsets = stream.offsets.slice(stream.head);
    stream.head = 0;
  }
}

/** One session's log file (see the module comment). */
export class SessionLog {
  readonly sessionId: string;
  readonly path: string;
  /** Streams by stream id. */
  readonly streams = new Map<string, FileStream>();
  /** The latest saved metadata, serialized. */
  meta: string | undefined;
  /** Bytes written and indexed. */
  size: number;
  #hooks: SessionLogHooks;
  #fh: FileHandle | undefined;
  #queue: Array<WriteOp | TaskOp> = [];
  #running = false;
  #failure: McpError | undefined;
  #gone: 'closed' | 'deleted' | undefined;
  #dirty = false;
  #syncing: Promise<void> | undefined;
  #needsDirSync: boolean;
  #blockedBy: Promise<unknown> | undefined;
  #nextCompactAt: number;
  #compactQueued = false;

  /**
   * @param init.size bytes of a recovered file; a new log (`size` undefined) starts with a
   *   header line. `blockedBy` is the deletion of an earlier file at the same path.
   */
  constructor(init: { sessionId: string; path: string; hooks: SessionLogHooks; size?: number; blockedBy?: Promise<unknown> }) {
    this.sessionId = init.sessionId;
    this.path = init.path;
    this.#hooks = init.hooks;
    this.size = init.size ?? 0;
    this.#blockedBy = init.blockedBy;
    this.#needsDirSync = init.size === undefined;
    this.#nextCompactAt = Math.max(init.hooks.compactAfterBytes, this.size * 2);
    if (init.size === undefined) {
      this.write(headerLine(init.sessionId)).catch((error: unknown) => {
        // The failure also rejects every later write of this log; report it once here too.
        init.hooks.onError(error instanceof McpError ? error : new McpError(LocalErrorCode.Store, String(error), { cause: error }));
      });
    }
  }

  /** Append `line`; `done` gets its offset once written, before the promise resolves. */
  write(line: string, done?: (offset: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'write', data: Buffer.from(line, 'utf8'), done, resolve, reject });
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

  /** Throw when the log can no longer be written (failed, closed or deleted). */
  checkWritable(): void {
    if (this.#failure) throw this.#failure;
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
        let bytes = 0;
        while (j < ops.length && bytes < MAX_BATCH_BYTES) {
          const next = ops[j]!;
          if (next.kind !== 'write') break;
          bytes += next.data.length;
          j += 1;
        }
        const batch = ops.slice(i, j) as WriteOp[];
        i = j;
        try {
          await this.#writeBatch(batch, bytes);
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    }
    this.#running = false;
  }

  async #handle(): Promise<FileHandle> {
    if (this.#fh) return this.#fh;
    if (this.#blockedBy) {
      await this.#blockedBy;
      this.#blockedBy = undefined;
    }
    this.#fh = await open(this.path, 'a');
    if (this.#needsDirSync && this.#hooks.fsync !== 'never') await this.#hooks.syncDir();
    this.#needsDirSync = false;
    return this.#fh;
  }

  async #writeBatch(batch: WriteOp[], bytes: number): Promise<void> {
    this.checkWritable();
    try {
      const fh = await this.#handle();
      this.#hooks.onUse(this);
      const data = batch.length === 1 ? batch[0]!.data : Buffer.concat(batch.map((w) => w.data), bytes);
      let written = 0;
      while (written < bytes) written += (await fh.write(data, written, bytes - written)).bytesWritten;
      if (this.#hooks.fsync === 'always') await fh.datasync();
      else if (this.#hooks.fsync === 'interval' && !this.#dirty) {
        this.#dirty = true;
        this.#hooks.onDirty(this);
      }
    } catch (error) {
      // The file may now end in a partial batch: stop writing rather than append after it.
      // A restart truncates the torn tail.
      this.#failure = new McpError(LocalErrorCode.Store, `Cannot write the event log of session ${this.sessionId}; the log is now read-only`, { cause: error });
      throw this.#failure;
    }
    let offset = this.size;
    for (const w of batch) {
      w.done?.(offset);
      offset += w.data.length;
    }
    this.size = offset;
    if (this.size >= this.#nextCompactAt && !this.#compactQueued) this.#queueCompaction();
  }

  #queueCompaction(): void {
    this.#compactQueued = true;
    const run = async (): Promise<void> => {
      this.#compactQueued = false;
      if (this.#gone || this.#failure) return;
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
    await rename(tempPath, this.path);
    for (const [stream, list] of offsets) {
      stream.offsets = list;
      stream.head = 0;
    }
    this.size = size;
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

  /** Close the file handle (synced first); the next write reopens it. */
  releaseHandle(): Promise<void> {
    return this.task(() => this.#closeHandle(true));
  }

  /** Finish queued work, sync and close. Later writes reject with MCP_ERR_CLOSED. */
  close(): Promise<void> {
    return this.task(async () => {
      if (this.#gone) return;
      this.#gone = 'closed';
      await this.#closeHandle(true);
    });
  }

  /** Finish queued work, then close and delete the file. */
  destroy(): Promise<void> {
    return this.task(async () => {
      this.#gone = 'deleted';
      await this.#closeHandle(false);
      try {
        await unlink(this.path);
      } catch (error) {
        // Already absent is the state we want (nothing was ever written).
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    });
  }

  /**
   * Read the events of `stream` after `afterSeq`, checking that none is missing (runs as a
   * task, so it sees every append queued before it and nothing after).
   */
  readAfter(stream: FileStream, afterSeq: number, eventId: string): Promise<Array<{ seq: number; message: JsonRpcMessage }>> {
    return this.task(async () => {
      if (this.#gone === 'closed') throw new McpError(LocalErrorCode.Closed, 'The event store is closed');
      if (this.#gone === 'deleted') throw new ResumeError('unknown', eventId);
      if (afterSeq > stream.lastSeq) throw new ResumeError('unknown', eventId);
      if (afterSeq < stream.base) throw new ResumeError('evicted', eventId);
      const count = stream.lastSeq - afterSeq;
      if (count === 0) return [];
      const start = stream.offsets[stream.head + (afterSeq - stream.base)]!;
      const prefix = Buffer.from(eventPrefix(stream.token), 'latin1');
      const out: Array<{ seq: number; message: JsonRpcMessage }> = [];
      let fault: string | undefined;
      const fh = await open(this.path, 'r');
      try {
        await forEachLine(fh, start, this.size, (line) => {
          if (line.length <= prefix.length || prefix.compare(line, 0, prefix.length) !== 0) return true;
          const record = parseRecord(line.toString('utf8'));
          const expected = afterSeq + 1 + out.length;
          if (record?.t !== 'e' || record.seq !== expected) {
            fault = `expected event ${expected}, found ${record?.t === 'e' ? `event ${record.seq}` : 'an unreadable line'}`;
            return false;
          }
          out.push({ seq: record.seq, message: record.message as JsonRpcMessage });
          return out.length < count;
        });
      } finally {
        await fh.close();
      }
      if (fault === undefined && out.length !== count) fault = `found ${out.length} of ${count} events`;
      if (fault !== undefined) {
        throw new McpError(LocalErrorCode.Store, `The event log of session ${this.sessionId} does not match its index (${fault}); refusing a partial replay`);
      }
      return out;
    });
  }
}
