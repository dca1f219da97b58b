/**
 * The 2026-07-28 tasks extension on the server (`io.modelcontextprotocol/tasks`, SEP-2663):
 * which `tools/call` becomes a task, and `tasks/get`, `tasks/update`, `tasks/cancel`. The
 * same tool handlers run as in the other eras; only the wire differs (modern-wire.ts).
 *
 * Negotiation (SEP-2663 "Required Capabilities", SEP-2575): only a request whose client
 * capabilities list the extension may get a task or use the `tasks/*` methods (-32021
 * otherwise, naming the extension in `data.requiredCapabilities`).
 */
import {
  ErrorCode, RpcError,
  type CallToolParams, type CallToolResult, type Tool,
} from '../../protocol/index.ts';
import { isObject } from '../../protocol/jsonrpc.ts';
import type { ServerRequest } from '../request.ts';
import { isTerminal } from '../../transport/task-store/types.ts';
import { declaresTasks, detailedTask, inputRequestsOf, modernTask, TASKS_EXTENSION, type DetailedTask } from './modern-wire.ts';
import { InlineFirstRequest } from './modern-inline.ts';
import type { TaskRuntime } from './runtime.ts';

/** -32021 naming the extension (SEP-2575 Missing Required Client Capability). */
function missingExtension(what: string): RpcError {
  return new RpcError(ErrorCode.MissingRequiredClientCapability, `Missing required client capability: ${what} needs the ${TASKS_EXTENSION} extension`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } });
}

/** The `tasks/*` methods need the extension declared on the request itself. */
function requireExtension(req: ServerRequest): void {
  if (!declaresTasks(req.clientCapabilities)) throw missingExtension(req.method);
}

/**
 * How a 2026 `tools/call` runs; undefined for a plain call. SEP-2663: the server alone
 * decides, per request; there is no `task` param (a legacy one is ignored) and a tool that
 * does not support tasks never becomes one. Tools with `execution.taskSupport` "optional"
 * or "required" become tasks for clients that declared the extension, at once, or, when
 * the runtime marks them {@link TaskRuntime.inlineFirst}, after their first inline round
 * (2026-07-28 basic/patterns/mrtr, then the task: SEP-2663 composition). A "required" tool from a
 * client without the extension is -32021; an "optional" one runs as a plain call.
 */
export function routeModernToolCall(
  params: CallToolParams, req: ServerRequest, tool: Tool | undefined, runtime: TaskRuntime,
  run: (req: ServerRequest) => Promise<CallToolResult>,
): Promise<Record<string, unknown>> | undefined {
  const support = tool?.execution?.taskSupport ?? 'forbidden';
  if (!tool || support === 'forbidden') return undefined;
  if (!declaresTasks(req.clientCapabilities)) {
    if (support === 'required') throw missingExtension(`tool ${tool.name}`);
    return undefined;
  }
  if (runtime.inlineFirst(tool.name)) return new InlineFirstRequest(req, params, runtime, run).answer();
  return createAtOnce(params, req, runtime);
}

/** SEP-2663 CreateTaskResult: flat task fields, `resultType: "task"`, sent once the task is durable. */
async function createAtOnce(params: CallToolParams, req: ServerRequest, runtime: TaskRuntime): Promise<Record<string, unknown>> {
  const record = await runtime.persist(params, req);
  runtime.launch(record, req);
  return { ...modernTask(record), resultType: 'task' };
}

/** SEP-2663 `tasks/get`: the DetailedTask; unknown (or foreign) ids are -32602. */
export async function getModernTask(params: unknown, req: ServerRequest, runtime: TaskRuntime): Promise<DetailedTask> {
  requireExtension(req);
  const record = await runtime.owned(taskIdOf(params), req);
  // An answer whose bus message this instance missed is picked up here too.
  runtime.runOf(record.taskId)?.sync(record);
  return detailedTask(record, inputRequestsOf(record));
}

/**
 * SEP-2663 `tasks/update { taskId, inputResponses }`: an empty ack, once the answers are in
 * the store (so a `tasks/get` after it, on any instance, no longer lists them). Eventually
 * consistent: keys that name no waiting question are ignored, and so is an update of a task
 * that waits for nothing (any more).
 */
export async function updateModernTask(params: unknown, req: ServerRequest, runtime: TaskRuntime): Promise<Record<string, never>> {
  requireExtension(req);
  const record = await runtime.owned(taskIdOf(params), req);
  const responses = (params as { inputResponses?: unknown }).inputResponses;
  if (!isObject(responses)) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: inputResponses must be an object of results by input key');
  for (const [key, value] of Object.entries(responses)) {
    if (!isObject(value)) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: inputResponses[${JSON.stringify(key)}] must be a result object`, { key });
  }
  if (!isTerminal(record.status)) await runtime.answer(record, responses);
  return {};
}

/**
 * SEP-2663 `tasks/cancel`: an empty ack, also for a task that has finished (idempotent);
 * cancellation is cooperative: the task is `cancelled`, and the handler's signal aborts on
 * the instance running it (its status event reaches it over the bus).
 */
export async function cancelModernTask(params: unknown, req: ServerRequest, runtime: TaskRuntime): Promise<Record<string, never>> {
  requireExtension(req);
  const record = await runtime.owned(taskIdOf(params), req, false);
  if (!isTerminal(record.status)) await runtime.stop(record, { statusMessage: 'The task was cancelled by request.' });
  return {};
}

function taskIdOf(params: unknown): unknown {
  return isObject(params) ? params.taskId : undefined;
}
