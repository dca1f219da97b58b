/**
 * A durable EventStore: append-only log files that survive kill -9 and restart
 * (2025-11-25 basic/transports: resumability; a restarted server can still replay).
 *
 * Layout: one file per session under `dir`, named by a hash of the session id
 * (`<sha256 prefix>.log`), holding JSON lines (see log-records.ts): a header, stream records
 * mapping each random stream token to its stream, events, and session metadata. Because the
 * token map is in the log, event ids issued before a restart resolve after it.
 *
 * - Appends are O(1): one line appended through the session's single handle, batched with
 *   whatever else is queued (group commit). The index in memory holds one offset per event;
 *   a replay reads the stream's lines from disk.
 * - Durability: `fsync` 'always' syncs before an append resolves; 'interval' syncs within
 *   `fsyncIntervalMs` (a process crash loses nothing written, a power loss at most that
 *   window); 'never' leaves it to the OS.
 * - Retention: `maxEventsPerStream` per stream; older events are dropped from the index at
 *   once and from the file by compaction (log-compaction.ts) when it passes
 *   `compactAfterBytes`. History otherwise lives until `deleteSession`.
 * - One process per directory: the store does not lock it.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { formatEventId, newStreamToken, parseEventId } from './event-id.ts';
import { COMPACTION_SUFFIX, compactLog } from './log-compaction.ts';
import { indexEvent, SessionLog, type FileStream, type FsyncMode, type SessionLogHooks } from './log-file.ts';
import { recoverLog } from './log-recovery.ts';
import { eventLine, metaLine, streamLine } from './log-records.ts';
import { ResumeError } from './resume-error.ts';
import { serializeMessage, serializeMeta } from './serialize.ts';
import type { SessionEventStore, StoredSession, StreamKey } from './types.ts';

/** Options of {@link createFileEventStore}. */
export interface FileEventStoreOptions {
  /** Directory of the log files; created when missing. One store (process) per directory. */
  dir: string;
  /** When appended data is forced to disk. Default 'interval'. */
  fsync?: FsyncMode;
  /** Longest time appended data waits for fsync in 'interval' mode, in ms. Default 100. */
  fsyncIntervalMs?: number;
  /** Events kept per stream; older ones are evicted from the head. Default 10 000. */
  maxEventsPerStream?: number;
  /**
   * A session's log is compacted once it grows past this many bytes, and then again each
   * time it doubles past its compacted size. Default 16 MiB.
   */
  compactAfterBytes?: number;
  /** Log files kept open at once; the least recently written is closed first. Default 256. */
  maxOpenFiles?: number;
  /**
   * Receives failures that belong to no call: recovery damage, background fsync or
   * compaction failures, a failed close of an idle file.
   */
  onError: (error: McpError) => void;
}

const LOG_SUFFIX = '.log';
/** Logs recovered at once when the store opens. */
const RECOVERY_PARALLELISM = 8;

function asStoreError(error: unknown, message: string): McpError {
  return error instanceof McpError ? error : new McpError(LocalErrorCode.Store, message, { cause: error });
}

/**
 * Open (recovering) or create a file event store in `options.dir` (see the module comment).
 * Rejects when the directory or a log cannot be read; damage inside logs is repaired or
 * skipped and reported through `onError`.
 */
export async function createFileEventStore(options: FileEventStoreOptions): Promise<SessionEventStore> {
  const { dir, onError } = options;
  const fsync = options.fsync ?? 'interval';
  const fsyncIntervalMs = options.fsyncIntervalMs ?? 100;
  const maxEvents = options.maxEventsPerStream ?? 10_000;
  const maxOpenFiles = Math.max(1, options.maxOpenFiles ?? 256);

  const logs = new Map<string, SessionLog>(); // by session id
  const tokens = new Map<string, FileStream>();
  const deletions = new Map<string, Promise<void>>(); // by path
  const openLogs = new Map<SessionLog, true>(); // least recently written first
  const dirty = new Set<SessionLog>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  async function syncDir(): Promise<void> {
    if (process.platform === 'win32') return; // directories cannot be opened for fsync there
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  function flushDirty(): void {
    timer = undefined;
    const due = [...dirty];
    dirty.clear();
    for (const log of due) log.sync().catch((e: unknown) => onError(asStoreError(e, `fsync of the log of session ${log.sessionId} failed`)));
  }

  const hooks: SessionLogHooks = {
    fsync,
    maxEventsPerStream: maxEvents,
    compactAfterBytes: options.compactAfterBytes ?? 16 * 1024 * 1024,
    onUse(log) {
      openLogs.delete(log);
      openLogs.set(log, true);
      while (openLogs.size > maxOpenFiles) {
        const oldest = openLogs.keys().next().value!;
        openLogs.delete(oldest);
        oldest.releaseHandle().catch((e: unknown) => onError(asStoreError(e, `Closing the log of session ${oldest.sessionId} failed`)));
      }
    },
    onDirty(log) {
      dirty.add(log);
      if (timer === undefined && !closed) {
        timer = setTimeout(flushDirty, fsyncIntervalMs);
        timer.unref(); // pending data is in the OS already; do not hold the process open
      }
    },
    compact: compactLog,
    syncDir,
    onError,
  };

  function pathFor(sessionId: string): string {
    return join(dir, createHash('sha256').update(sessionId).digest('hex').slice(0, 32) + LOG_SUFFIX);
  }

  function register(log: SessionLog): void {
    const clash = logs.has(log.sessionId) || [...log.streams.values()].some((s) => tokens.has(s.token));
    if (clash) {
      onError(new McpError(LocalErrorCode.Store, `${log.path} repeats a session or stream of another log (a copied file?); it is ignored`));
      return;
    }
    logs.set(log.sessionId, log);
    for (const stream of log.streams.values()) tokens.set(stream.token, stream);
  }

  function logFor(sessionId: string): SessionLog {
    let log = logs.get(sessionId);
    if (!log) {
      const path = pathFor(sessionId);
      const blockedBy = deletions.get(path);
      log = new SessionLog({ sessionId, path, hooks, ...(blockedBy ? { blockedBy } : {}) });
      logs.set(sessionId, log);
    }
    return log;
  }

  /** Create a stream; the returned promise settles when its record is written. */
  function createStream(log: SessionLog, streamId: string): [FileStream, Promise<void>] {
    const stream: FileStream = {
      token: newStreamToken(),
      key: { sessionId: log.sessionId, streamId },
      log,
      base: 0,
      lastSeq: 0,
      nextSeq: 0,
      offsets: [],
      head: 0,
    };
    log.streams.set(streamId, stream);
    tokens.set(stream.token, stream);
    return [stream, log.write(streamLine(stream.token, streamId, 0))];
  }

  function checkOpen(): void {
    if (closed) throw new McpError(LocalErrorCode.Closed, 'The event store is closed');
  }

  await mkdir(dir, { recursive: true });
  const names = await readdir(dir);
  // A leftover temp file is a compaction the crash interrupted; the log itself is intact.
  for (const name of names) if (name.endsWith(LOG_SUFFIX + COMPACTION_SUFFIX)) await unlink(join(dir, name));
  const logNames = names.filter((n) => n.endsWith(LOG_SUFFIX)).sort();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(RECOVERY_PARALLELISM, logNames.length) }, async () => {
      while (next < logNames.length) {
        const log = await recoverLog(join(dir, logNames[next++]!), hooks);
        if (log) register(log);
      }
    }),
  );

  return {
    async openStream(key) {
      checkOpen();
      const log = logFor(key.sessionId);
      const found = log.streams.get(key.streamId);
      const [stream, recorded] = found ? [found, undefined] : createStream(log, key.streamId);
      // A task: it runs after every append queued before this call, and before later ones.
      const cursor = log.task(async () => {
        log.checkWritable();
        return formatEventId(stream.token, stream.lastSeq);
      });
      if (recorded) await Promise.all([recorded, cursor]);
      return cursor;
    },

    async append(key, message, serialized) {
      checkOpen();
      const json = serialized ?? serializeMessage(message);
      const log = logFor(key.sessionId);
      const found = log.streams.get(key.streamId);
      const [stream, recorded] = found ? [found, undefined] : createStream(log, key.streamId);
      // The seq is taken now, so concurrent appends keep their call order.
      const seq = ++stream.nextSeq;
      const written = log.write(eventLine(stream.token, seq, json), (offset) => indexEvent(stream, offset, maxEvents));
      await (recorded ? Promise.all([recorded, written]) : written);
      return formatEventId(stream.token, seq);
    },

    async replayAfter(eventId, onEvent, expectedSessionId) {
      checkOpen();
      const parsed = parseEventId(eventId);
      if (!parsed) throw new ResumeError('malformed', eventId);
      const stream = tokens.get(parsed.token);
      if (!stream) throw new ResumeError('unknown', eventId);
      if (expectedSessionId !== undefined && stream.key.sessionId !== expectedSessionId) {
        throw new ResumeError('wrong-session', eventId);
      }
      const events = await stream.log.readAfter(stream, parsed.seq, eventId);
      for (const event of events) {
        const pending = onEvent(formatEventId(stream.token, event.seq), event.message);
        if (pending !== undefined) await pending;
      }
      return { sessionId: stream.key.sessionId, streamId: stream.key.streamId } satisfies StreamKey;
    },

    async deleteSession(sessionId) {
      checkOpen();
      const log = logs.get(sessionId);
      if (!log) return;
      logs.delete(sessionId);
      for (const stream of log.streams.values()) tokens.delete(stream.token);
      openLogs.delete(log);
      dirty.delete(log);
      const done = log.destroy();
      deletions.set(log.path, done);
      try {
        await done;
      } finally {
        if (deletions.get(log.path) === done) deletions.delete(log.path);
      }
    },

    async saveSession(sessionId, meta) {
      checkOpen();
      const json = serializeMeta(meta);
      const log = logFor(sessionId);
      await log.write(metaLine(json), () => {
        log.meta = json;
      });
    },

    async loadSessions(): Promise<StoredSession[]> {
      checkOpen();
      const out: StoredSession[] = [];
      for (const log of logs.values()) {
        if (log.meta !== undefined) out.push({ sessionId: log.sessionId, meta: JSON.parse(log.meta) as Record<string, unknown> });
      }
      return out;
    },

    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const results = await Promise.allSettled([...[...logs.values()].map((log) => log.close()), ...deletions.values()]);
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (failures.length > 0) {
        throw new McpError(LocalErrorCode.Store, 'Closing the file event store failed', { cause: failures.length === 1 ? failures[0] : new AggregateError(failures) });
      }
    },
  };
}
