/** The shapes a session's log file (log-file.ts) shares with its store: its streams and what it needs. */
import type { McpError } from '../../protocol/index.ts';
import type { LogFs } from './log-fs.ts';
import type { SessionEventLog } from './log-file.ts';
import type { StreamKey } from './types.ts';

/** When appended data is forced to disk: each append, on a timer, or never (the OS decides). */
export type FsyncMode = 'always' | 'interval' | 'never';

/** A stream of a session log. Event `base + 1 + i` starts at byte `offsets[head + i]`. */
export interface FileStream {
  readonly token: string;
  readonly key: StreamKey;
  readonly log: SessionEventLog;
  /** Seq of the last event dropped from the head (0 when none was). */
  base: number;
  /** Seq of the last event written and indexed. */
  lastSeq: number;
  /** Seq of the last event handed to a batch (written, or being written). */
  nextSeq: number;
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
   * server re-runs its call, which writes the event again), so its next append takes the damaged seq and a replay from
   * before it serves the history; otherwise an append makes the gap for good (log-stream-index.ts).
   */
  hole: { seq: number; open: boolean } | undefined;
  /**
   * Read back from the log when the store opened (log-recovery.ts), not made by this process.
   * Its tail may have been lost (a power loss under fsync 'interval' loses appends whose ids
   * were sent; a cut file), so an id past its end names lost history, not one never issued.
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
