// Shared wiring for the 2026-07-28 tasks-extension tests (SEP-2663): a server with tasks, its
// stateless dispatcher, requests that do or do not declare the extension, and a wait for a
// task's status heard on the server event bus (never by sleeping).
import { createServer, createMemoryEventBus, type McpServer, type ServerEvent, type TaskOptions } from 'mcpwire/server';
import { createMemoryTaskStore } from 'mcpwire/transport';
import type { TaskClientDeps } from 'mcpwire/client/tasks';
import { RpcError } from 'mcpwire/protocol';
import { createModernDispatcher, type ModernDispatcher } from '../server/modern/dispatcher.ts';
import { envelope } from './modern-kit.ts';
import { within } from './tasks-fixture.ts';

export const TASKS = 'io.modelcontextprotocol/tasks';
/** Client capabilities that declare the extension (and elicitation). */
export const WITH_TASKS = { elicitation: {}, extensions: { [TASKS]: {} } };

let nextId = 1;

export interface ModernTasks {
  server: McpServer;
  dispatcher: ModernDispatcher;
  events: ServerEvent[];
  /** The result of `method`, or throws the JSON-RPC error as `{ code, message, data }`. */
  call(method: string, params?: Record<string, unknown>, caps?: Record<string, unknown>): Promise<Record<string, any>>;
  /** The error of `method` (fails the test when it succeeds). */
  fail(method: string, params?: Record<string, unknown>, caps?: Record<string, unknown>): Promise<{ code: number; message: string; data?: any }>;
  /** Resolves with the task as published once it reached `status`. */
  reached(taskId: string, status: string): Promise<Record<string, any>>;
}

/** A dispatcher over a server with tasks; `setup` registers its tools. */
export function modernTasks(setup: (server: McpServer) => void, options: Partial<TaskOptions> = {}): ModernTasks {
  const bus = createMemoryEventBus();
  const events: ServerEvent[] = [];
  const waiters = new Set<() => void>();
  bus.subscribe((event) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
    return true;
  });
  const server = createServer({ name: 'modern-tasks', version: '1.0.0' }, { eventBus: bus, tasks: { store: createMemoryTaskStore(), ...options } });
  setup(server);
  const dispatcher = createModernDispatcher(server);
  const send = async (method: string, params: Record<string, unknown>, caps: Record<string, unknown>) => {
    const answer = await dispatcher.handle({ jsonrpc: '2.0', id: `t-${nextId++}`, method, params: { ...params, _meta: envelope(caps) } });
    if (!answer) throw new Error(`no answer to ${method}`);
    return answer.message as { result?: Record<string, any>; error?: { code: number; message: string; data?: any } };
  };
  const find = (taskId: string, status: string) => events.find((e) => e.type === 'task_changed' && e.task.taskId === taskId && e.task.status === status);
  return {
    server, dispatcher, events,
    async call(method, params = {}, caps = WITH_TASKS) {
      const message = await send(method, params, caps);
      if (message.error) throw Object.assign(new Error(message.error.message), message.error);
      return message.result!;
    },
    async fail(method, params = {}, caps = WITH_TASKS) {
      const message = await send(method, params, caps);
      if (!message.error) throw new Error(`${method} should fail, got ${JSON.stringify(message.result)}`);
      return message.error;
    },
    reached(taskId, status) {
      const wait = new Promise<Record<string, any>>((resolve) => {
        const check = () => {
          const event = find(taskId, status);
          if (!event || event.type !== 'task_changed') return;
          waiters.delete(check);
          resolve(event.task as Record<string, any>);
        };
        waiters.add(check);
        check();
      });
      return within(wait, 5000, `task ${taskId} reaching ${status}`);
    },
  };
}

/**
 * The task client's request function over `t`'s dispatcher, as a transport sends it: the
 * request's own capabilities (over `base`) in the 2026 envelope; a JSON-RPC error is thrown
 * as an RpcError.
 */
export function rawRequest(t: ModernTasks, base: Record<string, unknown> = {}): TaskClientDeps['request'] {
  return async (method, params) => {
    const { _meta, ...rest } = params as { _meta?: Record<string, any> };
    const caps = { ...base, ..._meta?.['io.modelcontextprotocol/clientCapabilities'] };
    const reply = await t.dispatcher.handle({ jsonrpc: '2.0', id: `r-${nextId++}`, method, params: { ...rest, _meta: envelope(caps) } });
    const message = reply!.message as { result?: Record<string, unknown>; error?: { code: number; message: string } };
    if (message.error) throw new RpcError(message.error.code, message.error.message);
    return message.result!;
  };
}
