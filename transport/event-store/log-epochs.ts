/**
 * Epochs of a file-store stream's seqs: a stream read back from its log (a restart) starts a
 * new epoch with its next write, whose seqs jump past any the previous process may have sent.
 *
 * Why: under fsync 'interval' (or 'never') a power loss takes the log's unsynced tail, whose
 * event ids had gone out. Were the restarted server's events (the re-run of an interrupted
 * call, a notification on the standalone stream) to take the next seqs, a client holding a
 * lost id would later resume into the middle of the new events and pass over those up to its
 * id: a question it never sees, a call waiting for ever. 2025-11-25 basic/transports
 * (resumability): an id names one event of its stream. So the new epoch's first seq is
 * {@link EPOCH_STRIDE} past the highest seq a previous process may have issued, and the ids in
 * between are refused as lost (410) for good. The bound: the tail a power loss takes is what
 * the disk had not yet taken, and 2^32 events (at least 256 GiB of log lines) never are. The
 * epoch's record is synced before its first id goes out (file.ts), so a second power loss
 * cannot make two epochs start at the same seq.
 *
 * Positions: a stream's index counts its events in a row (`base`, `lastSeq`, `nextSeq` and
 * a hole's seq are positions); event lines and event ids hold seqs. They differ past a jump
 * only. A stream that never restarted has no jumps, and a seq is its position.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import type { FileStream } from './log-file-types.ts';
import { jumpLine } from './log-records.ts';

/** How far a new epoch's first seq lies past the highest seq a previous process may have issued. */
export const EPOCH_STRIDE = 2 ** 32;

/** After position `at`, seqs run `by` further than positions (the seqs skipped by an epoch). */
export interface SeqJump {
  readonly at: number;
  by: number;
}

/** The seq of position `position` (0: the id of a stream's start). */
export function seqOf(jumps: readonly SeqJump[] | undefined, position: number): number {
  if (jumps === undefined) return position;
  let seq = position;
  for (const jump of jumps) if (jump.at < position) seq += jump.by;
  return seq;
}

/** The position of seq `seq`, or `undefined` when an epoch skipped it (a previous process may have sent it). */
export function positionOf(jumps: readonly SeqJump[] | undefined, seq: number): number | undefined {
  if (jumps === undefined) return seq;
  let shift = 0;
  for (const jump of jumps) {
    if (seq - shift <= jump.at) break;
    if (seq - shift <= jump.at + jump.by) return undefined;
    shift += jump.by;
  }
  return seq - shift;
}

/**
 * Record that seqs jump from `from` (the seq at position `at`) to `to`: a second jump at the
 * same position (a restart that wrote nothing after the last) widens the first.
 */
export function addJump(stream: { jumps: SeqJump[] | undefined }, at: number, from: number, to: number): void {
  const jumps = (stream.jumps ??= []);
  const last = jumps[jumps.length - 1];
  if (last !== undefined && last.at === at) last.by = to - from - 1;
  else jumps.push({ at, by: to - from - 1 });
}

/** The epoch a stream read back from its log starts at position `at`: its record's seqs. */
export function nextEpoch(jumps: readonly SeqJump[] | undefined, at: number): { from: number; to: number } {
  // seqOf(at + 1) - 1: the highest seq reserved so far (past the last jump when nothing follows it).
  return { from: seqOf(jumps, at), to: seqOf(jumps, at + 1) - 1 + EPOCH_STRIDE + 1 };
}

/** The epoch records of `stream`, for a compacted copy of its log: one per jump, after its stream record. */
export function jumpLines(token: string, jumps: readonly SeqJump[] | undefined): Buffer[] {
  if (jumps === undefined) return [];
  return jumps.map((jump) => {
    const from = seqOf(jumps, jump.at); // the jump's own `by` counts only past its position
    return jumpLine(token, from, from + jump.by + 1);
  });
}

/**
 * Before the first event a stream read back from its log gets in this process: its new
 * epoch's record, to go before that event in the same batch, with the undo of a failed batch.
 * `undefined` when the stream is not read back or its epoch started already.
 */
export function startEpoch(stream: FileStream): { bytes: Buffer; undo: () => void } | undefined {
  if (!stream.recovered) return undefined;
  const at = stream.nextSeq;
  const { from, to } = nextEpoch(stream.jumps, at);
  const saved = { hole: stream.hole, jumps: stream.jumps?.map((j) => ({ ...j })) };
  // A damaged last event a re-run was to write again (`hole.open`) falls among the skipped
  // seqs: a client that read it is refused for good, one that had not goes on to the epoch.
  stream.hole = undefined;
  addJump(stream, at, from, to);
  stream.recovered = false;
  return {
    bytes: jumpLine(stream.token, from, to),
    undo: () => {
      stream.hole = saved.hole;
      stream.jumps = saved.jumps;
      stream.recovered = true;
    },
  };
}

/**
 * Once the batch holding an epoch's record is written: sync it, and make every id of the
 * stream wait for that (`epochSync`). A failed sync fails them, and the stream's next write
 * starts one more epoch, past this one's seqs.
 */
export function syncEpoch(stream: FileStream): void {
  const sync: Promise<void> = stream.log.syncNow().then(
    () => {
      if (stream.epochSync === sync) stream.epochSync = undefined;
    },
    (error: unknown) => {
      if (stream.epochSync === sync) stream.epochSync = undefined;
      stream.recovered = true;
      throw new McpError(LocalErrorCode.Store, `Cannot sync the event log of session ${stream.key.sessionId} after a restart; the ids of its new events are withheld`, { cause: error });
    },
  );
  stream.epochSync = sync;
}
