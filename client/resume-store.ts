/**
 * The client's ResumeStore: what a host needs to resume a server connection after it was
 * killed (2025-11-25 basic/transports: session management and resumability). Per server it
 * keeps the `Mcp-Session-Id`, the negotiated protocol version, the last SSE event id and the
 * requests still in flight, so the next start can reconnect with `Last-Event-ID`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LocalErrorCode, McpError } from '../protocol/errors.ts';
import { makeDirs } from '../transport/make-dirs.ts';

/** A request that was sent but not answered when the record was written. */
export interface InflightRequest {
  requestId: string | number;
  method: string;
  params?: unknown;
  /** The last event id seen on this request's own SSE stream. */
  lastEventId?: string;
  /** Milliseconds since the epoch when the request was sent. */
  startedAt: number;
}

/** Everything kept for one server. */
export interface ResumeRecord {
  sessionId?: string;
  protocolVersion?: string;
  /** The last event id seen on the standalone GET stream. */
  lastEventId?: string;
  inflight?: InflightRequest[];
  /** Tasks started and not yet fetched (client/tasks.ts). */
  tasks?: { taskId: string; tool: string; startedAt: number }[];
}

/**
 * Per-server resumption state. Every method is async. Records are copied in and out: a
 * caller never holds the store's own object. Operations on one key run one at a time, in
 * call order, so concurrent `update`s never lose a write.
 */
export interface ResumeStore {
  /** The record for `serverKey`, or undefined. */
  get(serverKey: string): Promise<ResumeRecord | undefined>;
  /** Replace the record for `serverKey`. */
  set(serverKey: string, record: ResumeRecord): Promise<void>;
  /**
   * Read-modify-write: `fn` gets the current record (or undefined) and returns the new one,
   * or undefined to delete it. Resolves to what was stored. If `fn` throws, nothing changes.
   */
  update(
    serverKey: string,
    fn: (current: ResumeRecord | undefined) => ResumeRecord | undefined | Promise<ResumeRecord | undefined>,
  ): Promise<ResumeRecord | undefined>;
  /** Remove the record; resolves to whether there was one. */
  delete(serverKey: string): Promise<boolean>;
  /** The server keys that have a record, sorted. */
  list(): Promise<string[]>;
}

/** Options shared by both stores. */
export interface ResumeStoreOptions {
  /** Largest record accepted, in bytes of its JSON text. Default 1 MiB. */
  maxRecordBytes?: number;
}

/** Options of {@link createFileResumeStore}. */
export interface FileResumeStoreOptions extends ResumeStoreOptions {
  /** Directory holding one file per server; created with mode 0o700 when missing. */
  dir: string;
  /**
   * Told about problems that do not fail the call: a corrupt or unreadable record file (then
   * treated as absent and replaced by the next write), a newer mcpwire's file (treated as
   * absent and left untouched: writes and deletes for its server do nothing), or a temp file
   * that could not be removed. Default: a process warning.
   */
  onError?: (error: McpError) => void;
}

const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
/** Hex characters of sha256(serverKey) used as the file name: 128 bits. */
const NAME_HEX = 32;
const FILE_RE = new RegExp(`^[0-9a-f]{${NAME_HEX}}\\.json$`);
const FORMAT_VERSION = 1;

function isInflight(value: unknown): value is InflightRequest {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    (typeof v.requestId === 'string' || (typeof v.requestId === 'number' && Number.isFinite(v.requestId))) &&
    typeof v.method === 'string' &&
    (v.lastEventId === undefined || typeof v.lastEventId === 'string') &&
    typeof v.startedAt === 'number' && Number.isFinite(v.startedAt)
  );
}

/** Whether `value` has the shape of a {@link ResumeRecord}. */
export function isResumeRecord(value: unknown): value is ResumeRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.sessionId === undefined || typeof v.sessionId === 'string') &&
    (v.protocolVersion === undefined || typeof v.protocolVersion === 'string') &&
    (v.lastEventId === undefined || typeof v.lastEventId === 'string') &&
    (v.inflight === undefined || (Array.isArray(v.inflight) && v.inflight.every(isInflight))) &&
    (v.tasks === undefined || (Array.isArray(v.tasks) && v.tasks.every((t) => typeof t?.taskId === 'string' && typeof t.tool === 'string')))
  );
}

function checkKey(serverKey: unknown): void {
  if (typeof serverKey !== 'string' || serverKey === '') {
    throw new McpError(LocalErrorCode.Store, 'a server key must be a non-empty string');
  }
}

/** Check and serialise a record; the JSON text is the store's private copy. */
function encodeRecord(serverKey: string, record: unknown, maxBytes: number): string {
  checkKey(serverKey);
  if (!isResumeRecord(record)) throw new McpError(LocalErrorCode.Store, `invalid resume record for ${JSON.stringify(serverKey)}`);
  let text: string;
  try {
    text = JSON.stringify(record);
  } catch (cause) {
    throw new McpError(LocalErrorCode.Store, `resume record for ${JSON.stringify(serverKey)} is not JSON-serialisable`, { cause });
  }
  if (Buffer.byteLength(text) > maxBytes) {
    throw new McpError(LocalErrorCode.Store, `resume record for ${JSON.stringify(serverKey)} exceeds maxRecordBytes (${maxBytes})`);
  }
  return text;
}

/**
 * Runs tasks one at a time per key, in call order. A failed task does not block the next.
 * Shared between file store instances on the same file so one process never races itself.
 */
function createKeyedQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined, // the caller gets the rejection through `run`; the queue only waits
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/** Build a ResumeStore from per-key primitives, adding the serialised read-modify-write. */
function storeFrom(
  queue: <T>(key: string, task: () => Promise<T>) => Promise<T>,
  queueKey: (serverKey: string) => string,
  read: (serverKey: string) => Promise<ResumeRecord | undefined>,
  write: (serverKey: string, text: string) => Promise<void>,
  remove: (serverKey: string) => Promise<boolean>,
  listKeys: () => Promise<string[]>,
  maxBytes: number,
): ResumeStore {
  return {
    get: async (serverKey) => {
      checkKey(serverKey);
      return queue(queueKey(serverKey), () => read(serverKey));
    },
    set: async (serverKey, record) => {
      const text = encodeRecord(serverKey, record, maxBytes);
      return queue(queueKey(serverKey), () => write(serverKey, text));
    },
    update: async (serverKey, fn) => {
      checkKey(serverKey);
      return queue(queueKey(serverKey), async () => {
        const next = await fn(await read(serverKey));
        if (next === undefined) {
          await remove(serverKey);
          return undefined;
        }
        const text = encodeRecord(serverKey, next, maxBytes);
        await write(serverKey, text);
        return JSON.parse(text) as ResumeRecord;
      });
    },
    delete: async (serverKey) => {
      checkKey(serverKey);
      return queue(queueKey(serverKey), () => remove(serverKey));
    },
    list: listKeys,
  };
}

/** A ResumeStore in memory: lost with the process; for tests and short-lived hosts. */
export function createMemoryResumeStore(options: ResumeStoreOptions = {}): ResumeStore {
  const records = new Map<string, string>();
  return storeFrom(
    createKeyedQueue(),
    (key) => key,
    async (key) => {
      const text = records.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as ResumeRecord);
    },
    async (key, text) => {
      records.set(key, text);
    },
    async (key) => records.delete(key),
    async () => [...records.keys()].sort(),
    options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
  );
}

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
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
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
  /** Files a newer mcpwire wrote (a higher format version): read as absent, never written or deleted. */
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
      report(new McpError(LocalErrorCode.Store, `cannot read resume file ${file}; treating it as absent`, { cause: error }));
      return undefined;
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
      report(new McpError(LocalErrorCode.Store, `corrupt resume file ${file}; treating it as absent`, { cause }));
      return undefined;
    }
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
