/**
 * Compaction of a session log: rewrite it keeping only what retention allows (the header,
 * the latest metadata, every stream's record and its retained events), so a long-lived
 * session's file stays proportional to its history, not to all it ever sent.
 *
 * Atomic: the copy is written to `<log>.tmp`, fsynced, and renamed over the log; a crash at
 * any point leaves either the old file or the new one (a leftover `.tmp` is removed on the
 * next open). Runs as a task of the log's queue, so no append interleaves.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { forEachLine } from './line-reader.ts';
import type { FileStream, SessionLog } from './log-file.ts';
import { headerLine, metaLine, peekEvent, streamLine } from './log-records.ts';

/** Suffix of the temporary file of a compaction in progress. */
export const COMPACTION_SUFFIX = '.tmp';

/** Compact `log` (see the module comment). Call only from a task of the log. */
export async function compactLog(log: SessionLog): Promise<void> {
  const tempPath = log.path + COMPACTION_SUFFIX;
  const byToken = new Map<string, FileStream>();
  const offsets = new Map<FileStream, number[]>();
  const nextKeep = new Map<FileStream, number>();
  for (const stream of log.streams.values()) {
    byToken.set(stream.token, stream);
    offsets.set(stream, []);
    nextKeep.set(stream, stream.base + 1);
  }
  let pending: Buffer[] = [];
  let size = 0;
  const push = (bytes: Buffer): void => {
    pending.push(bytes);
    size += bytes.length;
  };
  let out: FileHandle | undefined = await open(tempPath, 'w');
  try {
    const target = out;
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const data = Buffer.concat(pending);
      pending = [];
      let written = 0;
      while (written < data.length) written += (await target.write(data, written, data.length - written)).bytesWritten;
    };
    push(Buffer.from(headerLine(log.sessionId), 'utf8'));
    if (log.meta !== undefined) push(Buffer.from(metaLine(log.meta), 'utf8'));
    for (const stream of log.streams.values()) push(Buffer.from(streamLine(stream.token, stream.key.streamId, stream.base), 'utf8'));
    const input = await open(log.path, 'r');
    try {
      await forEachLine(
        input,
        0,
        log.size,
        (line) => {
          const head = peekEvent(line);
          const stream = head && byToken.get(head.token);
          if (!head || !stream || head.seq !== nextKeep.get(stream) || head.seq > stream.lastSeq) return;
          nextKeep.set(stream, head.seq + 1);
          offsets.get(stream)!.push(size);
          const copy = Buffer.allocUnsafe(line.length + 1);
          line.copy(copy);
          copy[line.length] = 0x0a;
          push(copy);
        },
        flush,
      );
    } finally {
      await input.close();
    }
    await flush();
    for (const [stream, list] of offsets) {
      if (list.length !== stream.lastSeq - stream.base) {
        throw new McpError(LocalErrorCode.Store, `Compaction found ${list.length} of the ${stream.lastSeq - stream.base} retained events of a stream`);
      }
    }
    await out.datasync();
    await out.close();
    out = undefined;
    await log.adoptCompacted(tempPath, size, offsets);
  } catch (error) {
    const failures: unknown[] = [error];
    if (out) await out.close().catch((e: unknown) => failures.push(e));
    await unlink(tempPath).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failures.push(e);
    });
    throw failures.length === 1 ? error : new AggregateError(failures, 'Compaction failed, and so did its cleanup');
  }
}
