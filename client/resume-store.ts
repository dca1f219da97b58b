/**
 * The client's ResumeStore: what a host needs to resume a server connection after it was
 * killed (2025-11-25 basic/transports: session management and resumability). Per server it
 * keeps the `Mcp-Session-Id`, the negotiated protocol version, the last SSE event id and the
 * requests still in flight, so the next start can reconnect with `Last-Event-ID`. The record
 * and its checks are in resume-record.ts, the file store in resume-file-store.ts.
 */
import { createKeyedQueue, DEFAULT_MAX_RECORD_BYTES, storeFrom, type ResumeRecord, type ResumeStore, type ResumeStoreOptions } from './resume-record.ts';
import { positiveIntegerOption } from '../protocol/limits.ts';

export type { InflightRequest, ResumeRecord, ResumeStore, ResumeStoreOptions } from './resume-record.ts';
export { isResumeRecord } from './resume-record.ts';
export { createFileResumeStore, resumeFileName, type FileResumeStoreOptions } from './resume-file-store.ts';

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
    positiveIntegerOption('maxRecordBytes', options.maxRecordBytes, DEFAULT_MAX_RECORD_BYTES),
  );
}
