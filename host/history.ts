/**
 * The host's durable record of its calls (`<state>/history.json`): each call's number,
 * server, tool, arguments, request id, how it ended and its result, and the answers the
 * person gave to what the call asked. It keeps call numbers stable across restarts (`resume 3`
 * after a restart finds #3), feeds the `history` command, and lets a question that a server
 * asks again after a restart be answered from the record instead of asking the person twice.
 * Writes replace the file atomically and durably (state-file.ts) and are coalesced: one write
 * in flight, one queued.
 */
import { constants, copyFile, lstat, open, readFile, rename } from 'node:fs/promises';
import type { CallToolResult, RequestId } from 'mcpwire/protocol';
import { removeStaleTemps, TempLeftError, writeStateFile } from './state-file.ts';

/** Calls kept (the oldest finished ones are dropped first). */
export const DEFAULT_MAX_HISTORY_CALLS = 500;
/** Bytes of a result's JSON kept; a larger result keeps its text, cut to this size. */
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024;

/** How a call ended, as the record says; a tool that reported an error is `failed`. */
export type RecordStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'kept';

/** An answer the person gave to one question of a call. */
export interface AnswerRecord {
  /** What was asked, as a stable text (kind, message, schema or messages). */
  key: string;
  answer: unknown;
  /** The connection epoch the answer was last used in (see {@link CallHistory.answerFor}). */
  epoch: string;
  at: number;
}

/**
 * The task a call runs as (issue #15 item 6): its id, the 2025 session it belongs to (tasks
 * are bound to it, so a new host rejoins it), and what the server last said of it.
 */
export interface TaskRef {
  readonly id: string;
  readonly sessionId?: string | undefined;
  readonly protocolVersion?: string | undefined;
  status?: string | undefined;
  statusMessage?: string | undefined;
  /** What the task waits for, as the host last saw it (a form's message, a model request). */
  waitingFor?: string | undefined;
  /** When the server was last asked, ms since the epoch. */
  checkedAt?: number | undefined;
  /**
   * 2025: the `tasks/result` request the task's last question came on. A server restarted
   * with its session re-runs that request and asks there again; the next run cancels it, so
   * the question comes on its own `tasks/result`.
   */
  carrier?: string | number | undefined;
}

/**
 * The plan step a call ran for. A later run that finishes the plan (plan-journal.ts) finds the
 * step's call by it.
 */
export interface PlanRef {
  /** The plan's id in `<state>/plans.json` (plan-journal.ts), so a later run finds the step. */
  readonly id?: string;
  readonly goal: string;
  /** The step's number in the plan, from 1. */
  readonly step: number;
  readonly steps: number;
}

/** One call as the record keeps it. */
export interface CallRecord {
  readonly n: number;
  /** The server's stored key (config.ts serverKey) and its display name. */
  readonly server: string;
  readonly serverName: string;
  readonly tool: string;
  readonly args: Record<string, unknown>;
  requestId: RequestId | undefined;
  status: RecordStatus;
  startedAt: number;
  endedAt: number | undefined;
  result: CallToolResult | undefined;
  /** The result was too large and only its text was kept. */
  truncated: boolean;
  error: string | undefined;
  answers: AnswerRecord[];
  /** Set when the call runs as a task. */
  task?: TaskRef | undefined;
  /** Set when the call is an attempt of a plan step. */
  readonly plan?: PlanRef | undefined;
}

export interface HistoryOptions {
  /** The file; undefined: calls are kept in memory only (another host holds the state directory, state-lock.ts). */
  file: string | undefined;
  /** Default {@link DEFAULT_MAX_HISTORY_CALLS}. */
  maxCalls?: number;
  /** Default {@link DEFAULT_MAX_RESULT_BYTES}. */
  maxResultBytes?: number;
  /** A write or a read that failed: the host goes on with what it has in memory. */
  onError(error: Error): void;
}

export interface CallHistory {
  /** Read what earlier runs left. */
  load(): Promise<void>;
  /** A new call: it gets the next number. */
  begin(init: { server: string; serverName: string; tool: string; args: Record<string, unknown>; requestId?: RequestId; startedAt?: number; plan?: PlanRef }): CallRecord;
  /** The call with this request id on this server. */
  find(server: string, requestId: RequestId): CallRecord | undefined;
  byNumber(n: number): CallRecord | undefined;
  /** Change a record (status, request id, result) and save it. */
  update(record: CallRecord, patch: Partial<Pick<CallRecord, 'requestId' | 'status' | 'endedAt' | 'result' | 'error' | 'task'>>): void;
  /**
   * The answer given earlier to the question `key` of this call, when that question comes again
   * in another connection epoch (the server or the host restarted, the stream was re-established):
   * the server is asking again what it already asked, not asking anew. The answer then counts
   * as used in `epoch`, so a second identical question in the same epoch goes to the person.
   */
  answerFor(record: CallRecord, key: string, epoch: string): unknown;
  /** Keep the person's answer to the question `key`. */
  remember(record: CallRecord, key: string, answer: unknown, epoch: string): void;
  /** Every call, oldest first. */
  list(): readonly CallRecord[];
  /** Resolve once every change so far is on disk. */
  flush(): Promise<void>;
}

/**
 * The highest call number a loaded file may hold (int32): far more calls than a person makes,
 * and far from 2^53, past which `next++` stops counting and new calls would share a number.
 */
const MAX_CALL_NUMBER = 2 ** 31 - 1;

const isCallNumber = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 1 && (n as number) <= MAX_CALL_NUMBER;

function isRecord(value: unknown): value is CallRecord {
  const r = value as CallRecord;
  return typeof r === 'object' && r !== null && isCallNumber(r.n) && typeof r.server === 'string' && typeof r.tool === 'string'
    && typeof r.startedAt === 'number' && Array.isArray(r.answers);
}

function isAnswer(value: unknown): value is AnswerRecord {
  const a = value as AnswerRecord;
  return typeof a === 'object' && a !== null && typeof a.key === 'string' && typeof a.epoch === 'string';
}

function isPlanRef(value: unknown): value is PlanRef {
  const p = value as PlanRef;
  return typeof p === 'object' && p !== null && typeof p.goal === 'string' && Number.isSafeInteger(p.step) && Number.isSafeInteger(p.steps);
}

function isTaskRef(value: unknown): value is TaskRef {
  return typeof value === 'object' && value !== null && typeof (value as TaskRef).id === 'string';
}

/** The version of `history.json` this host reads and writes; a higher one is a newer host's. */
const HISTORY_VERSION = 1;

/**
 * Move (`rename`) or copy `file` to a free `<file>.corrupt[.n]`, never over one kept earlier
 * (as the event store does). A copy is left whole or not at all (COPYFILE_EXCL on a free name).
 */
async function keepAside(file: string, how: 'rename' | 'copy'): Promise<string> {
  for (let n = 0; n < 100; n++) {
    const target = n === 0 ? `${file}.corrupt` : `${file}.corrupt.${n}`;
    const taken = await lstat(target).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
    if (taken) continue;
    if (how === 'rename') await rename(file, target);
    else {
      await copyFile(file, target, constants.COPYFILE_EXCL);
      // On disk before the save that drops what it keeps can replace the file.
      const handle = await open(target, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    return target;
  }
  throw new Error(`100 files named ${file}.corrupt* exist already`);
}

export function createCallHistory(options: HistoryOptions): CallHistory {
  const file = options.file;
  const maxCalls = options.maxCalls ?? DEFAULT_MAX_HISTORY_CALLS;
  const maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  let calls: CallRecord[] = [];
  let next = 1;
  let writing: Promise<void> | undefined;
  let dirty = false;
  let scheduled = false;

  /** A save failed and none succeeded since: later failures are not reported again. */
  let failing = false;
  /**
   * The file must not be written this run: a newer host's, or one whose unreadable records
   * could not be kept aside. The calls are kept in memory only; `load` said so once.
   */
  let readOnly = false;

  async function writeLoop(): Promise<void> {
    while (dirty) {
      dirty = false;
      if (file === undefined || readOnly) return;
      try {
        // A failed save leaves no temporary file behind (state-file.ts; one per failure before).
        await writeStateFile(file, JSON.stringify({ version: HISTORY_VERSION, next, calls }));
        if (failing) options.onError(new Error(`the call history is saved to ${file} again`));
        failing = false;
      } catch (error) {
        // Once per outage (a read-only or full disk fails every save: two lines per call before),
        // and again when a temporary file is left behind.
        if (!failing || error instanceof TempLeftError) options.onError(new Error(`cannot save the call history to ${file}: ${(error as Error).message}${failing ? '' : '; the calls are kept in memory, and saved once it can be written'}`, { cause: error }));
        failing = true;
      }
    }
  }

  function save(): void {
    dirty = true;
    if (scheduled || writing) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      writing = writeLoop().finally(() => { writing = undefined; if (dirty) save(); });
    });
  }

  /** Drop the oldest finished calls past the limit; running and kept ones stay. */
  function trim(): void {
    let excess = calls.length - maxCalls;
    if (excess <= 0) return;
    calls = calls.filter((c) => excess <= 0 || c.status === 'running' || c.status === 'kept' || (excess--, false));
  }

  function bounded(result: CallToolResult): { result: CallToolResult; truncated: boolean } {
    const text = JSON.stringify(result);
    if (text.length <= maxResultBytes) return { result, truncated: false };
    const plain = result.content.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('\n').slice(0, maxResultBytes);
    return { result: { content: [{ type: 'text', text: plain }], ...(result.isError ? { isError: true } : {}) }, truncated: true };
  }

  const history: CallHistory = {
    async load() {
      if (file === undefined) return;
      await removeStaleTemps(file, options.onError); // a host killed mid-save left it
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError(new Error(`cannot read the call history ${file}: ${(error as Error).message}`, { cause: error }));
        return;
      }
      // A damaged file is set aside, not overwritten by the next save: what it held may
      // still be read by hand, and the host says what it dropped.
      const setAside = async (why: string, cause?: unknown): Promise<void> => {
        const kept = await keepAside(file, 'rename').then((aside) => `kept as ${aside}`, (e: Error) => `could not keep it aside: ${e.message}`);
        options.onError(new Error(`the call history ${file} ${why}; ${kept}; starting a new one`, cause === undefined ? undefined : { cause }));
      };
      let doc: { version?: unknown; next?: unknown; calls?: unknown };
      try {
        doc = JSON.parse(text) as typeof doc;
      } catch (error) {
        await setAside(`is not valid JSON (${(error as Error).message})`, error);
        return;
      }
      // A newer host's file may hold what this one cannot read: writing it back as version 1
      // would lose it, and setting it aside would hide it from that host. It stays as it is.
      if (typeof doc === 'object' && doc !== null && typeof doc.version === 'number' && doc.version > HISTORY_VERSION) {
        readOnly = true;
        options.onError(new Error(`the call history ${file} is version ${doc.version}, written by a newer host (this one reads version ${HISTORY_VERSION}): it is left as it is, and this run's calls are kept in memory only`));
        return;
      }
      // A `version` that is there but not a number ("2", null, {}) names no format this host
      // knows: it is left as it is, as a newer one is. (A file with no `version` at all is read
      // as version 1.)
      if (typeof doc === 'object' && doc !== null && 'version' in doc && typeof doc.version !== 'number') {
        readOnly = true;
        options.onError(new Error(`the call history ${file} has version ${JSON.stringify(doc.version)}, not a number: a format this host does not know (it reads version ${HISTORY_VERSION}); it is left as it is, and this run's calls are kept in memory only`));
        return;
      }
      if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.calls)) {
        await setAside('does not hold a list of calls');
        return;
      }
      const loaded = doc.calls.filter(isRecord);
      const dropped = doc.calls.length - loaded.length;
      let partsDropped = 0;
      calls = loaded.map((c) => {
        const answers = c.answers.filter(isAnswer);
        const task = isTaskRef(c.task) ? c.task : undefined;
        const plan = isPlanRef(c.plan) ? c.plan : undefined;
        partsDropped += c.answers.length - answers.length + (task === undefined && c.task != null ? 1 : 0) + (plan === undefined && c.plan != null ? 1 : 0);
        return {
          ...c, answers, requestId: c.requestId ?? undefined, endedAt: c.endedAt ?? undefined, result: c.result ?? undefined,
          error: c.error ?? undefined, truncated: c.truncated === true, task, plan,
        };
      });
      if (dropped > 0 || partsDropped > 0) {
        // The next save would lose what was dropped for good: the file as it was is copied
        // aside first, and saved at once without it, so a later start copies nothing again.
        // When it cannot be copied the file is not written at all this run.
        const kept = await keepAside(file, 'copy').then(
          (aside) => `the file as it was is copied to ${aside}`,
          (e: Error) => { readOnly = true; return `could not copy it aside (${e.message}): it is left as it is, and this run's calls are kept in memory only`; });
        const what = [dropped > 0 ? `${dropped} unreadable record(s) of ${doc.calls.length}` : '', partsDropped > 0 ? `${partsDropped} unreadable answer(s), task(s) or plan step(s) of its records` : ''];
        options.onError(new Error(`the call history ${file}: dropped ${what.filter(Boolean).join(' and ')}; ${kept}`));
        if (!readOnly) save();
      }
      const highest = calls.reduce((m, c) => Math.max(m, c.n), 0);
      next = Math.max(highest + 1, isCallNumber(doc.next) ? doc.next : 1);
    },
    begin(init) {
      const record: CallRecord = {
        n: next++, server: init.server, serverName: init.serverName, tool: init.tool, args: init.args, requestId: init.requestId,
        status: 'running', startedAt: init.startedAt ?? Date.now(), endedAt: undefined, result: undefined, truncated: false,
        error: undefined, answers: [], ...(init.plan ? { plan: init.plan } : {}),
      };
      calls.push(record);
      trim();
      save();
      return record;
    },
    find(server, requestId) {
      return calls.findLast((c) => c.server === server && c.requestId === requestId);
    },
    byNumber(n) {
      return calls.find((c) => c.n === n);
    },
    update(record, patch) {
      if (patch.result !== undefined) {
        const { result, truncated } = bounded(patch.result);
        record.result = result;
        record.truncated = truncated;
      }
      if ('requestId' in patch) record.requestId = patch.requestId;
      if (patch.status !== undefined) record.status = patch.status;
      if ('endedAt' in patch) record.endedAt = patch.endedAt;
      if ('error' in patch) record.error = patch.error;
      if ('task' in patch) record.task = patch.task;
      save();
    },
    answerFor(record, key, epoch) {
      const earlier = record.answers.findLast((a) => a.key === key);
      if (!earlier || earlier.epoch === epoch) return undefined;
      earlier.epoch = epoch;
      save();
      return earlier.answer;
    },
    remember(record, key, answer, epoch) {
      record.answers.push({ key, answer, epoch, at: Date.now() });
      save();
    },
    list: () => calls,
    async flush() {
      while (scheduled || writing) {
        if (writing) await writing;
        else await new Promise<void>((r) => setImmediate(r));
      }
    },
  };
  return history;
}
