/**
 * What the client's resume stores share: the record a host keeps per server (2025-11-25
 * basic/transports: session management and resumability), its shape check, and the per-key
 * queue that turns a store's read, write and remove into the ResumeStore contract.
 */
import { LocalErrorCode, McpError } from '../protocol/errors.ts';

/** A request that was sent but not answered when the record was written. */
export interface InflightRequest {
  /** The JSON-RPC id it was sent with. */
  requestId: string | number;
  /** Its method (`tools/call`, ...). */
  method: string;
  /** Its params as sent. */
  params?: unknown;
  /** The last event id seen on this request's own SSE stream. */
  lastEventId?: string;
  /** Milliseconds since the epoch when the request was sent. */
  startedAt: number;
}

/** Everything kept for one server. */
export interface ResumeRecord {
  /** The 2025-era session (`Mcp-Session-Id`) to rejoin. */
  sessionId?: string;
  /** The protocol version negotiated in that session. */
  protocolVersion?: string;
  /** The last event id seen on the standalone GET stream. */
  lastEventId?: string;
  /** Requests sent and not yet answered, to resume from their streams' last event ids. */
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

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

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

export function checkKey(serverKey: unknown): void {
  if (typeof serverKey !== 'string' || serverKey === '') {
    throw new McpError(LocalErrorCode.Store, 'a server key must be a non-empty string');
  }
}

/** Check and serialise a record; the JSON text is the store's private copy. */
export function encodeRecord(serverKey: string, record: unknown, maxBytes: number): string {
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
export function createKeyedQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
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
export function storeFrom(
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
