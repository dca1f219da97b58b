/**
 * `mcpwire/client/tasks`: the task client's parts for composing one by hand (`client.tasks` is
 * made from them). An entry of its own because `createClient` loads client/tasks.ts with
 * import() on first use: re-exported from `mcpwire/client`, every bundle of a client would
 * carry it at start (issue #20 item 3: the stdio-only client's footprint).
 */
export { createTaskClient, taskAnswerer, TASKS_EXTENSION, DEFAULT_TASK_POLL_MS, DEFAULT_TASK_UNREACHABLE_MS } from './tasks.ts';
export type { TaskClient, TaskClientDeps, TaskCallOptions, TaskInputRequest, RememberedTask } from './tasks.ts';
export type { TaskSnapshot } from './tasks-wire.ts';
