// Shared wiring for the tasks tests: a server with tasks in a memory store, tools that run
// as tasks, and helpers to call them as tasks and await a task's status through
// notifications/tasks/status (never by sleeping).
import { createServer, type McpServer, type TaskOptions } from 'mcpwire/server';
import { createMemoryTaskStore, type TaskStore } from 'mcpwire/transport';
import type { CreateTaskResult, Task } from 'mcpwire/protocol';
import { connectClient, type Connected } from './memory-client.ts';

/** A promise with its resolver, for tools a test releases. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => { open = resolve; });
  return { promise, open };
}

/** Reject after `ms` so a broken test fails instead of hanging. */
export function within<T>(promise: Promise<T>, ms = 5000, what = 'the awaited event'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface TasksServer {
  server: McpServer;
  store: TaskStore;
}

/** A server offering tasks (memory store unless given); `setup` registers its tools. */
export function tasksServer(setup: (server: McpServer) => void, options: Partial<TaskOptions> = {}): TasksServer {
  const store = options.store ?? createMemoryTaskStore();
  const server = createServer({ name: 'tasks', version: '1.0.0' }, { tasks: { ...options, store } });
  setup(server);
  return { server, store };
}

/** `tools/call` as a task (2025-11-25 basic/utilities/tasks). */
export async function callAsTask(c: Connected, name: string, args: Record<string, unknown> = {}, ttl?: number): Promise<Task> {
  const params = { name, arguments: args, task: ttl === undefined ? {} : { ttl } };
  const result = await c.client.peer.request('tools/call', params) as CreateTaskResult;
  return result.task;
}

/** Resolves once the task has reached `status` (as told by notifications/tasks/status). */
export function statusReached(c: Connected, taskId: string, status: Task['status']): Promise<void> {
  const seen = () => c.heard.some((h) => h.method === 'notifications/tasks/status' && h.params?.taskId === taskId && h.params?.status === status);
  const wait = async () => {
    while (!seen()) await c.next('notifications/tasks/status');
  };
  return within(wait(), 5000, `task ${taskId} reaching ${status}`);
}

export { connectClient };
