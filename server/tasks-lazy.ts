/**
 * A server's tasks (`createServer(info, { tasks })`, 2025-11-25 basic/utilities/tasks and the
 * 2026-07-28 extension) with the runtime's code behind `import()` (tasks-parts.ts): a server
 * without `tasks` never loads it (issue #20 item 3: ~20 KB of a bundle). The load starts when
 * the server is created; a `tools/call` or `tasks/*` request that comes before it ends waits
 * for it, then runs as it always did. A load that fails is reported (`onError`), fails the
 * requests that waited for it (-32603) and is tried again by the next one.
 */
import {
  ErrorCode, RpcError, type CallToolParams, type CallToolResult, type CreateTaskResult, type ServerCapabilities, type Tool,
} from '../protocol/index.ts';
import type { TaskStore } from '../transport/task-store/types.ts';
import type { AnyMethodHandler, MethodTable, ServerFeature } from './method-table.ts';
import type { ServerRequest } from './request.ts';
import type { TaskRuntime as Runtime, TaskRuntimeHost } from './tasks/runtime.ts';
import { taskLimits, type TaskOptions } from './tasks/options.ts';

/** The module behind `import()`. */
export type TasksModule = typeof import('./tasks-parts.ts');

/** The methods the tasks feature serves (tasks/feature.ts), registered before its code loads. */
export const TASK_METHODS = ['tasks/get', 'tasks/result', 'tasks/list', 'tasks/cancel', 'tasks/update'] as const;

/** The tasks of a server, as `server.tasks` offers them. */
export interface TaskRuntime {
  /** Where the tasks live (`options.tasks.store`). */
  readonly store: TaskStore;
  /** Whether `tasks/list` is declared and served (`options.tasks.list`, default true). */
  readonly listed: boolean;
  /**
   * 2026-07-28: `toolName` asks its first question inline (a multi round-trip round) and
   * becomes a task once the client has answered it, instead of becoming a task at once.
   */
  setInlineFirst(toolName: string): void;
  /** Whether {@link setInlineFirst} marked `toolName`. */
  inlineFirst(toolName: string): boolean;
  /**
   * Run again every unfinished task in the store whose lease is free (after a restart: all of
   * them), then keep doing so every `sweepMs`; resolves with how many it took now. Call it
   * once the tools are registered.
   */
  resume(): Promise<number>;
  /** Stop every run without finishing its task, give its lease up, then close the store. */
  close(): Promise<void>;
}

/** A `tools/call` that is not a task: the tools feature runs it itself. */
export const PLAIN_CALL = Symbol('plain call');

/** The server's tasks: the runtime once loaded, and what waits for it until then. */
export class LazyTaskRuntime implements TaskRuntime {
  readonly store: TaskStore;
  readonly listed: boolean;
  readonly #options: TaskOptions;
  readonly #host: TaskRuntimeHost;
  readonly #load: () => Promise<TasksModule>;
  #loaded: { module: TasksModule; runtime: Runtime } | undefined;
  #loading: Promise<{ module: TasksModule; runtime: Runtime }> | undefined;
  readonly #inlineFirst = new Set<string>();

  /** Checks the options now (MCP_ERR_VALIDATION, as the runtime would) and starts the load. */
  constructor(options: TaskOptions, host: TaskRuntimeHost, load: () => Promise<TasksModule> = () => import('./tasks-parts.ts')) {
    taskLimits(options);
    this.store = options.store;
    this.listed = options.list ?? true;
    this.#options = options;
    this.#host = host;
    this.#load = load;
    this.loaded().catch(() => {}); // reported in loaded(); each request that needs it gets the error
  }

  /** The runtime and its module, loading them the first time (again after a failed load). */
  loaded(): Promise<{ module: TasksModule; runtime: Runtime }> {
    if (this.#loaded) return Promise.resolve(this.#loaded);
    this.#loading ??= this.#load().then(
      (module) => {
        const runtime = new module.TaskRuntimeImpl(this.#options, this.#host);
        for (const name of this.#inlineFirst) runtime.setInlineFirst(name);
        return (this.#loaded = { module, runtime });
      },
      (error: unknown) => {
        this.#loading = undefined;
        const cause = error instanceof Error ? error : new Error(String(error));
        this.#host.report(cause);
        throw new RpcError(ErrorCode.InternalError, `Internal error: the tasks runtime did not load: ${cause.message}`, undefined, { cause });
      },
    );
    return this.#loading;
  }

  /** The loaded runtime, when it is. */
  get now(): { module: TasksModule; runtime: Runtime } | undefined {
    return this.#loaded;
  }

  setInlineFirst(toolName: string): void {
    this.#inlineFirst.add(toolName);
    this.#loaded?.runtime.setInlineFirst(toolName);
  }

  inlineFirst(toolName: string): boolean {
    return this.#inlineFirst.has(toolName);
  }

  async resume(): Promise<number> {
    return (await this.loaded()).runtime.resume();
  }

  async close(): Promise<void> {
    const loaded = this.#loaded ?? await this.#loading?.catch(() => undefined);
    if (loaded) await loaded.runtime.close();
    else await this.store.close(); // the runtime never ran: only the store is open
  }

  /**
   * How a `tools/call` runs (tasks/feature.ts `routeToolCall`): {@link PLAIN_CALL} for a plain
   * call, else the task's answer.
   */
  async route(
    params: CallToolParams, req: ServerRequest, tool: Tool | undefined, run: (req: ServerRequest) => Promise<CallToolResult>,
  ): Promise<CreateTaskResult | Record<string, unknown> | typeof PLAIN_CALL> {
    const { module, runtime } = this.#loaded ?? await this.loaded();
    return await module.routeToolCall(params, req, tool, runtime, run) ?? PLAIN_CALL;
  }
}

/**
 * The tasks feature of `tasks` (tasks/feature.ts), its methods registered now and served by
 * the loaded feature's handlers.
 */
export function lazyTasksFeature(tasks: LazyTaskRuntime): ServerFeature {
  let handlers: Map<string, AnyMethodHandler> | undefined;
  let feature: ServerFeature | undefined;
  let table: MethodTable | undefined;
  const load = async (): Promise<Map<string, AnyMethodHandler>> => {
    const { module, runtime } = await tasks.loaded();
    if (!handlers) {
      const captured = new Map<string, AnyMethodHandler>();
      feature = module.createTasksFeature(runtime);
      feature.register({ on: (method: string, handler: AnyMethodHandler) => captured.set(method, handler) } as unknown as MethodTable);
      // A method the feature added since TASK_METHODS was written still gets served.
      for (const [method, handler] of captured) if (!(TASK_METHODS as readonly string[]).includes(method)) table?.on(method as never, handler as never);
      handlers = captured;
    }
    return handlers;
  };
  const serve = (method: string): AnyMethodHandler => (params, req) => {
    const handler = handlers?.get(method);
    if (handler) return handler(params, req);
    return load().then((loaded) => {
      const later = loaded.get(method);
      if (!later) throw new RpcError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
      return later(params, req);
    });
  };
  return {
    capabilities: (): ServerCapabilities => feature?.capabilities()
      // What tasks/feature.ts declares, until it is loaded (lazy-tasks.test.ts compares them).
      ?? { tasks: { ...(tasks.listed ? { list: {} } : {}), cancel: {}, requests: { tools: { call: {} } } } },
    register(methods: MethodTable) {
      table = methods;
      for (const method of TASK_METHODS) {
        if (method === 'tasks/list' && !tasks.listed) continue;
        methods.on(method as never, serve(method) as never);
      }
    },
  };
}
