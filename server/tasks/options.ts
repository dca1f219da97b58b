/** Options of a server's tasks and their defaults (2025-11-25 basic/utilities/tasks; the 2026-07-28 extension). */
import type { TaskStore } from '../../transport/task-store/types.ts';

/** Options of a server's tasks (`createServer(info, { tasks })`). */
export interface TaskOptions {
  /** Where tasks live: `createMemoryTaskStore()` or `await createFileTaskStore({ dir })`. */
  store: TaskStore;
  /** TTL when the client asks for none, ms. Default 3 600 000 (one hour). */
  defaultTtlMs?: number;
  /** Longest TTL granted, ms (a longer request is cut to it). Default 86 400 000 (one day). */
  maxTtlMs?: number;
  /** `pollInterval` suggested to clients, ms. Default 1000. */
  pollIntervalMs?: number;
  /** Tasks per page of `tasks/list`. Default 100. */
  pageSize?: number;
  /**
   * Declare and serve `tasks/list`. Default true: lists hold only the caller's own tasks
   * (principal.ts), which is what makes offering the list safe without authentication.
   */
  list?: boolean;
}

/** Defaults of {@link TaskOptions}. */
export const TASK_DEFAULTS = { defaultTtlMs: 3_600_000, maxTtlMs: 86_400_000, pollIntervalMs: 1000, pageSize: 100 } as const;
