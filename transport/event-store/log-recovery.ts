/**
 * Recovery of a session log when the file store opens, e.g. after kill -9 or power loss.
 * The store's rule: an event is complete or it does not exist, and nothing is lost silently.
 *
 * - Bytes after the last `\n` are a write torn by the crash. No append was acknowledged for
 *   them, so they are truncated away, silently.
 * - A whole line that is unreadable or fails its checksum is damage, reported through
 *   `onError`. When its prefix still names an event of a known stream, that event becomes a
 *   gap: a resume from before it is refused as evicted (410), a resume from it is served.
 *   When it is the stream's last record, the history before it is kept as a hole the stream
 *   reopened fills (a restarted server re-running its call writes the event again: file.ts).
 *   When nothing names it, it is skipped: an id past a stream's end is a gap anyway (log-replay.ts).
 * - Events must follow each other (seq n after n - 1). A gap (a lost line) moves the stream's
 *   base past it, so a resume from before the gap fails as 'evicted' instead of replaying
 *   around the hole; a repeated seq is skipped. Both are reported.
 * - A file that holds no readable header, or cannot be opened or read, is renamed aside to
 *   `<name>.corrupt` (never deleted) and reported; an empty file (created, never written) is
 *   removed. A directory or other non-file named like a log is reported and left alone.
 * - A log readable by others (made by an older version) is made private (0600).
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { forEachLine } from './line-reader.ts';
import { FILE_MODE, setAsideFile, type LogHandle } from './log-fs.ts';
import { SessionEventLog, type SessionEventLogHooks } from './log-file.ts';
import { addJump, positionOf, type SeqJump } from './log-epochs.ts';
import { indexEvent } from './log-stream-index.ts';
import { hexKey, LOG_VERSION, peekEvent, readRecord } from './log-records.ts';

interface StreamDraft {
  token: string;
  streamId: string;
  base: number;
  lastSeq: number;
  offsets: number[];
  head: number;
  endedAt: number | undefined;
  /** Position of a damaged event with nothing of its stream read after it yet (see `#damaged`). */
  damaged: number | undefined;
  /** Its epochs' jumps (log-epochs.ts): the seqs of its lines are positions past them. */
  jumps: SeqJump[] | undefined;
}

/** Most problems listed in one report; the rest are counted. */
const MAX_LISTED = 5;

/** What the lines of a log said. */
class LogReading {
  readonly problems: string[] = [];
  readonly streams = new Map<string, StreamDraft>(); // by token
  readonly streamIds = new Set<string>();
  sessionId: string | undefined;
  legacy = false;
  key: string | undefined;
  meta: string | undefined;
  notALog = false;
  /** The header names a log format newer than {@link LOG_VERSION}: nothing else is read. */
  newerFormat: number | undefined;

  readonly maxEvents: number;

  constructor(maxEvents: number) {
    this.maxEvents = maxEvents;
  }

  /** Take one complete line; `false` stops the reading (not a log). */
  line(line: Buffer, offset: number): boolean {
    if (this.sessionId === undefined) return this.#header(line);
    const record = readRecord(line, this.legacy);
    if (!record) {
      this.#damaged(line, offset);
      return true;
    }
    switch (record.t) {
      case 'h':
        this.problems.push(`second header at byte ${offset}, skipped`);
        break;
      case 'm':
        this.meta = record.meta;
        break;
      case 's':
        if (this.streams.has(record.token) || this.streamIds.has(record.streamId)) {
          this.problems.push(`repeated stream record at byte ${offset}, skipped`);
          break;
        }
        this.streamIds.add(record.streamId);
        this.streams.set(record.token, { token: record.token, streamId: record.streamId, base: record.base, lastSeq: record.base, offsets: [], head: 0, endedAt: undefined, damaged: undefined, jumps: undefined });
        break;
      case 'x': {
        const stream = this.streams.get(record.token);
        if (stream) {
          stream.endedAt = record.at;
          this.#settle(stream); // it ended: nothing will take the damaged event's place
        }
        break;
      }
      case 'd': {
        const stream = this.streams.get(record.token);
        if (stream) {
          this.streams.delete(record.token);
          this.streamIds.delete(stream.streamId);
        }
        break;
      }
      case 'j': {
        const stream = this.streams.get(record.token);
        if (stream) this.#jump(stream, record.from, record.to, offset);
        break;
      }
      case 'e':
        this.#event(record.token, record.seq, offset);
    }
    return true;
  }

  /** An epoch's record: the seqs after `from` jump to `to` (log-epochs.ts). */
  #jump(stream: StreamDraft, from: number, to: number, offset: number): void {
    const at = positionOf(stream.jumps, from);
    // Written after the stream's events up to `from`: one behind kept events is out of place.
    if (at === undefined || (at < stream.lastSeq && at >= stream.base)) {
      this.problems.push(`an epoch record at byte ${offset} out of place, skipped`);
      return;
    }
    if (stream.damaged !== undefined) {
      // A damaged last event the epoch skipped (a re-run carried on before it), or one its
      // writer had settled as a gap (the epoch then starts at its seq).
      if (at >= stream.damaged) this.#gapTo(stream, at);
      stream.damaged = undefined;
    }
    // Past the stream's events read so far: a compacted log writes its epochs before its events.
    addJump(stream, at, from, to);
  }

  #header(line: Buffer): boolean {
    const record = readRecord(line, true);
    if (record?.t !== 'h' || (record.version >= 2 && readRecord(line, false) === undefined)) {
      this.notALog = true;
      return false;
    }
    if (record.version > LOG_VERSION) {
      // A later mcpwire's log: its records may not mean what this version reads into them.
      this.newerFormat = record.version;
      this.notALog = true;
      return false;
    }
    this.sessionId = record.session;
    this.legacy = record.version < 2;
    this.key = record.key;
    return true;
  }

  #event(token: string, eventSeq: number, offset: number): void {
    const stream = this.streams.get(token);
    const seq = stream && positionOf(stream.jumps, eventSeq);
    if (!stream) {
      this.problems.push(`event of an unknown stream at byte ${offset}, skipped`);
    } else if (seq === undefined) {
      this.problems.push(`event ${eventSeq} at byte ${offset} has a seq its stream's epochs skipped, skipped`);
    } else if (seq <= stream.lastSeq) {
      this.problems.push(`repeated event ${seq} at byte ${offset}, skipped`);
    } else if (seq === stream.damaged) {
      stream.damaged = undefined; // an intact copy of the damaged event (a repeated line)
      indexEvent(stream, offset, this.maxEvents);
    } else {
      this.#settle(stream);
      if (seq > stream.lastSeq + 1) {
        this.problems.push(`events ${stream.lastSeq + 1}..${seq - 1} of a stream are missing; resuming before them is refused`);
        this.#gapTo(stream, seq - 1);
      }
      indexEvent(stream, offset, this.maxEvents);
    }
  }

  /** A whole line that is unreadable or fails its checksum. */
  #damaged(line: Buffer, offset: number): void {
    // The prefix of a damaged line is trusted only where it names the event expected next:
    // a flipped digit must not move a stream's end far ahead.
    const head = peekEvent(line);
    const stream = head && this.streams.get(head.token);
    const seq = stream ? positionOf(stream.jumps, head!.seq) : undefined;
    if (stream && seq === (stream.damaged ?? stream.lastSeq) + 1) {
      this.problems.push(`event ${head!.seq} of a stream at byte ${offset} is damaged; resuming before it is refused unless its call runs again`);
      this.#settle(stream);
      // Kept as the stream's hole while nothing of the stream follows it: a restarted
      // server that re-runs the stream's call carries on after it (file.ts `hole`).
      stream.damaged = seq;
    } else if (stream && seq !== undefined && seq <= (stream.damaged ?? stream.lastSeq)) {
      this.problems.push(`a damaged copy of event ${head!.seq} at byte ${offset}, skipped`);
    } else {
      this.problems.push(`unreadable or altered line at byte ${offset}, skipped`);
    }
  }

  /** Something of `stream` follows its damaged event: the damage is a gap for good. */
  #settle(stream: StreamDraft): void {
    if (stream.damaged === undefined) return;
    this.#gapTo(stream, stream.damaged);
    stream.damaged = undefined;
  }

  #gapTo(stream: StreamDraft, seq: number): void {
    stream.base = stream.lastSeq = seq;
    stream.offsets = [];
    stream.head = 0;
  }
}

/** Set `path` aside and report `why`; a failure to rename is reported too, never thrown. */
async function reportAndSetAside(path: string, why: string, hooks: SessionEventLogHooks, cause?: unknown): Promise<undefined> {
  try {
    const target = await setAsideFile(hooks.fs, path);
    hooks.onError(new McpError(LocalErrorCode.Store, `${path} ${why}; renamed to ${target}`, cause === undefined ? undefined : { cause }));
  } catch (error) {
    hooks.onError(new McpError(LocalErrorCode.Store, `${path} ${why}, and could not be renamed aside (${(error as Error).message}); it is ignored`, { cause: error }));
  }
  return undefined;
}

/**
 * Read the log at `path` and build its index, repairing a torn tail. Resolves with the
 * log, or `undefined` when the file held no session (removed, set aside or ignored, and
 * reported unless it was empty). Never rejects for what the file holds.
 */
export async function recoverLog(path: string, hooks: SessionEventLogHooks): Promise<SessionEventLog | undefined> {
  const { fs } = hooks;
  try {
    const info = await fs.lstat(path);
    if (!info.isFile()) {
      hooks.onError(new McpError(LocalErrorCode.Store, `${path} is named like an event log but is not a regular file; it is ignored`));
      return undefined;
    }
  } catch (error) {
    hooks.onError(new McpError(LocalErrorCode.Store, `${path} cannot be examined (${(error as Error).message}); it is ignored`, { cause: error }));
    return undefined;
  }
  let fh: LogHandle;
  try {
    fh = await fs.open(path, 'r+');
  } catch (error) {
    return reportAndSetAside(path, `cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})`, hooks, error);
  }
  const reading = new LogReading(hooks.maxEventsPerStream);
  let end: number;
  try {
    const info = await fh.stat();
    if ((info.mode & 0o077) !== 0) await fh.chmod(FILE_MODE);
    if (info.size === 0) {
      // Created, never written: nothing was ever acknowledged from it.
      await fh.close();
      await fs.unlink(path);
      return undefined;
    }
    end = await forEachLine(fh, 0, info.size, (line, offset) => reading.line(line, offset));
    if (!reading.notALog && reading.sessionId !== undefined && end < info.size) {
      await fh.truncate(end);
      await fh.datasync();
    }
    await fh.close();
  } catch (error) {
    await fh.close().catch(() => { /* the read failure is what is reported */ });
    return reportAndSetAside(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, hooks, error);
  }
  const sessionId = reading.sessionId;
  if (reading.newerFormat !== undefined) {
    return reportAndSetAside(path, `is in event log format ${reading.newerFormat}, newer than this version of mcpwire reads (${LOG_VERSION}): its history is not served, and the file is kept as it was`, hooks);
  }
  if (reading.notALog || sessionId === undefined) return reportAndSetAside(path, 'does not start with a log header', hooks);

  const { problems } = reading;
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    hooks.onError(new McpError(LocalErrorCode.Store, `Recovered the event log ${path} with damage: ${listed}${more}`));
  }
  // A version 1 log has no key: a new one is kept from its next compaction on.
  const log = new SessionEventLog({ sessionId, path, hooks, size: end, tagKey: reading.key ?? hexKey(), legacy: reading.legacy });
  log.meta = reading.meta;
  const finished = [...reading.streams.values()].filter((s) => s.endedAt !== undefined).sort((a, b) => a.endedAt! - b.endedAt!);
  for (const s of reading.streams.values()) {
    log.streams.set(s.streamId, {
      token: s.token,
      key: { sessionId, streamId: s.streamId },
      log,
      base: s.base,
      lastSeq: s.lastSeq,
      nextSeq: s.lastSeq,
      jumps: s.jumps,
      epochSync: undefined,
      offsets: s.offsets,
      head: s.head,
      recorded: true,
      endedAt: s.endedAt,
      hole: s.damaged === undefined ? undefined : { seq: s.damaged, open: false },
      recovered: true,
      endUnknown: s.endedAt === undefined,
    });
  }
  for (const s of finished) log.finished.add(log.streams.get(s.streamId)!);
  return log;
}
