/**
 * A durable TaskStore: one append-only log, `tasks.log`, in a private directory (0700, the
 * file 0600: task results and the session ids that own them are private). Every change
 * appends the whole record as one checksummed line (the event store's seal: CRC-32 of the
 * line) and fdatasyncs before the promise resolves, so a task the client was told about
 * survives kill -9. Loading keeps the last good line per task, skips damaged lines
 * (reported through `onError`) and cuts a torn last line. The log is rewritten (temp file,
 * fsync, rename) when dead lines outnumber live records.
 *
 * Line format (each ends `,"c":"<crc32>"}`):
 * - header: `{"t":"h","v":1,"kind":"mcpwire-tasks"`
 * - put:    `{"t":"p","r":<TaskRecord>`
 * - delete: `{"t":"d","id":"<taskId>"`
 *
 * One process owns a directory at a time, so run leases live in memory (task-leases.ts):
 * after a restart every unfinished task is free to be taken over.
 */
import { dirname, join } from 'node:path';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { FILE_MODE, nodeLogFs, openStoreDir, type LogFs, type LogHandle } from '../event-store/log-fs.ts';
import { sealLine } from '../event-store/log-records.ts';
import { load, TASK_LOG_VERSION } from './file-load.ts';
import { TaskLeases } from './task-leases.ts';
import { TaskTable } from './task-table.ts';
import type { TaskChange, TaskPage, TaskQuery, TaskRecord, TaskStore, TaskStoreLimits } from './types.ts';

/** Options of {@link createFileTaskStore}. */
export interface FileTaskStoreOptions extends TaskStoreLimits {
  /** The store's directory; created 0700 when missing, tightened to 0700 when wider. */
  dir: string;
  /** Damage found while loading (a line whose checksum fails), and other non-fatal faults. */
  onError?: (error: Error) => void;
  /** The file system; tests inject faults. Default `node:fs/promises`. */
  fs?: LogFs;
  /**
   * Bytes of a reserve file (`tasks.reserve`) made when the store opens and deleted the first
   * time the disk is full (ENOSPC), so the write that failed can land: a task's outcome, or at
   * least the mark that its run ended (server/tasks/outcome.ts), which keeps a restart from
   * running the tool again. Made again after a later write lands (space is back), so a
   * second full disk in the same process finds one too; while it cannot be made, the next
   * attempt waits for twice as many writes as the last (at most {@link RESERVE_RETRY_MAX}).
   * 0: none. Default 65 536.
   */
  reserveBytes?: number;
}

/** Default of {@link FileTaskStoreOptions.reserveBytes}. */
export const DEFAULT_TASK_RESERVE_BYTES = 65_536;
const RESERVE = 'tasks.reserve';
/** Most writes between two attempts to make the reserve again (see {@link FileTaskStoreOptions.reserveBytes}). */
export const RESERVE_RETRY_MAX = 1024;

const LOG = 'tasks.log';
const HEADER = `{"t":"h","v":${TASK_LOG_VERSION},"kind":"mcpwire-tasks"`;
/** Rewrite the log once it holds this many lines more than live records (and at least twice as many). */
const COMPACT_SLACK = 256;

/** Open (or create) the durable task store in `options.dir`. */
export async function createFileTaskStore(options: FileTaskStoreOptions): Promise<TaskStore> {
  const fs = options.fs ?? nodeLogFs;
  await openStoreDir(fs, options.dir, 'file task store');
  const table = new TaskTable(options);
  const path = join(options.dir, LOG);
  // A compaction cut off by a kill leaves its copy; the log itself is whole. Removed before
  // the reserve is made: on a full disk the copy's space is what the reserve needs.
  await fs.unlink(`${path}.tmp`).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') options.onError?.(new McpError(LocalErrorCode.Store, `cannot remove ${path}.tmp, left by a compaction that was cut off: ${e.message}`, { cause: e }));
  });
  const lines = await load(fs, path, table, options.onError);
  const reserveBytes = options.reserveBytes ?? DEFAULT_TASK_RESERVE_BYTES;
  if (!Number.isSafeInteger(reserveBytes) || reserveBytes < 0) throw new McpError(LocalErrorCode.Validation, `reserveBytes must be a whole number of bytes (0: none), got ${reserveBytes}`);
  const fh = await fs.open(path, 'a', FILE_MODE);
  const reserve = { path: join(options.dir, RESERVE), bytes: reserveBytes };
  const made = reserveBytes > 0 && await makeReserve(fs, reserve.path, reserveBytes, options.onError) !== undefined;
  const store = new FileTaskStore(fs, path, table, fh, lines, options.onError, reserve, made);
  if (lines === 0) await store.append([HEADER]);
  await store.fitBounds();
  return store;
}

/**
 * Write the reserve file (see {@link FileTaskStoreOptions.reserveBytes}); its path, or
 * undefined (reported) when it cannot be made: the store then runs without one.
 */
async function makeReserve(fs: LogFs, path: string, bytes: number, onError: ((e: Error) => void) | undefined): Promise<string | undefined> {
  try {
    // Made anew, never opened in place: 'w' on a FIFO there blocked until a reader came (the
    // store hung at open), and on a symbolic link overwrote its target with zeros.
    await fs.unlink(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    const out = await fs.open(path, 'wx', FILE_MODE);
    try {
      const zeros = new Uint8Array(bytes);
      let done = 0;
      while (done < bytes) done += (await out.write(zeros, done, bytes - done)).bytesWritten;
      await out.sync();
    } finally {
      await out.close();
    }
    return path;
  } catch (error) {
    await fs.unlink(path).catch(() => { /* what failed is reported below */ });
    onError?.(new McpError(LocalErrorCode.Store, `the task store's reserve ${path} (reserveBytes ${bytes}) could not be made; on a full disk a task's end may then not be stored: ${(error as Error).message}`, { cause: error }));
    return undefined;
  }
}

/** `json`: the record's JSON (record-size.ts measured it). */
const putLine = (json: string) => `{"t":"p","r":${json}`;
const deleteLine = (taskId: string) => `{"t":"d","id":${JSON.stringify(taskId)}`;

class FileTaskStore implements TaskStore {
  readonly #fs: LogFs;
  readonly #path: string;
  readonly #table: TaskTable;
  readonly #leases: TaskLeases;
  #fh: LogHandle | undefined;
  #lines: number;
  readonly #onError: ((error: Error) => void) | undefined;
  /** Writes run one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The reserve file (see {@link FileTaskStoreOptions.reserveBytes}); `bytes` 0: none. */
  readonly #reserve: { readonly path: string; readonly bytes: number };
  /** The reserve file exists. */
  #reserved: boolean;
  /**
   * Writes to land before the next attempt to make a missing reserve, and that wait's length
   * (2 at first: a reserve that could not be made at open is not tried again at once).
   */
  #remakeIn = 2;
  #remakeWait = 2;
  /** Log lines before compaction is tried again after a failure (0: no failure). */
  #compactAgainAt = 0;

  constructor(
    fs: LogFs, path: string, table: TaskTable, fh: LogHandle, lines: number, onError: ((error: Error) => void) | undefined,
    reserve: { path: string; bytes: number }, reserved: boolean,
  ) {
    this.#onError = onError;
    this.#reserve = reserve;
    this.#reserved = reserved;
    this.#fs = fs;
    this.#path = path;
    this.#table = table;
    this.#leases = new TaskLeases(table.now);
    this.#fh = fh;
    this.#lines = lines;
  }

  create(record: TaskRecord): Promise<void> {
    return this.#serial(async () => {
      const sized = this.#table.sized(record);
      const doomed = this.#table.makeRoom(sized);
      await this.append([...doomed.map(deleteLine), putLine(sized.json)]);
      for (const id of doomed) this.#table.delete(id);
      this.#table.put(sized);
      await this.#compactIfDead();
    });
  }

  /**
   * At open: a log written under larger `maxTasks` or `maxTotalBytes` is brought within them
   * now (expired records, then the oldest finished ones), not at the next write; told once.
   */
  async fitBounds(): Promise<void> {
    const { doomed, evicted, over } = this.#table.excess();
    if (evicted === 0 && over === undefined) return;
    const held = { count: this.#table.size, bytes: this.#table.bytes };
    try {
      await this.append(doomed.map(deleteLine));
    } catch (error) {
      // The store still opens (a full disk): the next create or change evicts as before.
      this.#onError?.(new McpError(LocalErrorCode.Store, `task log ${this.#path} holds more than the store's maxTasks or maxTotalBytes, and its oldest records could not be deleted at open: ${(error as Error).message}`, { cause: error }));
      return;
    }
    for (const id of doomed) this.#table.delete(id);
    await this.#compactIfDead();
    this.#onError?.(new McpError(LocalErrorCode.Store, `task log ${this.#path} held ${held.count} records of ${held.bytes} bytes, more than the store's maxTasks or maxTotalBytes: `
      + `${doomed.length - evicted} expired and the ${evicted} oldest finished records were deleted${over === undefined ? '' : `; ${over}, so new tasks are refused until some end`}`));
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.#table.get(taskId);
  }

  update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    return this.#serial(async () => {
      const next = this.#table.changed(taskId, change);
      if (!next) return undefined;
      const sized = this.#table.sized(next);
      const doomed = this.#table.makeRoom(sized, true);
      await this.append([...doomed.map(deleteLine), putLine(sized.json)]);
      for (const id of doomed) this.#table.delete(id);
      this.#table.put(sized);
      await this.#compactIfDead();
      return next;
    });
  }

  list(query?: TaskQuery): Promise<TaskPage> {
    return this.#serial(async () => {
      const expired = this.#table.expired();
      if (expired.length > 0) {
        await this.append(expired.map(deleteLine));
        for (const id of expired) this.#table.delete(id);
        await this.#compactIfDead();
      }
      return this.#table.list(query);
    });
  }

  async lease(taskId: string, holder: string, ms: number): Promise<boolean> {
    return this.#leases.take(taskId, holder, ms);
  }

  async releaseLease(taskId: string, holder: string): Promise<void> {
    this.#leases.release(taskId, holder);
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      const fh = this.#fh;
      this.#fh = undefined;
      await fh?.close();
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Append `bodies` as sealed lines and make them durable. A failed write is cut back off,
   * so the next line does not land after a torn one.
   */
  async append(bodies: string[]): Promise<void> {
    if (!this.#fh) throw new McpError(LocalErrorCode.Closed, 'the task store is closed');
    let info: { size: number; nlink?: number } = await this.#fh.stat();
    if (info.nlink === 0) info = await this.#relink();
    const fh = this.#fh;
    const bytes = Buffer.concat(bodies.map(sealLine));
    const before = info.size;
    try {
      let done = 0;
      while (done < bytes.length) done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
      await fh.datasync();
    } catch (error) {
      // Cut the torn bytes off; if even that fails, the next load skips them as damage.
      await fh.truncate(before).catch((cut: Error) => this.#onError?.(new McpError(LocalErrorCode.Store, `cannot cut a failed write off the task log: ${cut.message}`, { cause: cut })));
      if (await this.#release(error)) return this.append(bodies);
      throw new McpError(LocalErrorCode.Store, `cannot write the task log: ${(error as Error).message}`, { cause: error });
    }
    this.#lines += bodies.length;
    if (!this.#reserved && this.#reserve.bytes > 0 && --this.#remakeIn <= 0) {
      // After the writes queued now, not on this write's path; close() waits for it.
      void this.#serial(() => this.#remake());
    }
  }

  /**
   * The log lost its name while open (deleted, or the state directory removed): appends to
   * it would be acknowledged and lost at the next start. The directory is made again and
   * the log written anew from the records in memory (every acknowledged change), then the
   * append goes on there; told once through `onError`. A change acknowledged after the
   * deletion and before this check (the last write) is in memory and so in the new log.
   * Throws MCP_ERR_STORE, before anything is written, when the log cannot be made again.
   */
  async #relink(): Promise<{ size: number }> {
    try {
      await openStoreDir(this.#fs, dirname(this.#path), 'file task store');
      await this.#compact();
    } catch (error) {
      await this.#fs.unlink(`${this.#path}.tmp`).catch(() => { /* the failure below is what is told */ });
      throw new McpError(LocalErrorCode.Store, `the task log ${this.#path} was deleted while the store ran, and cannot be written again: ${(error as Error).message}`, { cause: error });
    }
    // The reserve went with the directory: made again after the next write.
    this.#reserved = false;
    this.#remakeIn = 1;
    this.#remakeWait = 1;
    this.#onError?.(new McpError(LocalErrorCode.Store, `the task log ${this.#path} was deleted while the store ran (its directory removed?); written again from the ${this.#table.size} tasks in memory`));
    return this.#fh!.stat();
  }

  /** Make the missing reserve again; a failure (reported) doubles the writes before the next try. */
  async #remake(): Promise<void> {
    if (this.#reserved || !this.#fh) return;
    if (await makeReserve(this.#fs, this.#reserve.path, this.#reserve.bytes, this.#onError) !== undefined) {
      this.#reserved = true;
      this.#remakeWait = 1;
      return;
    }
    this.#remakeWait = Math.min(this.#remakeWait * 2, RESERVE_RETRY_MAX);
    this.#remakeIn = this.#remakeWait;
  }

  /** The disk is full (`error` is ENOSPC) and the reserve exists: delete it (reported); true when it was. */
  async #release(error: unknown): Promise<boolean> {
    const reserve = this.#reserve.path;
    if (!this.#reserved || (error as { code?: unknown }).code !== 'ENOSPC') return false;
    this.#reserved = false;
    // Not right after the write that used it (the disk is full then): the write after it.
    this.#remakeIn = 2;
    this.#remakeWait = 1;
    try {
      await this.#fs.unlink(reserve);
    } catch (cause) {
      this.#onError?.(new McpError(LocalErrorCode.Store, `the disk is full and the task store's reserve ${reserve} could not be deleted: ${(cause as Error).message}`, { cause }));
      return false;
    }
    this.#onError?.(new McpError(LocalErrorCode.Store, `the disk is full: the task store deleted its reserve ${reserve} so its writes land; it is made again after a later write lands`, { cause: error }));
    return true;
  }

  /**
   * Compact once most lines are dead. Housekeeping: the write that called it is durable
   * already, so a compaction that fails (a disk too full for the copy) neither fails that
   * write nor is tried at every write after it; it is told once, its temp file removed (the
   * space it took given back), and tried again after COMPACT_SLACK more lines.
   */
  async #compactIfDead(): Promise<void> {
    if (this.#lines <= 2 * this.#table.size + COMPACT_SLACK || this.#lines < this.#compactAgainAt) return;
    try {
      await this.#compact();
      this.#compactAgainAt = 0;
    } catch (error) {
      const left = await this.#fs.unlink(`${this.#path}.tmp`).then(() => '', (e: NodeJS.ErrnoException) => e.code === 'ENOENT' ? '' : ` (its copy ${this.#path}.tmp is left: ${e.message})`);
      if (this.#compactAgainAt === 0 || left) this.#onError?.(new McpError(LocalErrorCode.Store, `cannot compact the task log ${this.#path}: ${(error as Error).message}${left}; its records are safe, and it is tried again later`, { cause: error }));
      this.#compactAgainAt = this.#lines + COMPACT_SLACK;
    }
  }

  /** Rewrite the log with one line per live record: temp file, fsync, rename. */
  async #compact(): Promise<void> {
    const temp = `${this.#path}.tmp`;
    const records = this.#table.records();
    const out = await this.#fs.open(temp, 'w', FILE_MODE);
    try {
      const bytes = Buffer.concat([HEADER, ...records.map((r) => putLine(JSON.stringify(r)))].map(sealLine));
      let done = 0;
      while (done < bytes.length) done += (await out.write(bytes, done, bytes.length - done)).bytesWritten;
      await out.sync();
    } finally {
      await out.close();
    }
    // Opened before the rename: once the copy has the log's name nothing is left to fail,
    // and appends never go to the old file after it lost its name.
    const next = await this.#fs.open(temp, 'a', FILE_MODE);
    try {
      await this.#fs.rename(temp, this.#path);
    } catch (error) {
      await next.close();
      throw error;
    }
    const old = this.#fh;
    this.#fh = next;
    this.#lines = records.length + 1;
    await old?.close().catch((e: Error) => this.#onError?.(new McpError(LocalErrorCode.Store, `cannot close the task log replaced by its compacted copy: ${e.message}`, { cause: e })));
  }
}
