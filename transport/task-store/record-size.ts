/**
 * The byte bounds of a task store (TaskStoreLimits `maxRecordBytes`, `maxTotalBytes`). A
 * record holds the request's arguments, the client's capabilities and info (each up to the
 * HTTP body limit), the answers and the outcome: without a bound, `maxTasks` records could
 * hold gigabytes. Every store measures a record's JSON before it stores anything, so an
 * oversized record is refused whole, never half written.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { utf8Length } from '../event-store/memory-streams.ts';
import { DEFAULT_MAX_TASK_RECORD_BYTES, DEFAULT_MAX_TASK_STORE_BYTES, type TaskRecord, type TaskStoreLimits } from './types.ts';
import { positiveIntegerOption } from '../../protocol/limits.ts';

/** A record with its JSON as stored and that JSON's UTF-8 length. */
export interface SizedRecord {
  readonly record: TaskRecord;
  readonly json: string;
  readonly bytes: number;
}

/** The byte bounds of `limits`, defaults applied; a RangeError naming a bad one (README "Limits and defaults"). */
export function byteLimits(limits: TaskStoreLimits): { maxRecordBytes: number; maxTotalBytes: number } {
  return {
    maxRecordBytes: positiveIntegerOption('maxRecordBytes', limits.maxRecordBytes, DEFAULT_MAX_TASK_RECORD_BYTES),
    maxTotalBytes: positiveIntegerOption('maxTotalBytes', limits.maxTotalBytes, DEFAULT_MAX_TASK_STORE_BYTES),
  };
}

/** `record` measured; throws MCP_ERR_MESSAGE_TOO_LARGE when it is over `maxRecordBytes`. */
export function sizeRecord(record: TaskRecord, maxRecordBytes: number): SizedRecord {
  const json = JSON.stringify(record);
  // A string longer than the bound in UTF-16 units is longer in UTF-8 too: no need to count.
  const bytes = json.length > maxRecordBytes ? json.length : utf8Length(json);
  if (bytes > maxRecordBytes) {
    throw new McpError(LocalErrorCode.MessageTooLarge, `the record of task ${record.taskId} would be ${json.length > maxRecordBytes ? 'at least ' : ''}${bytes} bytes, over the task store's maxRecordBytes (${maxRecordBytes}); nothing was stored`);
  }
  return { record, json, bytes };
}

/** True when `error` is {@link sizeRecord}'s refusal (a refusal that no retry changes). */
export function isRecordTooLarge(error: unknown): boolean {
  return error instanceof McpError && error.code === LocalErrorCode.MessageTooLarge;
}
