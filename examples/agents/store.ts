/**
 * Durable records of the agents (bookings, reports): one JSON file per record under
 * `<state>/agents/<kind>/<id>.json`, each write atomic (temp file, fsync, rename, fsync of
 * the directory), so a kill -9 leaves either the old record or the new one, never half.
 *
 * A record damaged from outside (cut short, not JSON, not a record of its kind, a folder in
 * its place) is renamed aside to `<id>.json.corrupt` (`.corrupt.N`, never over an earlier
 * one), told once, and read as absent: that booking or report starts over instead of failing
 * for ever. A booking already made stays booked: its claim file is separate and untouched,
 * and a run that finds the claim returns that booking (travel.ts). One that starts over
 * finds the name it was set aside under (`setAsideAs`) and tells the user why it asks again. A file that cannot be
 * read at all (permissions, I/O) is refused with its path; nothing is moved.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirs } from 'mcpwire/transport';

/** The kinds of record the agents keep, each in its own directory. */
export const RECORD_KINDS = ['bookings', 'reports'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Record ids: a two-letter prefix and 20 hex digits (see identity.ts); nothing else reaches the disk. */
export const RECORD_ID = /^[a-z]{2}-[0-9a-f]{20}$/;

/** Durable JSON records by kind and id. */
export interface RecordStore {
  /** The directory holding the kinds' directories. */
  readonly dir: string;
  /** The record, or undefined when there is none (or the id is not a record id). */
  read<T>(kind: RecordKind, id: string): Promise<T | undefined>;
  /** Replace the record atomically; writes to one record are applied in call order. */
  write(kind: RecordKind, id: string, value: unknown): Promise<void>;
  /** Ids of the records of a kind, sorted. */
  list(kind: RecordKind): Promise<string[]>;
  /**
   * Claim `id` once and for all: the first claim of an id stores `value` and returns it with
   * `won: true`; every later claim (from this process or another sharing the directory)
   * returns the first value with `won: false`. Atomic across processes (a hard link to a
   * complete temp file, which fails when the claim exists), so two runs of one booking can
   * never both book.
   */
  claim<T>(kind: RecordKind, id: string, value: T): Promise<{ won: boolean; value: T }>;
  /** The value a claim stored, or undefined when `id` is unclaimed. */
  claimed<T>(kind: RecordKind, id: string): Promise<T | undefined>;
  /**
   * The newest name a damaged record of `id` was set aside under (`<id>.json.corrupt`,
   * `.corrupt.N`), by this process or an earlier one, or undefined when none was: a run that
   * starts a record over can say why, and that what it held was not read.
   */
  setAsideAs(kind: RecordKind, id: string): Promise<string | undefined>;
}

/** Options of {@link createRecordStore}. */
export interface RecordStoreOptions {
  /**
   * Why a stored value is not a `kind` record with id `id`, or undefined when it is one.
   * Default: any JSON object is one. A value it refuses is set aside like unparsable JSON.
   */
  check?: (kind: RecordKind, id: string, value: unknown) => string | undefined;
  /** Told of each damaged record set aside (its path, why, and the new name). Default: nobody. */
  onNotice?: (message: string) => void;
}

/** Names tried for a damaged record set aside before giving up. */
const MAX_ASIDE_NAMES = 100;

/** Open (creating) the store under `dir`. */
export async function createRecordStore(dir: string, options: RecordStoreOptions = {}): Promise<RecordStore> {
  for (const kind of RECORD_KINDS) {
    // Not mkdir's own `recursive`: Node 20's walk never ends when a folder exists but cannot
    // hold one (`--records /proc/self`); makeDirs fails with mkdir's error instead.
    await makeDirs(join(dir, kind), 0o777).catch((error: Error) => {
      throw new Error(`the records folder ${dir} cannot hold the agents' records: ${error.message}`, { cause: error });
    });
  }
  const queues = new Map<string, Promise<void>>();
  const fileOf = (kind: RecordKind, id: string) => {
    if (!RECORD_ID.test(id)) throw new Error(`not a record id: ${JSON.stringify(id)}`);
    return join(dir, kind, `${id}.json`);
  };

  return {
    dir,
    async read<T>(kind: RecordKind, id: string): Promise<T | undefined> {
      if (!RECORD_ID.test(id)) return undefined;
      const file = fileOf(kind, id);
      await queues.get(file); // read after the writes already asked for
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return undefined;
        if (code === 'EISDIR') return setAside(kind, id, file, 'a folder, not a file');
        throw new Error(`cannot read the ${kind} record ${file} (${(error as Error).message}): record ${id} cannot be used until the file can be read or is moved away`, { cause: error });
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return setAside(kind, id, file, text.length === 0 ? 'empty' : `not JSON: ${(error as Error).message}`);
      }
      const problem = typeof value !== 'object' || value === null || Array.isArray(value) ? 'not a JSON object' : options.check?.(kind, id, value);
      return problem === undefined ? value as T : setAside(kind, id, file, problem);
    },
    write(kind, id, value) {
      const file = fileOf(kind, id);
      const text = `${JSON.stringify(value, null, 2)}\n`;
      // The queue holds a promise that never rejects; the caller gets the write's own outcome.
      const run = (queues.get(file) ?? Promise.resolve()).then(() => writeAtomic(file, text));
      const settled = run.then(() => {}, () => {});
      queues.set(file, settled);
      void settled.then(() => { if (queues.get(file) === settled) queues.delete(file); });
      return run;
    },
    async claim<T>(kind: RecordKind, id: string, value: T) {
      const file = `${fileOf(kind, id).slice(0, -5)}.claim`;
      if (await createOnce(file, `${JSON.stringify(value, null, 2)}\n`)) return { won: true, value };
      return { won: false, value: JSON.parse(await readFile(file, 'utf8')) as T };
    },
    async claimed<T>(kind: RecordKind, id: string) {
      if (!RECORD_ID.test(id)) return undefined;
      try {
        return JSON.parse(await readFile(`${fileOf(kind, id).slice(0, -5)}.claim`, 'utf8')) as T;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read the claim of ${kind} record ${id}: ${(error as Error).message}`, { cause: error });
      }
    },
    async setAsideAs(kind, id) {
      if (!RECORD_ID.test(id)) return undefined;
      // Not the highest N: a name freed by the operator is taken again, so the newest is the one renamed last.
      const prefix = `${id}.json.corrupt`;
      const names = (await readdir(join(dir, kind))).filter((n) => n === prefix || (n.startsWith(`${prefix}.`) && /^\d+$/.test(n.slice(prefix.length + 1))));
      let newest: { name: string; at: number } | undefined;
      for (const name of names) {
        const at = await lstat(join(dir, kind, name)).then((st) => st.ctimeMs, () => -1);
        if (at >= 0 && (newest === undefined || at > newest.at)) newest = { name, at };
      }
      return newest && join(dir, kind, newest.name);
    },
    async list(kind) {
      const names = await readdir(join(dir, kind));
      return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((id) => RECORD_ID.test(id)).sort();
    },
  };

  /**
   * Rename a damaged record aside and read it as absent (see the file's comment). Two reads
   * of one damaged file may race: the one that finds it gone reads it as absent too.
   */
  async function setAside(kind: RecordKind, id: string, file: string, why: string): Promise<undefined> {
    let aside: string | undefined;
    try {
      for (let n = 0; n < MAX_ASIDE_NAMES && aside === undefined; n++) {
        const target = n === 0 ? `${file}.corrupt` : `${file}.corrupt.${n}`;
        if (await lstat(target).then(() => true, (e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return false; throw e; })) continue;
        await rename(file, target);
        aside = target;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`the ${kind} record ${file} is damaged (${why}) and cannot be moved aside (${(error as Error).message}): move it away to use record ${id} again`, { cause: error });
    }
    if (aside === undefined) throw new Error(`the ${kind} record ${file} is damaged (${why}) and ${MAX_ASIDE_NAMES} files named ${file}.corrupt* exist already: move them away to use record ${id} again`);
    const after = kind === 'bookings' ? 'that booking starts over on its next run (one already booked stays booked: its claim is kept)' : 'that report starts over on its next run';
    options.onNotice?.(`the ${kind} record ${file} is damaged (${why}); it was renamed to ${aside}, and ${after}`);
    return undefined;
  }
}

/** A private temp name beside `file`. */
function tempNameFor(file: string): string {
  return `${file}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Write `text` to a new private file and flush it to disk before it is linked or renamed into place. */
async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Create `file` with `text` unless it exists: a complete temp file is hard-linked into place
 * (link fails with EEXIST when the name is taken), so a reader never sees half a claim.
 */
async function createOnce(file: string, text: string): Promise<boolean> {
  const temp = tempNameFor(file);
  await writeSynced(temp, text);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
  await syncDirectory(join(file, '..'));
  return true;
}

/** Write `text` to `file` so that a crash leaves the old or the new content. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = tempNameFor(file);
  try {
    await writeSynced(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(join(file, '..'));
}

/** Make the rename itself durable. Windows cannot open a directory for syncing, and needs no such step. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
