/**
 * A session log whose file lost its name while the store ran: its directory removed
 * (`rm -rf` of the state, a temp cleaner) or the file deleted, or its path no longer names it:
 * the state directory renamed away and another made in its place, the file replaced. Appends
 * still land in the open file and succeed, so without this every event written since would be
 * missing at the next start (and a replay, which opens the path, failed on ENOENT), with
 * nothing said. The open handle still reads every byte, so the log is
 * written anew at its path from that handle: the directory made again (private), then the
 * compaction's copy of everything retained, renamed into place (log-compaction.ts).
 *
 * When it is checked: before each replay (which opens the log by its path), before the handle
 * is closed (store close, or the pool closing the least recently used handle: after that the
 * bytes are gone for good), and at most once per {@link RELINK_CHECK_MS} while appends go on.
 * The check is one `fstat` of the open handle (`nlink` 0: no name left) and one `lstat` of
 * the path (gone, or another file: the handle's is elsewhere).
 */
import { dirname } from 'node:path';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { compactLog } from './log-compaction.ts';
import { openStoreDir, type LogFs, type LogHandle } from './log-fs.ts';
import type { SessionEventLog } from './log-file.ts';

/** How often an appending log looks at its file's name (ms): events written in between stay readable through the handle. */
export const RELINK_CHECK_MS = 1_000;

/**
 * When `fh` (the log's open append handle) has no name left, write the log anew at its path
 * from it and report that through `onError`; resolves true when it did. A failure (the
 * directory cannot be made again) rejects with MCP_ERR_STORE naming the path.
 * Call only from a task of the log: no append runs meanwhile.
 */
export async function relinkIfUnnamed(log: SessionEventLog, fh: LogHandle, fs: LogFs, onError: (error: McpError) => void): Promise<boolean> {
  const why = await lostName(log.path, fh, fs);
  if (why === undefined) return false;
  try {
    await openStoreDir(fs, dirname(log.path), 'file event store');
    await compactLog(log, fs, fh);
  } catch (error) {
    throw new McpError(LocalErrorCode.Store, `The event log of session ${log.sessionId} ${why} while the store ran (${log.path}), and could not be written anew: ${(error as Error).message}`, { cause: error });
  }
  onError(new McpError(LocalErrorCode.Store, `The event log of session ${log.sessionId} ${why} while the store ran (${log.path}); it was written anew from the open file, nothing lost`));
  return true;
}

/** How the open file `fh` lost the name `path`, or undefined when `path` still names it (or it cannot be told). */
async function lostName(path: string, fh: LogHandle, fs: LogFs): Promise<string | undefined> {
  const info = await fh.stat();
  if (info.nlink === 0) return 'was deleted';
  if (info.nlink === undefined || info.ino === undefined) return undefined;
  let named: { ino?: number; dev?: number };
  try {
    named = await fs.lstat(path);
  } catch (error) {
    // Gone from its path though the file lives on: its folder renamed away (another in its place).
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was moved away (its folder renamed?)' : undefined;
  }
  if (named.ino === undefined || (named.ino === info.ino && named.dev === info.dev)) return undefined;
  return 'was replaced by another file at its path';
}

/**
 * A log reopened after its handle was closed (the pool closes the least recently used) must
 * still hold what was written: a file deleted or cut meanwhile lost those bytes for good, and
 * appending after the gap would misplace every offset. Closes `fh` and rejects with
 * MCP_ERR_STORE then, so no event is stored where a replay would read the wrong bytes.
 */
export async function refuseShortReopen(log: SessionEventLog, fh: LogHandle): Promise<void> {
  const { size } = await fh.stat();
  if (size >= log.size) return;
  await fh.close();
  throw new McpError(LocalErrorCode.Store, `The event log of session ${log.sessionId} holds ${size} of its ${log.size} bytes (${log.path}): it was deleted or cut while its file was closed, so its history is lost, and no event is appended after the gap`);
}
