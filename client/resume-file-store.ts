/**
 * The file ResumeStore: one JSON file per server key, written atomically (temp file, fsync,
 * rename, directory fsync), private to the user (directory 0o700, files 0o600: they hold
 * session ids), and careful with files it cannot read: a corrupt one is renamed aside
 * (`.corrupt`) and treated as absent, a newer mcpwire's one is never overwritten.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LocalErrorCode, McpError } from '../protocol/errors.ts';
import { makeDirs } from '../transport/make-dirs.ts';
import { nodeLogFs, setAsideFile } from '../transport/event-store/log-fs.ts';
import { createKeyedQueue, DEFAULT_MAX_RECORD_BYTES, isResumeRecord, storeFrom, type ResumeRecord, type ResumeStore, type ResumeStoreOptions } from './resume-record.ts';
import { positiveIntegerOption } from '../protocol/limits.ts';

/** Options of {@link createFileResumeStore}. */
export interface FileResumeStoreOptions extends ResumeStoreOptions {
  /** Directory holding one file per server; created with mode 0o700 when missing. */
  dir: string;
  /**
   * Told about problems that do not fail the call: a corrupt or unreadable record file
   * (renamed to `<name>.corrupt`, or `.corrupt.N`, and treated as absent; one that cannot be
   * renamed is left untouched and never written), a newer mcpwire's file (treated as
   * absent and left untouched: writes and deletes for its server do nothing), or a temp file
   * that could not be removed. Default: a process warning.
   */
  onError?: (error: McpError) => void;
}

/** Hex characters of sha256(serverKey) used as the file name: 128 bits. */
const NAME_HEX = 32;
const FILE_RE = new RegExp(`^[0-9a-f]{${NAME_HEX}}\\.json$`);
const FORMAT_VERSION = 1;

/** One queue per process for every file store, keyed by absolute file path. */
const fileQueue = createKeyedQueue();

/** The file name used for a server key: a sha256 hex prefix, so any key is a safe name. */
export function resumeFileName(serverKey: string): string {
  return `${createHash('sha256').update(serverKey).digest('hex').slice(0, NAME_HEX)}.json`;
}

/** A writer's temp file (see writeFileRecord): the record's name, the writer's pid, random hex. */
const TEMP_RE = new RegExp(`^[0-9a-f]{${NAME_HEX}}\\.json\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);

/** Whether process `pid` is gone (EPERM: it lives, as another user). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errnoCode(error) === 'ESRCH';
  }
}

/**
 * Tighten `dir` to 0o700 and its record files to 0o600 when an older version or a permissive
 * umask left them readable by others: they hold session ids. Temp files of writers that died
 * before their rename (kill -9) are removed: they hold session ids too, and nothing else
 * would ever remove them; a live writer's (another host on the same directory) stay.
 */
async function makePrivate(dir: string, report: (error: McpError) => void): Promise<void> {
  if (((await stat(dir)).mode & 0o077) !== 0) await chmod(dir, 0o700);
  for (const name of await readdir(dir)) {
    const writer = TEMP_RE.exec(name)?.[1];
    if (writer !== undefined && Number(writer) !== process.pid && isGone(Number(writer))) {
      // One that cannot be removed stays, as before, and is told: the store still works.
      await unlink(join(dir, name)).catch((cause: unknown) => {
        if (errnoCode(cause) !== 'ENOENT') report(new McpError(LocalErrorCode.Store, `cannot remove ${name}, left by a writer that died`, { cause }));
      });
      continue;
    }
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    const info = await lstat(file);
    if (info.isFile() && (info.mode & 0o077) !== 0) await chmod(file, 0o600);
  }
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/**
 * A ResumeStore with one JSON file per server key in `dir`. Each write goes to a temp file in
 * the same directory, is fsynced, renamed over the record and the directory is fsynced, so a
 * kill at any point leaves either the old or the new record. Files are 0o600 and the
 * directory 0o700: they hold session ids. Updates are serialised per key within this process;
 * several processes writing one key are not coordinated.
 */
export function createFileResumeStore(options: FileResumeStoreOptions): ResumeStore {
  const dir = resolve(options.dir);
  const maxBytes = positiveIntegerOption('maxRecordBytes', options.maxRecordBytes, DEFAULT_MAX_RECORD_BYTES);
  const report = options.onError ?? ((error: McpError) => process.emitWarning(error));
  let ready: Promise<unknown> | undefined;
  const ensureDir = () => (ready ??= makeDirs(dir, 0o700).then(() => makePrivate(dir, report)).catch((cause: unknown) => {
    ready = undefined;
    throw new McpError(LocalErrorCode.Store, `cannot create or secure resume-store directory ${dir}`, { cause });
  }));
  let tightened = false;
  /** Before the first read: tighten an existing directory (a missing one is made by the first write only). */
  async function tightenOnce(): Promise<void> {
    if (tightened) return;
    try {
      await makePrivate(dir, report);
      tightened = true;
    } catch (cause) {
      if (errnoCode(cause) === 'ENOENT') return;
      report(new McpError(LocalErrorCode.Store, `cannot make resume-store directory ${dir} private`, { cause }));
    }
  }
  const pathOf = (serverKey: string) => join(dir, resumeFileName(serverKey));
  /** Files a newer mcpwire wrote (a higher format version; NaN: a corrupt one that could not be moved aside): read as absent, never written or deleted. */
  const newer = new Map<string, number>();
  /** Files read once by this store, so a write knows whether it would replace a newer one. */
  const seen = new Set<string>();

  async function syncDir(): Promise<void> {
    let handle;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch (error) {
      // Some platforms (Windows) cannot open or fsync a directory: the rename is still atomic.
      if (!['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF', 'EACCES'].includes(errnoCode(error) ?? '')) {
        throw new McpError(LocalErrorCode.Store, `cannot fsync resume-store directory ${dir}`, { cause: error });
      }
    } finally {
      await handle?.close();
    }
  }

  /** Read and check one file; a corrupt file is reported and treated as absent. */
  async function readFileRecord(file: string, expectKey?: string): Promise<{ serverKey: string; record: ResumeRecord } | undefined> {
    await tightenOnce();
    seen.add(file);
    let text: string;
    try {
      const handle = await open(file, 'r');
      try {
        const { size } = await handle.stat();
        // A record can be a little larger than maxRecordBytes once wrapped with its key.
        if (size > maxBytes + 64 * 1024) throw new Error(`file is ${size} bytes, over maxRecordBytes (${maxBytes})`);
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined;
      return setAside(file, `unreadable (${errnoCode(error) ?? (error as Error).message}) resume file`, error);
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; serverKey?: unknown; record?: unknown };
      if (parsed === null || typeof parsed !== 'object') throw new Error('not a JSON object');
      if (typeof parsed.version === 'number' && parsed.version > FORMAT_VERSION) {
        // A newer mcpwire's record: this one cannot read it, and must not destroy it.
        if (!newer.has(file)) {
          newer.set(file, parsed.version);
          report(new McpError(LocalErrorCode.Store, `resume file ${file} was written by a newer mcpwire (format ${parsed.version}, this one reads ${FORMAT_VERSION}); `
            + 'it is left untouched and nothing is saved for that server by this process'));
        }
        return undefined;
      }
      if (parsed.version !== FORMAT_VERSION) throw new Error(`unknown format version ${JSON.stringify(parsed.version)}`);
      if (typeof parsed.serverKey !== 'string') throw new Error('no serverKey');
      if (!isResumeRecord(parsed.record)) throw new Error('record has the wrong shape');
      if (expectKey !== undefined && parsed.serverKey !== expectKey) throw new Error('file belongs to another server key');
      return { serverKey: parsed.serverKey, record: parsed.record };
    } catch (cause) {
      return setAside(file, 'corrupt resume file', cause);
    }
  }

  /**
   * Rename `file` aside before anything replaces it: bytes this store cannot read are kept to
   * look at, never overwritten. One that cannot be moved is left alone, like a newer one.
   */
  async function setAside(file: string, what: string, cause: unknown): Promise<undefined> {
    let aside: string;
    try {
      aside = await setAsideFile(nodeLogFs, file);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined; // another reader moved it meanwhile
      newer.set(file, Number.NaN);
      report(new McpError(LocalErrorCode.Store, `${what} ${file}, and it cannot be renamed aside (${(error as Error).message}); it is left untouched and nothing is saved for that server by this process`, { cause }));
      return undefined;
    }
    report(new McpError(LocalErrorCode.Store, `${what} ${file}; renamed to ${aside} and treated as absent`, { cause }));
    return undefined;
  }

  async function writeFileRecord(serverKey: string, recordText: string): Promise<void> {
    await ensureDir();
    const target = pathOf(serverKey);
    if (!seen.has(target)) await readFileRecord(target, serverKey);
    if (newer.has(target)) return; // told once when it was read
    const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const body = `{"version":${FORMAT_VERSION},"serverKey":${JSON.stringify(serverKey)},"record":${recordText}}\n`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(body, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (cause) {
      await unlink(temp).catch((error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') report(new McpError(LocalErrorCode.Store, `cannot remove temp file ${temp}`, { cause: error }));
      });
      throw new McpError(LocalErrorCode.Store, `cannot write resume file for ${JSON.stringify(serverKey)}`, { cause });
    }
    await syncDir();
  }

  async function removeFileRecord(serverKey: string): Promise<boolean> {
    if (newer.has(pathOf(serverKey))) return false;
    try {
      await unlink(pathOf(serverKey));
    } catch (cause) {
      if (errnoCode(cause) === 'ENOENT') return false;
      throw new McpError(LocalErrorCode.Store, `cannot delete resume file for ${JSON.stringify(serverKey)}`, { cause });
    }
    await syncDir();
    return true;
  }

  async function listKeys(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (cause) {
      if (errnoCode(cause) === 'ENOENT') return [];
      throw new McpError(LocalErrorCode.Store, `cannot list resume-store directory ${dir}`, { cause });
    }
    const keys: string[] = [];
    // Temp files left by a killed writer never match FILE_RE, so they are ignored here.
    for (const name of names.filter((n) => FILE_RE.test(n))) {
      const found = await readFileRecord(join(dir, name));
      if (!found) continue;
      if (resumeFileName(found.serverKey) === name) keys.push(found.serverKey);
      else report(new McpError(LocalErrorCode.Store, `resume file ${name} holds a record for another server key; ignoring it`));
    }
    return keys.sort();
  }

  return storeFrom(
    fileQueue,
    pathOf,
    async (serverKey) => (await readFileRecord(pathOf(serverKey), serverKey))?.record,
    writeFileRecord,
    removeFileRecord,
    listKeys,
    maxBytes,
  );
}
