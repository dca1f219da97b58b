/** Options of a server's tasks and their defaults (2025-11-25 basic/utilities/tasks; the 2026-07-28 extension). */
import { positiveIntegerOption } from '../../protocol/limits.ts';
import type { TaskStore } from '../../transport/task-store/types.ts';
import type { TaskRuntime } from './runtime.ts';

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
   * Run lease of a task, ms, renewed every third of it while the task runs in this process
   * (leases.ts): when the process dies, another one sharing the store takes the task over
   * this long after the last renewal. Default 10 000.
   */
  leaseMs?: number;
  /**
   * After {@link TaskRuntime.resume}, look for tasks whose lease lapsed this often, ms (a
   * request about such a task takes it over at once). Default 10 000.
   */
  sweepMs?: number;
  /**
   * Declare and serve `tasks/list`. Default true: lists hold only the caller's own tasks
   * (principal.ts), which is what makes offering the list safe without authentication.
   */
  list?: boolean;
  /**
   * Unfinished tasks one principal (principal.ts) may have created, resumed or taken over in this process;
   * one more is refused -32603. Without it one client could fill the store (its `maxTasks`)
   * and so refuse everyone else's tasks. Unauthenticated 2026-07-28 requests (one shared
   * `anonymous` owner) are bounded by the store only. Default 100.
   */
  maxTasksPerPrincipal?: number;
  /**
   * The one issuer whose tokens made the tasks stored under the earlier `subject:<sub>` owner
   * (versions before issuer-and-subject owners, principal.ts): its subject `sub` owns them
   * too, so tasks left unfinished by an upgrade stay visible to their owner. Set it only when
   * the server trusted that issuer alone while those tasks were made, and no token without an
   * issuer reaches it now: with two issuers, a `subject:alice` task may be the other alice's,
   * so such tasks are left to their TTL. Unset by default (no earlier-form task is matched).
   */
  legacyOwnerIssuer?: string;
}

/** Defaults of {@link TaskOptions}. */
export const TASK_DEFAULTS = { defaultTtlMs: 3_600_000, maxTtlMs: 86_400_000, pollIntervalMs: 1000, pageSize: 100, leaseMs: 10_000, sweepMs: 10_000 } as const;

/** The limits of {@link TaskOptions}, defaults filled in (`maxTasksPerPrincipal` only when given: its default is runtime.ts's, not loaded at start). */
export type TaskLimits = Required<Omit<TaskOptions, 'store' | 'list' | 'maxTasksPerPrincipal' | 'legacyOwnerIssuer'>> & Pick<TaskOptions, 'maxTasksPerPrincipal'>;

/**
 * `options`' limits with their defaults; a RangeError naming the option and the value when one
 * is not a positive integer, as every other limit (README "Limits and defaults"; this was an
 * McpError MCP_ERR_VALIDATION that showed the string "1" as `got 1`).
 */
export function taskLimits(options: TaskOptions): TaskLimits {
  const { store: _store, list: _list, legacyOwnerIssuer: _issuer, ...given } = options;
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<TaskLimits>;
  const limits: TaskLimits = { ...TASK_DEFAULTS, ...set };
  for (const [name, value] of Object.entries(limits)) positiveIntegerOption(`tasks.${name}`, value, 1);
  return limits;
}
