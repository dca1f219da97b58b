/**
 * The tasks feature (2025-11-25 basic/utilities/tasks): declares `tasks` as the schema
 * shapes it (`tasks.requests.tools.call`, `tasks.cancel`, `tasks.list`) and serves the four
 * `tasks/*` methods from the runtime. `tools/call` stays the tools feature's; it asks
 * {@link routeToolCall} whether a call runs as a task.
 */
import {
  ErrorCode, RpcError, versionAtLeast,
  type CallToolParams, type CallToolResult, type CreateTaskResult, type ServerCapabilities, type Tool,
} from '../../protocol/index.ts';
import { fitToolResult } from '../contents.ts';
import type { MethodTable, ServerFeature } from '../method-table.ts';
import type { ServerRequest } from '../request.ts';
import type { TaskRuntime } from './runtime.ts';
import { cancelModernTask, getModernTask, routeModernToolCall, updateModernTask } from './modern-tasks.ts';
import { MODERN_TASKS_VERSION, TASKS_EXTENSION } from './modern-wire.ts';

/** A request of the 2026-07-28 era, where tasks are the extension. */
function isModern(req: ServerRequest): boolean {
  return versionAtLeast(req.protocolVersion, MODERN_TASKS_VERSION);
}

/** The feature serving `runtime`'s tasks. */
export function createTasksFeature(runtime: TaskRuntime): ServerFeature {
  return {
    capabilities: (): ServerCapabilities => ({
      tasks: { ...(runtime.listed ? { list: {} } : {}), cancel: {}, requests: { tools: { call: {} } } },
    }),
    register(methods: MethodTable) {
      // One method table for both eras: 2026-07-28 requests get the extension's methods
      // (modern-tasks.ts); its dispatcher answers tasks/result and tasks/list with -32601.
      methods.on('tasks/get', (params, req) => (isModern(req) ? getModernTask(params, req, runtime) : runtime.get(params?.taskId, req)) as never);
      // A tool's result goes to the 2025-11-25 client that made the task as tools/call's would.
      methods.on('tasks/result', async (params, req) => {
        const result = await runtime.result(params?.taskId, req);
        return Array.isArray((result as { content?: unknown }).content) ? fitToolResult(result as CallToolResult, req.protocolVersion) : result;
      });
      if (runtime.listed) methods.on('tasks/list', (params, req) => runtime.list(params?.cursor, req));
      methods.on('tasks/cancel', (params, req) => (isModern(req) ? cancelModernTask(params, req, runtime) : runtime.cancel(params?.taskId, req)) as never);
      methods.on('tasks/update' as never, ((params: unknown, req: ServerRequest) => {
        if (!isModern(req)) throw new RpcError(ErrorCode.MethodNotFound, `Method not found: tasks/update is part of the ${TASKS_EXTENSION} extension (2026-07-28)`);
        return updateModernTask(params, req, runtime);
      }) as never);
    },
  };
}

/**
 * How a `tools/call` runs (2025-11-25 server/tools: `execution.taskSupport`): undefined for
 * a plain call, else the task's `CreateTaskResult` (2026-07-28: modern-tasks.ts decides, and
 * `run` runs a handler that asks inline first). Calling a "forbidden" tool as a task,
 * or a "required" one without, is -32601. Sessions older than 2025-11-25 know no tasks: the
 * `task` field is ignored there (basic/utilities/tasks: receivers that do not support tasks
 * process the request normally).
 */
export function routeToolCall(
  params: CallToolParams, req: ServerRequest, tool: Tool | undefined, runtime: TaskRuntime | undefined,
  run: (req: ServerRequest) => Promise<CallToolResult>,
): Promise<CreateTaskResult | Record<string, unknown>> | undefined {
  if (!runtime || !versionAtLeast(req.protocolVersion, '2025-11-25')) return undefined;
  if (isModern(req)) return routeModernToolCall(params, req, tool, runtime, run);
  if (!tool) return undefined;
  // 2025-11-25 basic/utilities/tasks, tool-level negotiation: -32601 when a "required" tool is
  // called without a task (MUST) or a "forbidden" one (the default) with one (SHOULD).
  const support = tool.execution?.taskSupport ?? 'forbidden';
  if (params.task === undefined) {
    if (support === 'required') throw new RpcError(ErrorCode.MethodNotFound, `Tool ${tool.name} must be called as a task (execution.taskSupport is "required")`);
    return undefined;
  }
  if (typeof params.task !== 'object' || params.task === null) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: task must be an object');
  if (support === 'forbidden') throw new RpcError(ErrorCode.MethodNotFound, `Tool ${tool.name} does not support task-augmented calls (execution.taskSupport is "forbidden")`);
  return runtime.create(params, req);
}
