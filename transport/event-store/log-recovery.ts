/**
 * Recovery of a session log when the file store opens, e.g. after kill -9 or power loss.
 *
 * - Bytes after the last `\n`, and a last line that is not even JSON, are a write that was
 *   torn by the crash. No append was acknowledged for them, so they are truncated away, silently.
 * - An unreadable line with lines after it, or valid JSON that is no record, is damage: it
 *   is skipped and reported.
 * - Events must follow each other (seq n after n - 1). A gap (a lost line) moves the stream's
 *   base past it, so a resume from before the gap fails as 'evicted' instead of replaying
 *   around the hole; a repeated seq is skipped. Both are reported.
 * - A file holding no readable header is either empty or torn at its first write (removed),
 *   or not a log of this store (renamed aside to `<name>.corrupt`, and reported).
 */
import { open, rename, unlink } from 'node:fs/promises';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { forEachLine } from './line-reader.ts';
import { indexEvent, SessionLog, type SessionLogHooks } from './log-file.ts';
import { parseRecord } from './log-records.ts';

interface StreamDraft {
  token: string;
  streamId: string;
  base: number;
  lastSeq: number;
  offsets: number[];
  head: number;
}

/**
 * Whether `text` is JSON. Only called for lines that are not records: a write cut short
 * never leaves valid JSON (the object's closing brace is its last byte before the newline),
 * so valid JSON that is not a record is damage or a foreign file, not a torn write.
 */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Most problems listed in one report; the rest are counted. */
const MAX_LISTED = 5;

/**
 * Read the log at `path` and build its index, repairing a torn tail. Resolves with the
 * log, or `undefined` when the file held no session (it is removed or set aside).
 */
export async function recoverLog(path: string, hooks: SessionLogHooks): Promise<SessionLog | undefined> {
  const problems: string[] = [];
  const streams = new Map<string, StreamDraft>(); // by token
  const streamIds = new Set<string>();
  let sessionId: string | undefined;
  let meta: string | undefined;
  let notALog = false;
  /** An unreadable line: torn if it turns out to be the last one, else damage. */
  let held: number | undefined;
  let end = 0;

  const fh = await open(path, 'r+');
  let fileOpen = true;
  const closeFile = async (): Promise<void> => {
    fileOpen = false;
    await fh.close();
  };
  try {
    const fileSize = (await fh.stat()).size;
    const tail = await forEachLine(fh, 0, fileSize, (line, offset) => {
      if (held !== undefined) {
        problems.push(`unreadable line at byte ${held}, skipped`);
        held = undefined;
      }
      const text = line.toString('utf8');
      const record = parseRecord(text);
      if (!record && !isJson(text)) {
        held = offset;
        return;
      }
      if (sessionId === undefined) {
        if (record?.t !== 'h') {
          notALog = true;
          return false;
        }
        sessionId = record.session;
        return;
      }
      if (!record) {
        problems.push(`line at byte ${offset} is not a record of this store, skipped`);
        return;
      }
      switch (record.t) {
        case 'h':
          problems.push(`second header at byte ${offset}, skipped`);
          return;
        case 'm':
          meta = record.meta;
          return;
        case 's':
          if (streams.has(record.token) || streamIds.has(record.streamId)) {
            problems.push(`repeated stream record at byte ${offset}, skipped`);
            return;
          }
          streamIds.add(record.streamId);
          streams.set(record.token, { token: record.token, streamId: record.streamId, base: record.base, lastSeq: record.base, offsets: [], head: 0 });
          return;
        case 'e': {
          const stream = streams.get(record.token);
          if (!stream) {
            problems.push(`event of an unknown stream at byte ${offset}, skipped`);
          } else if (record.seq <= stream.lastSeq) {
            problems.push(`repeated event ${record.seq} at byte ${offset}, skipped`);
          } else {
            if (record.seq > stream.lastSeq + 1) {
              problems.push(`events ${stream.lastSeq + 1}..${record.seq - 1} of a stream are missing; resuming before them is refused`);
              stream.base = stream.lastSeq = record.seq - 1;
              stream.offsets = [];
              stream.head = 0;
            }
            indexEvent(stream, offset, hooks.maxEventsPerStream);
          }
        }
      }
    });
    end = held ?? tail;
    if (notALog) {
      await closeFile();
      await rename(path, `${path}.corrupt`);
      hooks.onError(new McpError(LocalErrorCode.Store, `${path} does not start with a log header; renamed to ${path}.corrupt`));
      return undefined;
    }
    if (sessionId === undefined) {
      // Empty, or only a torn first write: nothing was ever acknowledged from this file.
      await closeFile();
      await unlink(path);
      return undefined;
    }
    if (end < fileSize) {
      await fh.truncate(end);
      await fh.datasync();
    }
  } finally {
    if (fileOpen) await closeFile();
  }

  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    hooks.onError(new McpError(LocalErrorCode.Store, `Recovered the event log ${path} with damage: ${listed}${more}`));
  }
  const log = new SessionLog({ sessionId, path, hooks, size: end });
  log.meta = meta;
  for (const s of streams.values()) {
    log.streams.set(s.streamId, {
      token: s.token,
      key: { sessionId, streamId: s.streamId },
      log,
      base: s.base,
      lastSeq: s.lastSeq,
      nextSeq: s.lastSeq,
      offsets: s.offsets,
      head: s.head,
    });
  }
  return log;
}
