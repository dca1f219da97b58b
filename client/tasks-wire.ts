/**
 * The client's era-neutral view of a task: the 2025-11-25 core `Task` (`ttl`,
 * `pollInterval`) and the 2026-07-28 extension's DetailedTask (`ttlMs`, `pollIntervalMs`,
 * `inputRequests`, `result`, `error`; SEP-2663) read into one shape.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError, type CallToolResult, type RpcErrorObject, type TaskStatus } from '../protocol/index.ts';

/**
 * The tasks extension's identifier lives in protocol/modern-meta.ts: the package exports it from
 * there, so this module (loaded with the task client) stays out of the client's start.
 */
export { TASKS_EXTENSION } from '../protocol/modern-meta.ts';

/** A task as the client sees it, whichever era made it. */
export interface TaskSnapshot {
  /** The server's id of the task. */
  readonly taskId: string;
  /** `working`, `input_required`, `completed`, `failed` or `cancelled`. */
  readonly status: TaskStatus;
  /** What the server said of the status, for a person. */
  readonly statusMessage?: string;
  /** When the server made the task (ISO 8601). */
  readonly createdAt: string;
  /** When its status last changed (ISO 8601). */
  readonly lastUpdatedAt: string;
  /** Retention from creation in ms; null for unlimited. */
  readonly ttlMs: number | null;
  /** How often the server suggests polling, ms. */
  readonly pollIntervalMs?: number;
  /** 2026: the questions waiting for `tasks/update`, by key. */
  readonly inputRequests?: Readonly<Record<string, { method: string; params?: unknown }>>;
  /** 2026: the tool's result once completed. */
  readonly result?: Record<string, unknown>;
  /** 2026: the JSON-RPC error once failed. */
  readonly error?: RpcErrorObject;
}

/** A task's fields from either era's wire shape (a CreateTaskResult, a Task or a DetailedTask). */
export function readTask(wire: Record<string, unknown>): TaskSnapshot {
  const ttl = wire.ttlMs !== undefined ? wire.ttlMs : wire.ttl;
  const poll = wire.pollIntervalMs ?? wire.pollInterval;
  const task: Record<string, unknown> = {
    taskId: wire.taskId, status: wire.status, createdAt: wire.createdAt, lastUpdatedAt: wire.lastUpdatedAt,
    ttlMs: typeof ttl === 'number' ? ttl : null,
  };
  if (typeof wire.statusMessage === 'string') task.statusMessage = wire.statusMessage;
  if (typeof poll === 'number') task.pollIntervalMs = poll;
  for (const key of ['inputRequests', 'result', 'error'] as const) if (wire[key] !== undefined) task[key] = wire[key];
  return task as unknown as TaskSnapshot;
}

/** The statuses after which a task never changes. */
export function isFinished(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** A finished 2026 task's outcome: its result, or its error thrown. */
export function finished(task: TaskSnapshot): CallToolResult {
  if (task.status === 'completed' && task.result) return task.result as unknown as CallToolResult;
  if (task.status === 'cancelled') throw new McpError(LocalErrorCode.Aborted, `task ${task.taskId} was cancelled`);
  const error = task.error ?? { code: ErrorCode.InternalError, message: `task ${task.taskId} ${task.status} without a result` };
  throw new RpcError(error.code, error.message, error.data);
}
