/** The shapes a session's log file (log-file.ts) shares with its store: its streams and what it needs. */
import type { McpError } from '../../protocol/index.ts';
import type { SeqJump } from './log-epochs.ts';
import type { LogFs } from './log-fs.ts';
import type { SessionEventLog } from './log-file.ts';
import type { StreamKey } from './types.ts';

/** When appended data is forced to disk: each append, on a timer, or never (the OS decides). */
export type FsyncMode = 'always' | 'interval' | 'never';

/**
 * A stream of a session log. Event `base + 1 + i` starts at byte `offsets[head + i]`. `base`,
 * `lastSeq`, `nextSeq` and a hole's seq are positions, which are the events' seqs until an
 * epoch makes them jump (log-epochs.ts).
 */
export interface FileStream {
  readonly token: string;
  readonly key: StreamKey;
  readonly log: SessionEventLog;
  /** Position of the last event dropped from the head (0 when none was). */
  base: number;
  /** Position of the last event written and indexed. */
  lastSeq: number;
  /** Position of the last event handed to a batch (written, or being written). */
  nextSeq: number;
  /** Where the seqs jump past ones an earlier process may have sent; undefined when they never did. */
  jumps: SeqJump[] | undefined;
  /** The sync that makes the current epoch's record durable: its ids wait for it (log-epochs.ts). */
  epochSync: Promise<void> | undefined;
  offsets: number[];
  head: number;
  /** Whether its stream record is in the file (or in the batch being written). */
  recorded: boolean;
  /** When it finished (ms since the epoch); undefined while events may follow. */
  endedAt: number | undefined;
  /**
   * Recovery found the stream's last event damaged (log-recovery.ts): its seq, the history
   * before it kept. Until something takes its place, a replay from before it is refused as a
   * gap (410). `open`: opened again since for a re-run (`OpenStreamOptions.rerun`: a restarted
   * server re-runs its call), so a replay from before it serves the history and the re-run's
   * events follow under a new epoch's seqs (log-epochs.ts); otherwise an append makes the gap
   * for good (log-stream-index.ts).
   */
  hole: { seq: number; open: boolean } | undefined;
  /**
   * Read back from the log when the store opened (log-recovery.ts), and not written since.
   * Its tail may have been lost (a power loss under fsync 'interval' loses appends whose ids
   * were sent; a cut file), so an id past its end names lost history, not one never issued,
   * and its next write starts a new epoch of seqs (log-epochs.ts).
   */
  recovered: boolean;
  /**
   * Recovered without its end record, and not opened, written or ended since: whether events
   * followed its last one cannot be told (its tail lost, or its process died while it ran and
   * no re-run carries it on), so a replay that reaches its end is refused as a gap.
   */
  endUnknown: boolean;
}

/** What a log needs from its store. */
export interface SessionEventLogHooks {
  readonly fs: LogFs;
  readonly fsync: FsyncMode;
  readonly maxEventsPerStream: number;
  readonly compactAfterBytes: number;
  /** A file handle was opened or used (the store closes the least recently used ones). */
  onUse(log: SessionEventLog): void;
  /** Data was written without fsync ('interval': the store schedules one). */
  onDirty(log: SessionEventLog): void;
  /** Rewrite the log keeping only retained records (runs inside the log's queue). */
  compact(log: SessionEventLog): Promise<void>;
  /** fsync the store's directory, so a created or renamed file survives a crash. */
  syncDir(): Promise<void>;
  onError(error: McpError): void;
}
