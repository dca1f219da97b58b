/**
 * Whether a stored value has the shape of a {@link TaskRecord}. A durable store reads records
 * written by another version, or edited by hand, whose checksum is good: they are checked, not
 * cast, so one foreign record is skipped and reported instead of failing the server's start
 * (the runtime re-runs unfinished tasks from `request`) or a later `tasks/get`.
 */
import { isObject } from '../../protocol/jsonrpc.ts';
import type { TaskRecord } from './types.ts';

const STATUSES: ReadonlySet<unknown> = new Set(['working', 'input_required', 'completed', 'failed', 'cancelled']);

const isTime = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

/** What is wrong with `value` as a task record, or undefined when it is one. */
export function taskRecordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (typeof value.taskId !== 'string' || value.taskId === '') return 'no taskId';
  if (typeof value.owner !== 'string') return 'no owner';
  if (!STATUSES.has(value.status)) return `status ${JSON.stringify(value.status)} is not a task status`;
  if (!isTime(value.createdAt) || !isTime(value.lastUpdatedAt)) return 'createdAt or lastUpdatedAt is not a time';
  if (value.ttl !== null && !isTime(value.ttl)) return 'ttl is neither a number nor null';
  if (!Array.isArray(value.inputs)) return 'inputs is not an array';
  const request = value.request;
  if (!isObject(request) || request.method !== 'tools/call' || !isObject(request.params) || typeof request.params.name !== 'string') return 'request is not a tools/call';
  // Not required (a record this version wrote always has them): wrong when present.
  if (request.protocolVersion !== undefined && typeof request.protocolVersion !== 'string') return 'request.protocolVersion is not a string';
  if (request.clientCapabilities !== undefined && !isObject(request.clientCapabilities)) return 'request.clientCapabilities is not an object';
  if (value.notStarted !== undefined && value.notStarted !== true) return 'notStarted is not true';
  if (value.inputRequests !== undefined && !isObject(value.inputRequests)) return 'inputRequests is not an object';
  if (value.outcome !== undefined && !(isObject(value.outcome) && (isObject(value.outcome.result) || isObject(value.outcome.error)))) return 'outcome is neither a result nor an error';
  return undefined;
}

/** True when `value` has the shape of a task record (see {@link taskRecordProblem}). */
export function isTaskRecord(value: unknown): value is TaskRecord {
  return taskRecordProblem(value) === undefined;
}
