/** Core tasks, experimental in 2025-11-25 (basic/utilities/tasks). */
import type { BaseNotificationParams, BaseRequestParams, PaginatedParams, PaginatedResult, Result } from './base.ts';

export interface TaskMetadata {
  ttl?: number;
}

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export interface Task {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttl: number | null;
  pollInterval?: number;
}

export interface CreateTaskResult extends Result {
  task: Task;
}

export interface TaskIdParams extends BaseRequestParams {
  taskId: string;
}

export type GetTaskResult = Result & Task;
export type CancelTaskResult = Result & Task;
export type ListTasksParams = PaginatedParams | undefined;
export interface ListTasksResult extends PaginatedResult {
  tasks: Task[];
}
export type TaskStatusParams = BaseNotificationParams & Task;
