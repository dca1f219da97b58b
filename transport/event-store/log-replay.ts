/**
 * Replay of one stream from its session log (file store): each event is read at its indexed
 * offset and its checksum checked. A damaged event refuses the whole replay as a gap (410),
 * never replayed garbage; stray lines between events (a duplicated line) are passed over.
 */
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { forEachLine } from './line-reader.ts';
import { positionOf, seqOf } from './log-epochs.ts';
import type { FileStream } from './log-file.ts';
import { readRecord } from './log-records.ts';
import { ResumeError } from './resume-error.ts';

/**
 * Read the events of `stream` after seq `after`, each with its seq. Runs as a task of the
 * stream's log, so it sees every append queued before it and nothing after (an epoch begun
 * too: log-epochs.ts). Rejects with a ResumeError when the id is unknown, evicted, skipped by
 * an epoch or crosses damage, before anything is delivered.
 */
export function readEventsAfter(stream: FileStream, after: number, eventId: string): Promise<Array<{ seq: number; message: JsonRpcMessage }>> {
  const log = stream.log;
  return log.task(async () => {
    if (log.gone === 'closed') throw new McpError(LocalErrorCode.Closed, 'The event store is closed');
    if (log.gone === 'deleted') throw new ResumeError('unknown', eventId);
    const afterSeq = positionOf(stream.jumps, after);
    if (afterSeq === undefined) {
      // 2025-11-25 basic/transports (resumability): an id an earlier process may have sent
      // before its log lost it; this process's events took other ids, so it stays refused.
      throw new ResumeError('evicted', eventId, `the event it names was lost from the log before a restart, and the stream went on under other ids`, true);
    }
    const hole = stream.hole;
    if (hole && afterSeq === hole.seq && afterSeq > stream.lastSeq) {
      // The client read the damaged event. Opened again, the stream's re-run goes on after the
      // history before it under other ids (log-epochs.ts): this id is refused for good.
      if (hole.open) throw new ResumeError('evicted', eventId, 'the event it names was damaged in the log', true);
      if (stream.endUnknown) throw endLost(stream, eventId);
      return []; // never written again, and the stream ended since: nothing follows it
    }
    // Not opened again (no re-run fills it): a replay from before it would end short.
    if (hole && !hole.open && afterSeq < hole.seq) throw new ResumeError('evicted', eventId, `event ${seqOf(stream.jumps, hole.seq)} after it is damaged in the log (checksum or format)`);
    if (afterSeq > stream.lastSeq) {
      // An id is issued only once its event is written. Past the end of a stream read back
      // from the log it names events lost with the log's tail (a power loss under fsync
      // 'interval', a cut or damaged end): a gap (410), not "never issued" (400).
      if (stream.recovered) throw new ResumeError('evicted', eventId, `the event it names was lost from the log (the stream's history ends at event ${seqOf(stream.jumps, stream.lastSeq)})`, true);
      throw new ResumeError('unknown', eventId);
    }
    if (afterSeq < stream.base) throw new ResumeError('evicted', eventId);
    const count = stream.lastSeq - afterSeq;
    if (count === 0) {
      if (stream.endUnknown) throw endLost(stream, eventId);
      return [];
    }
    const first = stream.head + (afterSeq - stream.base);
    const out: Array<{ seq: number; message: JsonRpcMessage }> = [];
    let damaged: number | undefined;
    const fh = await log.openForRead();
    try {
      await forEachLine(fh, stream.offsets[first]!, log.size, (line, offset) => {
        if (offset !== stream.offsets[first + out.length]) return true;
        const seq = seqOf(stream.jumps, afterSeq + 1 + out.length);
        const record = readRecord(line, log.legacy);
        if (record?.t !== 'e' || record.token !== stream.token || record.seq !== seq) {
          damaged = seq;
          return false;
        }
        out.push({ seq, message: record.message as JsonRpcMessage });
        return out.length < count;
      });
    } finally {
      await fh.close();
    }
    if (damaged !== undefined) throw new ResumeError('evicted', eventId, `event ${damaged} after it is damaged in the log (checksum or format)`);
    if (out.length !== count) {
      throw new McpError(LocalErrorCode.Store, `The event log of session ${log.sessionId} is shorter than its index (found ${out.length} of ${count} events); refusing a partial replay`);
    }
    return out;
  });
}

/**
 * A replay reaching the end of a stream recovered without its end record: what followed may
 * have been lost, and "nothing more" (204) would hide it (2025-11-25 basic/transports:
 * resumability). What is kept before the end is still served to a resume from earlier.
 */
function endLost(stream: FileStream, eventId: string): ResumeError {
  return new ResumeError('evicted', eventId, `the stream's history ends at event ${seqOf(stream.jumps, stream.lastSeq)} with no end recorded, and no call carries it on: what followed was lost`, true);
}
