/**
 * Tasks as the 2026-07-28 tasks extension shows them (`io.modelcontextprotocol/tasks`,
 * SEP-2663): flat task fields with `ttlMs` / `pollIntervalMs`, `CreateTaskResult` with
 * `resultType: "task"`, and `tasks/get`'s DetailedTask with `inputRequests`, `result` or
 * `error` by status. No `related-task` `_meta`: the task id is at the root.
 */
import type { ClientCapabilities, RpcErrorObject, ServerCapabilities, TaskStatus } from '../../protocol/index.ts';
import type { TaskRecord } from '../../transport/task-store/types.ts';

/** The extension's identifier (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** The first version that speaks the extension instead of the 2025-11-25 core tasks. */
export const MODERN_TASKS_VERSION = '2026-07-28';

/** A task record was made by a 2026-era request. */
export function isModernRecord(record: TaskRecord): boolean {
  return record.request.protocolVersion >= MODERN_TASKS_VERSION;
}

/** SEP-2663 negotiation: the client lists the extension in its (per-request) capabilities. */
export function declaresTasks(capabilities: ClientCapabilities | undefined): boolean {
  const extensions = (capabilities as { extensions?: unknown } | undefined)?.extensions;
  return typeof extensions === 'object' && extensions !== null && TASKS_EXTENSION in extensions;
}

/** The task fields of the extension (its `Task`). */
export interface ModernTask {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number | null;
  pollIntervalMs?: number;
}

/** `tasks/get`'s answer (SEP-2663 DetailedTask). */
export type DetailedTask = ModernTask & {
  inputRequests?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: RpcErrorObject;
};

/** `record` as the extension's Task: ISO 8601 times, integer ms. */
export function modernTask(record: TaskRecord): ModernTask {
  const task: ModernTask = {
    taskId: record.taskId,
    status: record.status,
    createdAt: new Date(record.createdAt).toISOString(),
    lastUpdatedAt: new Date(record.lastUpdatedAt).toISOString(),
    ttlMs: record.ttl,
  };
  if (record.statusMessage !== undefined) task.statusMessage = record.statusMessage;
  if (record.pollInterval !== undefined) task.pollIntervalMs = record.pollInterval;
  return task;
}

/** SEP-2663 `inputRequests`: the questions `record` waits on, by key, as requests. */
export function inputRequestsOf(record: TaskRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, { method, params }] of Object.entries(record.inputRequests ?? {})) out[key] = params === undefined ? { method } : { method, params };
  return out;
}

/**
 * SEP-2663 DetailedTask: `inputRequests` when input_required, the tool's `result` when
 * completed (tool errors included), `error` when failed (JSON-RPC errors only).
 */
export function detailedTask(record: TaskRecord, inputRequests: Record<string, unknown> | undefined): DetailedTask {
  const task: DetailedTask = modernTask(record);
  const outcome = record.outcome;
  if (record.status === 'input_required') task.inputRequests = inputRequests ?? {};
  else if (record.status === 'completed' && outcome && 'result' in outcome) task.result = outcome.result;
  else if (record.status === 'failed') {
    task.error = outcome && 'error' in outcome ? outcome.error : { code: -32603, message: record.statusMessage ?? 'the task failed' };
  }
  return task;
}

/**
 * The 2026-07-28 declaration of a server with tasks: the extension under
 * `capabilities.extensions`, never the 2025 `tasks` slot (SEP-2663 negotiation).
 */
export function modernTaskCapabilities(caps: ServerCapabilities): ServerCapabilities {
  const { tasks, ...rest } = caps as ServerCapabilities & { extensions?: Record<string, unknown> };
  if (tasks === undefined) return caps;
  return { ...rest, extensions: { ...rest.extensions, [TASKS_EXTENSION]: {} } } as ServerCapabilities;
}
