/**
 * Compaction of a session log: rewrite it keeping only what retention allows (the header,
 * the latest metadata, every live stream's records and its retained events), so a long-lived
 * session's file stays proportional to its history, not to all it ever sent. Streams that
 * retention dropped, repeated lines and stray bytes are left behind.
 *
 * Atomic: the copy is written to `<log>.tmp` (mode 0600), fsynced, and renamed over the log;
 * a crash at any point leaves either the old file or the new one, each complete (a leftover
 * `.tmp` is removed on the next open). Runs as a task of the log's queue, so no append
 * interleaves. Events are copied byte for byte from their indexed offsets, checksum included
 * (a damaged one stays damaged and is refused on replay); lines of a version 1 log are sealed
 * with a checksum on the way.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { forEachLine } from './line-reader.ts';
import { FILE_MODE, type LogFs, type LogHandle } from './log-fs.ts';
import type { FileStream, SessionEventLog } from './log-file.ts';
import { jumpLines } from './log-epochs.ts';
import { settleHole } from './log-stream-index.ts';
import { checkSeal, endLine, headerLine, metaLine, resealLine, streamLine } from './log-records.ts';

/** Suffix of the temporary file of a compaction in progress. */
export const COMPACTION_SUFFIX = '.tmp';

/**
 * Compact `log` (see the module comment). Call only from a task of the log. `source`: read the
 * log through this open handle (left open) rather than by its path, as when the file lost its
 * name (log-relink.ts).
 */
export async function compactLog(log: SessionEventLog, fs: LogFs, source?: LogHandle): Promise<void> {
  const tempPath = log.path + COMPACTION_SUFFIX;
  /** Retained event offsets in the old file -> their stream. */
  const wanted = new Map<number, FileStream>();
  const offsets = new Map<FileStream, number[]>();
  for (const stream of log.streams.values()) {
    // The copy drops the damaged line: a hole no re-run fills becomes the gap it stands for.
    if (stream.hole) settleHole(stream);
    offsets.set(stream, []);
    for (let i = stream.head; i < stream.offsets.length; i++) wanted.set(stream.offsets[i]!, stream);
  }
  let pending: Buffer[] = [];
  let size = 0;
  const push = (bytes: Buffer): void => {
    pending.push(bytes);
    size += bytes.length;
  };
  let out: LogHandle | undefined = await fs.open(tempPath, 'w', FILE_MODE);
  try {
    const target = out;
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const data = Buffer.concat(pending);
      pending = [];
      let written = 0;
      while (written < data.length) written += (await target.write(data, written, data.length - written)).bytesWritten;
    };
    push(headerLine(log.sessionId, log.tagKey));
    if (log.meta !== undefined) push(metaLine(log.meta));
    for (const stream of log.streams.values()) {
      push(streamLine(stream.token, stream.key.streamId, stream.base));
      for (const line of jumpLines(stream.token, stream.jumps)) push(line); // the seqs skipped stay refused
      if (stream.endedAt !== undefined) push(endLine(stream.token, stream.endedAt));
    }
    const input = source ?? await fs.open(log.path, 'r');
    try {
      await forEachLine(
        input,
        0,
        log.size,
        (line, offset) => {
          const stream = wanted.get(offset);
          if (!stream) return;
          wanted.delete(offset);
          offsets.get(stream)!.push(size);
          if (log.legacy && checkSeal(line) === 'none') {
            push(resealLine(line));
            return;
          }
          const copy = Buffer.allocUnsafe(line.length + 1);
          line.copy(copy);
          copy[line.length] = 0x0a;
          push(copy);
        },
        flush,
      );
    } finally {
      if (input !== source) await input.close();
    }
    await flush();
    if (wanted.size > 0) throw new McpError(LocalErrorCode.Store, `Compaction did not find ${wanted.size} retained events at their offsets`);
    await out.datasync();
    await out.close();
    out = undefined;
    await log.adoptCompacted(tempPath, size, offsets);
  } catch (error) {
    const failures: unknown[] = [error];
    if (out) await out.close().catch((e: unknown) => failures.push(e));
    await fs.unlink(tempPath).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failures.push(e);
    });
    throw failures.length === 1 ? error : new AggregateError(failures, 'Compaction failed, and so did its cleanup');
  }
}
