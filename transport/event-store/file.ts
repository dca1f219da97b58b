/**
 * A durable EventStore: append-only log files that survive kill -9 and restart
 * (2025-11-25 basic/transports: resumability; a restarted server can still replay).
 *
 * Layout: one file per session under `dir` (0700; files 0600: they hold session ids and
 * stream tokens), named by a hash of the session id (`<sha256 prefix>.log`), holding JSON
 * lines with a CRC-32 each (see log-records.ts): a header, stream records mapping each random
 * stream token to its stream, events, ends and drops of streams, and session metadata.
 * Because the token map is in the log, event ids issued before a restart resolve after it.
 *
 * - Appends are O(1): one line appended through the session's single handle, batched with
 *   whatever else is queued (group commit). The index in memory holds one offset per event;
 *   a replay reads the stream's lines from disk and checks each checksum (log-replay.ts).
 * - Durability: `fsync` 'always' syncs before an append resolves; 'interval' syncs within
 *   `fsyncIntervalMs` (a process crash loses nothing written, a power loss at most that
 *   window); 'never' leaves it to the OS. A failed write (disk full) is undone and fails
 *   only its own appends; the log stays writable (log-file.ts).
 * - Retention: `maxEventsPerStream` per stream; finished streams (`endStream`) beyond
 *   `retainFinishedStreams` per session or older than `retainFinishedMs` are dropped. Both
 *   leave the index at once and the file by compaction (log-compaction.ts) when it passes
 *   `compactAfterBytes`. Other history lives until `deleteSession`.
 * - Recovery (log-recovery.ts) repairs a torn tail, reports damage as gaps, and sets aside
 *   files it cannot read; none of it stops the store from opening.
 * - One process per directory: the store does not lock it.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { formatEventId, hasStreamTag, newStreamToken, parseEventId } from './event-id.ts';
import { COMPACTION_SUFFIX } from './log-compaction.ts';
import { seqOf, startEpoch, syncEpoch } from './log-epochs.ts';
import { SessionEventLog, type FileStream, type FsyncMode } from './log-file.ts';
import { filledHole, indexEvent, settleHole } from './log-stream-index.ts';
import { nodeLogFs, openStoreDir, type LogFs } from './log-fs.ts';
import { asStoreError, SessionEventLogPool } from './log-pool.ts';
import { recoverLog } from './log-recovery.ts';
import { readEventsAfter } from './log-replay.ts';
import { dropLine, endLine, eventLine, hexKey, metaLine, streamLine } from './log-records.ts';
import { ResumeError } from './resume-error.ts';
import { serializeMessage, serializeMeta } from './serialize.ts';
import type { OpenStreamOptions, ReplayHandler, SessionEventStore, SavedSessionState, StreamKey } from './types.ts';

/** Options of {@link createFileEventStore}. */
export interface FileEventStoreOptions {
  /** Directory of the log files; created (mode 0700) when missing. One store (process) per directory. */
  dir: string;
  /** When appended data is forced to disk. Default 'interval'. */
  fsync?: FsyncMode;
  /** Longest time appended data waits for fsync in 'interval' mode, in ms. Default 100. */
  fsyncIntervalMs?: number;
  /** Events kept per stream; older ones are evicted from the head. Default 10 000. */
  maxEventsPerStream?: number;
  /**
   * Finished streams (see `endStream`) kept per session; beyond it the oldest finished one
   * is dropped (a resume from it answers 410). Default 64.
   */
  retainFinishedStreams?: number;
  /** A finished stream is dropped this long (ms) after it finished. Default 10 minutes. */
  retainFinishedMs?: number;
  /**
   * A session's log is compacted once it grows past this many bytes, and then again each
   * time it doubles past its compacted size. Default 16 MiB.
   */
  compactAfterBytes?: number;
  /** Log files kept open at once; the least recently written is closed first. Default 256. */
  maxOpenFiles?: number;
  /**
   * Receives failures that belong to no call: recovery damage, files set aside, background
   * fsync or compaction failures, a failed close of an idle file.
   */
  onError: (error: McpError) => void;
  /** The file system, for fault-injection tests. Default `node:fs/promises`. */
  fs?: LogFs;
  /** Clock in ms since the epoch, for tests. Default `Date.now`. */
  now?: () => number;
}

const LOG_SUFFIX = '.log';
/** Logs recovered at once when the store opens. */
const RECOVERY_PARALLELISM = 8;
const EMPTY = Buffer.alloc(0);
const NO_UNDO = (): void => {};

/**
 * Open (recovering) or create a file event store in `options.dir` (see the module comment).
 * Rejects when the directory cannot be made or listed; damaged, unreadable or foreign files
 * in it are repaired, set aside or skipped, and reported through `onError`.
 */
export function createFileEventStore(options: FileEventStoreOptions): Promise<SessionEventStore> {
  return FileEventStore.open(options);
}

/**
 * The file store: an index in memory (sessions, stream tokens, deletions under way) over one
 * {@link SessionEventLog} per session, whose handles and fsyncs a {@link SessionEventLogPool} manages.
 * It is open from {@link FileEventStore.open} until `close`, after which every call rejects.
 */
class FileEventStore implements SessionEventStore {
  readonly #dir: string;
  readonly #onError: (error: McpError) => void;
  readonly #now: () => number;
  readonly #maxEvents: number;
  readonly #retainFinished: number;
  readonly #retainFinishedMs: number;
  readonly #pool: SessionEventLogPool;
  /** Logs by session id. */
  readonly #logs = new Map<string, SessionEventLog>();
  /** Every stream of every log, by its token (the part of an event id that names the stream). */
  readonly #tokens = new Map<string, FileStream>();
  /** Deletions of log files under way, by path: a new log at that path waits for its file's. */
  readonly #deletions = new Map<string, Promise<void>>();
  #closed = false;

  /** Create the store and recover the logs already in its directory. */
  static async open(options: FileEventStoreOptions): Promise<FileEventStore> {
    const store = new FileEventStore(options);
    await store.#recover();
    return store;
  }

  private constructor(options: FileEventStoreOptions) {
    this.#dir = options.dir;
    this.#onError = options.onError;
    this.#now = options.now ?? Date.now;
    this.#maxEvents = options.maxEventsPerStream ?? 10_000;
    this.#retainFinished = Math.max(0, options.retainFinishedStreams ?? 64);
    this.#retainFinishedMs = options.retainFinishedMs ?? 10 * 60 * 1000;
    this.#pool = new SessionEventLogPool({
      dir: options.dir,
      fs: options.fs ?? nodeLogFs,
      fsync: options.fsync ?? 'interval',
      fsyncIntervalMs: options.fsyncIntervalMs ?? 100,
      maxEventsPerStream: this.#maxEvents,
      compactAfterBytes: options.compactAfterBytes ?? 16 * 1024 * 1024,
      maxOpenFiles: Math.max(1, options.maxOpenFiles ?? 256),
      onError: options.onError,
    });
  }

  async openStream(key: StreamKey, options?: OpenStreamOptions): Promise<string> {
    this.#checkOpen();
    const stream = this.#streamFor(key);
    // Recovery found its last event damaged, and a restarted server re-runs its call, which
    // writes that event again: the history before it stays served.
    if (stream.hole && options?.rerun === true) stream.hole.open = true;
    stream.endUnknown = false; // carried on from here: a replay waits for what follows live
    const log = stream.log;
    let recorded: Promise<void> | undefined;
    if (!stream.recorded) {
      // Written now, so the start id resolves after a restart even before any event.
      let undo = NO_UNDO;
      recorded = log.write(() => {
        const record = this.#recordOf(stream);
        undo = record.undo;
        return record.bytes;
      }, undefined, () => undo());
    }
    // A task: it runs after every append queued before this call, and before later ones.
    const cursor = log.task(async () => {
      log.checkWritable();
      return formatEventId(stream.token, seqOf(stream.jumps, stream.lastSeq));
    });
    if (recorded) await Promise.all([recorded, cursor]);
    const id = await cursor;
    if (stream.epochSync) await stream.epochSync; // an id of the new epoch waits for its record (log-epochs.ts)
    return id;
  }

  async append(key: StreamKey, message: JsonRpcMessage, serialized?: string): Promise<string> {
    this.#checkOpen();
    const json = serialized ?? serializeMessage(message);
    const stream = this.#streamFor(key);
    const log = stream.log;
    const maxEvents = this.#maxEvents;
    // The seq is taken when the batch is built (so appends keep their call order) and
    // given back if the batch fails, so a failed write leaves no hole in the stream.
    let seq = 0;
    let skip = 0;
    let undoRecord = NO_UNDO;
    let epoch: ReturnType<typeof startEpoch> = undefined;
    await log.write(
      () => {
        const record = this.#recordOf(stream);
        undoRecord = record.undo;
        if (stream.hole) settleHole(stream);
        // Read back after a restart: its seqs jump past any the previous process may have sent.
        epoch = startEpoch(stream);
        skip = record.bytes.length + (epoch?.bytes.length ?? 0);
        stream.endUnknown = false;
        seq = seqOf(stream.jumps, ++stream.nextSeq);
        const line = eventLine(stream.token, seq, json);
        return skip === 0 ? line : Buffer.concat(epoch ? [record.bytes, epoch.bytes, line] : [record.bytes, line]);
      },
      (offset) => {
        indexEvent(stream, offset + skip, maxEvents);
        if (stream.hole) filledHole(stream);
        if (epoch) syncEpoch(stream);
      },
      () => {
        stream.nextSeq -= 1;
        epoch?.undo();
        undoRecord();
      },
    );
    if (stream.epochSync) await stream.epochSync;
    return formatEventId(stream.token, seq);
  }

  async endStream(key: StreamKey): Promise<void> {
    this.#checkOpen();
    const log = this.#logs.get(key.sessionId);
    const stream = log?.streams.get(key.streamId);
    if (!log || !stream || stream.endedAt !== undefined) return;
    stream.endedAt = this.#now();
    stream.endUnknown = false;
    log.finished.add(stream);
    this.#sweep(log);
    if (stream.recorded && log.streams.get(key.streamId) === stream) await log.write(() => endLine(stream.token, stream.endedAt!));
  }

  async replayAfter(eventId: string, onEvent: ReplayHandler, expectedSessionId?: string): Promise<StreamKey> {
    this.#checkOpen();
    const parsed = parseEventId(eventId);
    if (!parsed) throw new ResumeError('malformed', eventId);
    const stream = this.#tokens.get(parsed.token);
    if (!stream) {
      // A token this session's log tagged, whose stream retention dropped: 410, not 400.
      const log = expectedSessionId === undefined ? undefined : this.#logs.get(expectedSessionId);
      if (log && hasStreamTag(parsed.token, log.tagKeyBytes, log.sessionId)) throw new ResumeError('evicted', eventId);
      throw new ResumeError('unknown', eventId);
    }
    if (expectedSessionId !== undefined && stream.key.sessionId !== expectedSessionId) {
      throw new ResumeError('wrong-session', eventId);
    }
    this.#sweep(stream.log);
    if (!this.#tokens.has(parsed.token)) throw new ResumeError('evicted', eventId); // retention just dropped it
    const events = await readEventsAfter(stream, parsed.seq, eventId);
    for (const event of events) {
      const pending = onEvent(formatEventId(stream.token, event.seq), event.message);
      if (pending !== undefined) await pending;
    }
    return { sessionId: stream.key.sessionId, streamId: stream.key.streamId } satisfies StreamKey;
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.#checkOpen();
    const log = this.#logs.get(sessionId);
    if (!log) return;
    this.#logs.delete(sessionId);
    for (const stream of log.streams.values()) this.#tokens.delete(stream.token);
    this.#pool.forget(log);
    const done = log.destroy();
    this.#deletions.set(log.path, done);
    try {
      await done;
    } finally {
      if (this.#deletions.get(log.path) === done) this.#deletions.delete(log.path);
    }
  }

  async saveSession(sessionId: string, meta: Record<string, unknown>): Promise<void> {
    this.#checkOpen();
    const json = serializeMeta(meta);
    const log = this.#logFor(sessionId);
    await log.write(() => metaLine(json), () => {
      log.meta = json;
    });
  }

  async loadSessions(): Promise<SavedSessionState[]> {
    this.#checkOpen();
    const out: SavedSessionState[] = [];
    for (const log of this.#logs.values()) {
      if (log.meta !== undefined) out.push({ sessionId: log.sessionId, meta: JSON.parse(log.meta) as Record<string, unknown> });
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pool.stop();
    const results = await Promise.allSettled([...[...this.#logs.values()].map((log) => log.close()), ...this.#deletions.values()]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) {
      throw new McpError(LocalErrorCode.Store, 'Closing the file event store failed', { cause: failures.length === 1 ? failures[0] : new AggregateError(failures) });
    }
  }

  /** Make the directory private, remove interrupted compactions, and recover every log in it. */
  async #recover(): Promise<void> {
    const fs = this.#pool.fs;
    const dir = this.#dir;
    await openStoreDir(fs, dir, 'file event store');
    const names = await fs.readdir(dir);
    for (const name of names) if (name.endsWith(LOG_SUFFIX + COMPACTION_SUFFIX)) await this.#removeLeftover(join(dir, name));
    const logNames = names.filter((n) => n.endsWith(LOG_SUFFIX)).sort();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(RECOVERY_PARALLELISM, logNames.length) }, async () => {
        while (next < logNames.length) {
          const log = await recoverLog(join(dir, logNames[next++]!), this.#pool);
          if (log) this.#register(log);
        }
      }),
    );
  }

  /** A leftover temp file is a compaction the crash interrupted; the log itself is intact. */
  async #removeLeftover(path: string): Promise<void> {
    const fs = this.#pool.fs;
    try {
      if ((await fs.lstat(path)).isFile()) await fs.unlink(path);
      else this.#onError(new McpError(LocalErrorCode.Store, `${path} is named like a compaction file but is not a regular file; it is ignored`));
    } catch (error) {
      this.#onError(new McpError(LocalErrorCode.Store, `Cannot remove the leftover compaction file ${path}; it is ignored`, { cause: error }));
    }
  }

  #register(log: SessionEventLog): void {
    const clash = this.#logs.has(log.sessionId) || [...log.streams.values()].some((s) => this.#tokens.has(s.token));
    if (clash) {
      this.#onError(new McpError(LocalErrorCode.Store, `${log.path} repeats a session or stream of another log (a copied file?); it is ignored`));
      return;
    }
    this.#logs.set(log.sessionId, log);
    for (const stream of log.streams.values()) this.#tokens.set(stream.token, stream);
    this.#sweep(log);
  }

  #pathFor(sessionId: string): string {
    return join(this.#dir, createHash('sha256').update(sessionId).digest('hex').slice(0, 32) + LOG_SUFFIX);
  }

  #logFor(sessionId: string): SessionEventLog {
    let log = this.#logs.get(sessionId);
    if (!log) {
      const path = this.#pathFor(sessionId);
      const blockedBy = this.#deletions.get(path);
      log = new SessionEventLog({ sessionId, path, hooks: this.#pool, tagKey: hexKey(), ...(blockedBy ? { blockedBy } : {}) });
      this.#logs.set(sessionId, log);
    }
    return log;
  }

  /** Create a stream; its record is written with its first write (see `#recordOf`). */
  #createStream(log: SessionEventLog, streamId: string): FileStream {
    const stream: FileStream = {
      token: newStreamToken({ key: log.tagKeyBytes, sessionId: log.sessionId }),
      key: { sessionId: log.sessionId, streamId },
      log,
      base: 0,
      lastSeq: 0,
      nextSeq: 0,
      jumps: undefined,
      epochSync: undefined,
      offsets: [],
      head: 0,
      recorded: false,
      endedAt: undefined,
      hole: undefined,
      recovered: false,
      endUnknown: false,
    };
    log.streams.set(streamId, stream);
    this.#tokens.set(stream.token, stream);
    return stream;
  }

  #streamFor(key: StreamKey): FileStream {
    const log = this.#logFor(key.sessionId);
    return log.streams.get(key.streamId) ?? this.#createStream(log, key.streamId);
  }

  /**
   * The stream's record when the file lacks it, to go before what is written now. A batch
   * that fails takes it back (`undo`), so a stream is never written without its record.
   */
  #recordOf(stream: FileStream): { bytes: Buffer; undo: () => void } {
    if (stream.recorded) return { bytes: EMPTY, undo: NO_UNDO };
    stream.recorded = true;
    return { bytes: streamLine(stream.token, stream.key.streamId, stream.base), undo: () => { stream.recorded = false; } };
  }

  /** Drop finished streams beyond the count or past the time retention allows, oldest first. */
  #sweep(log: SessionEventLog): void {
    const at = this.#now();
    for (const stream of log.finished) {
      if (log.finished.size <= this.#retainFinished && at - stream.endedAt! < this.#retainFinishedMs) break;
      log.finished.delete(stream);
      log.streams.delete(stream.key.streamId);
      this.#tokens.delete(stream.token);
      // Recorded so a restart does not bring it back; compaction then leaves its lines behind.
      if (stream.recorded) log.write(() => dropLine(stream.token)).catch((e: unknown) => this.#onError(asStoreError(e, `Recording a dropped stream of session ${log.sessionId} failed`)));
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new McpError(LocalErrorCode.Closed, 'The event store is closed');
  }
}
