/**
 * Loading the file task store's log (file.ts) into its table: damaged lines skipped and told,
 * a torn last line cut, a log this version cannot use renamed aside.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { forEachLine } from '../event-store/line-reader.ts';
import { FILE_MODE, setAsideFile, type LogFs, type LogHandle } from '../event-store/log-fs.ts';
import { checkSeal } from '../event-store/log-records.ts';
import { taskRecordProblem } from './record-shape.ts';
import type { TaskTable } from './task-table.ts';
import type { TaskRecord } from './types.ts';

/** The log format written by this version. */
export const TASK_LOG_VERSION = 1;

/** Open failures that say nothing about the log's content: its owner, its mode, a read-only file system. */
const ACCESS_CODES: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);

/** The log's header names a newer format than this version reads. */
class NewerFormat extends Error {}

/** The log's name holds no regular file (a FIFO, a device, a link to one). */
class NotRegular extends Error {}

/** The file does not begin as every task log does (file.ts writes its header first). */
class NotALog extends Error {}

/** How every task log begins (file.ts HEADER), of any format version. */
const LOG_START = Buffer.from('{"t":"h","v":');

/**
 * Read the log into `table`; returns how many lines it holds. A log this version cannot use
 * (not a file, unopenable or unreadable, not beginning with a header, or in a newer format) is renamed aside with a
 * message and the store starts without it: a server with `--state` still starts. One it may
 * not open (permissions, a read-only file system) is refused and left in place.
 */
export async function load(fs: LogFs, path: string, table: TaskTable, onError: ((e: Error) => void) | undefined): Promise<number> {
  let fh: LogHandle;
  try {
    fh = await fs.open(path, 'r+', FILE_MODE);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return 0;
    // Access, not damage: the log may be whole (another user's, a read-only disk). Set aside,
    // its tasks were lost to every later run; refused, it stays where it is to be fixed.
    if (typeof code === 'string' && ACCESS_CODES.has(code)) {
      throw new McpError(LocalErrorCode.Store, `task log ${path} cannot be opened for reading and writing (${code}); it is left as it is: give this user access to it, or choose another state directory`, { cause: error });
    }
    return setAside(fs, path, `cannot be opened (${codeOf(error)})`, onError, error);
  }
  let lines = 0;
  try {
    const info = await fh.stat();
    // A FIFO opened for appending blocks until a reader comes (the store hung at open with
    // no output); a device would take the writes and keep none.
    if (!info.isFile()) throw new NotRegular(kindOf(info.mode));
    if ((info.mode & 0o077) !== 0) await fh.chmod(FILE_MODE);
    // Another format (a binary, a text file put here): read as lines, it was all damage or,
    // with no newline, one torn line cut to nothing. A header torn by a kill during the
    // first write begins the same way: cut below, it held nothing.
    const start = Buffer.alloc(Math.min(info.size, LOG_START.length));
    const { bytesRead } = await fh.read(start, 0, start.length, 0);
    if (!start.subarray(0, bytesRead).equals(LOG_START.subarray(0, bytesRead))) throw new NotALog();
    const end = await forEachLine(fh, 0, info.size, (line, offset) => {
      lines += 1;
      if (checkSeal(line) !== 'ok') {
        onError?.(new McpError(LocalErrorCode.Store, `task log ${path}: damaged line at byte ${offset} skipped`));
        return;
      }
      // A good checksum over a line this version cannot use (written by another version, or
      // edited by hand): that line is skipped and said, the others are kept.
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line.toString('utf8')) as Record<string, unknown>;
      } catch (error) {
        onError?.(new McpError(LocalErrorCode.Store, `task log ${path}: line at byte ${offset} is not JSON (${(error as Error).message}); skipped`));
        return;
      }
      if (record.t === 'h' && typeof record.v === 'number' && record.v > TASK_LOG_VERSION) throw new NewerFormat(String(record.v));
      const foreign = apply(table, record);
      if (foreign !== undefined) onError?.(new McpError(LocalErrorCode.Store, `task log ${path}: the task record at byte ${offset} cannot be used (${foreign}); skipped`));
    });
    // kill -9 mid-write leaves an unterminated last line: it was never acknowledged.
    if (end < info.size) {
      await fh.truncate(end);
      await fh.datasync();
    }
  } catch (error) {
    await fh.close().catch(() => { /* the read failure is what is reported */ });
    table.clear();
    const why = error instanceof NewerFormat
      ? `is in task log format ${error.message}, newer than this version of mcpwire reads (${TASK_LOG_VERSION}): its tasks are not served, and the file is kept as it was`
      : error instanceof NotRegular ? `is not a regular file (${error.message})`
        : error instanceof NotALog ? 'does not start with a task log header (another file?)' : `cannot be read (${codeOf(error)})`;
    return setAside(fs, path, why, onError, error);
  }
  await fh.close();
  return lines;
}

/** What a `stat` mode names, for a log that is not a regular file. */
function kindOf(mode: number): string {
  const kinds: Record<number, string> = { 0o010000: 'a FIFO', 0o020000: 'a character device', 0o060000: 'a block device', 0o140000: 'a socket', 0o040000: 'a directory' };
  return kinds[mode & 0o170000] ?? `file type ${(mode & 0o170000).toString(8)}`;
}

function codeOf(error: unknown): string {
  return String((error as { code?: unknown }).code ?? (error as Error).message);
}

/** Rename the log aside (kept untouched) and report why; the store starts empty. Throws only when it cannot be moved. */
async function setAside(fs: LogFs, path: string, why: string, onError: ((e: Error) => void) | undefined, cause: unknown): Promise<0> {
  let target: string;
  try {
    target = await setAsideFile(fs, path);
  } catch (error) {
    throw new McpError(LocalErrorCode.Store, `task log ${path} ${why}, and cannot be renamed aside (${(error as Error).message}): move it away`, { cause });
  }
  onError?.(new McpError(LocalErrorCode.Store, `task log ${path} ${why}; renamed to ${target}, starting with no tasks`, { cause }));
  return 0;
}

/** Apply one line of the log to `table`; what is wrong with a put's record, when it cannot be used. */
function apply(table: TaskTable, line: Record<string, unknown>): string | undefined {
  if (line.t === 'p') {
    const problem = taskRecordProblem(line.r);
    if (problem === undefined) table.put(line.r as TaskRecord);
    return problem;
  }
  if (line.t === 'd' && typeof line.id === 'string') table.delete(line.id);
  return undefined;
}
