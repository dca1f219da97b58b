/**
 * The tasks feature (2025-11-25 basic/utilities/tasks): declares `tasks` as the schema
 * shapes it (`tasks.requests.tools.call`, `tasks.cancel`, `tasks.list`) and serves the four
 * `tasks/*` methods from the runtime. `tools/call` stays the tools feature's; it asks
 * {@link routeToolCall} whether a call runs as a task.
 */
import {
  ErrorCode, RpcError, versionAtLeast,
  type CallToolParams, type CreateTaskResult, type ServerCapabilities, type Tool,
} from '../../protocol/index.ts';
import type { MethodTable, ServerFeature } from '../method-table.ts';
import type { ServerRequest } from '../request.ts';
import type { TaskRuntime } from './runtime.ts';

/** The feature serving `runtime`'s tasks. */
export function createTasksFeature(runtime: TaskRuntime): ServerFeature {
  return {
    capabilities: (): ServerCapabilities => ({
      tasks: { ...(runtime.listed ? { list: {} } : {}), cancel: {}, requests: { tools: { call: {} } } },
    }),
    register(methods: MethodTable) {
      methods.on('tasks/get', (params, req) => runtime.get(params?.taskId, req));
      methods.on('tasks/result', (params, req) => runtime.result(params?.taskId, req));
      if (runtime.listed) methods.on('tasks/list', (params, req) => runtime.list(params?.cursor, req));
      methods.on('tasks/cancel', (params, req) => runtime.cancel(params?.taskId, req));
    },
  };
}

/**
 * How a `tools/call` runs (2025-11-25 server/tools: `execution.taskSupport`): undefined for
 * a plain call, else the task's `CreateTaskResult`. Calling a "forbidden" tool as a task,
 * or a "required" one without, is -32601. Sessions older than 2025-11-25 know no tasks: the
 * `task` field is ignored there (basic/utilities/tasks: receivers that do not support tasks
 * process the request normally).
 */
export function routeToolCall(
  params: CallToolParams, req: ServerRequest, tool: Tool | undefined, runtime: TaskRuntime | undefined,
): Promise<CreateTaskResult> | undefined {
  if (!runtime || !versionAtLeast(req.protocolVersion, '2025-11-25') || !tool) return undefined;
  const support = tool.execution?.taskSupport ?? 'forbidden';
  if (params.task === undefined) {
    if (support === 'required') throw new RpcError(ErrorCode.MethodNotFound, `Tool ${tool.name} must be called as a task (execution.taskSupport is "required")`);
    return undefined;
  }
  if (typeof params.task !== 'object' || params.task === null) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: task must be an object');
  if (support === 'forbidden') throw new RpcError(ErrorCode.MethodNotFound, `Tool ${tool.name} does not support task-augmented calls (execution.taskSupport is "forbidden")`);
  return runtime.create(params, req);
}
