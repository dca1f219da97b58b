/** Task records as the 2025-11-25 wire shows them (basic/utilities/tasks: Task). */
import type { Task } from '../../protocol/index.ts';
import type { TaskRecord } from '../../transport/task-store/types.ts';

/** The `_meta` key that ties a message to its task (2025-11-25 basic/utilities/tasks). */
export const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** `record` as a wire Task: ISO 8601 times, `ttl` null for unlimited. */
export function wireTask(record: TaskRecord): Task {
  const task: Task = {
    taskId: record.taskId,
    status: record.status,
    createdAt: new Date(record.createdAt).toISOString(),
    lastUpdatedAt: new Date(record.lastUpdatedAt).toISOString(),
    ttl: record.ttl,
  };
  if (record.statusMessage !== undefined) task.statusMessage = record.statusMessage;
  if (record.pollInterval !== undefined) task.pollInterval = record.pollInterval;
  return task;
}

/** `params` with `_meta` naming the task (every request a task sends MUST carry it). */
export function withRelatedTask<P extends object | undefined>(params: P, taskId: string): P & { _meta: Record<string, unknown> } {
  const base = (params ?? {}) as { _meta?: Record<string, unknown> };
  return { ...base, _meta: { ...base._meta, [RELATED_TASK]: { taskId } } } as P & { _meta: Record<string, unknown> };
}
