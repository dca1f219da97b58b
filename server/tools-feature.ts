/**
 * The tools feature (2025-11-25 server/tools): `tools/list` and `tools/call` served from the
 * tool registry, a feature like resources and prompts. It always declares `tools` with
 * `listChanged` (tools may be added while clients are connected).
 */
import { ErrorCode, RpcError, type CallToolParams, type CallToolResult, type CreateTaskResult, type ServerCapabilities } from '../protocol/index.ts';
import { fitToolResult } from './contents.ts';
import type { ToolContext } from './context.ts';
import type { MethodTable, ServerFeature } from './method-table.ts';
import type { ServerRequest } from './request.ts';
import { PLAIN_CALL, type LazyTaskRuntime } from './tasks-lazy.ts';
import { interruptedMessage, type ToolRegistry } from './tools.ts';

/** Options of {@link createToolsFeature}; the server passes its own. */
export interface ToolsFeatureOptions {
  tools: ToolRegistry;
  /** Items per page of `tools/list`. */
  pageSize: number;
  /** Build the handler context of a request. */
  context: (req: ServerRequest) => ToolContext;
  /** The server's tasks, when it offers them (2025-11-25 basic/utilities/tasks). */
  tasks?: LazyTaskRuntime | undefined;
}

/** Create the tools feature of a server (built into `createServer`). */
export function createToolsFeature(options: ToolsFeatureOptions): ServerFeature {
  const { tools, pageSize, context } = options;

  /**
   * A synchronous tool's result is returned as it is, not wrapped: the callers (the peer, the
   * modern dispatcher) await whatever comes back and catch what is thrown, and an async
   * wrapper cost two promises per call (bench/exchange-loop.ts, a promise-hook count).
   */
  function call(params: CallToolParams, req: ServerRequest): CallToolResult | Promise<CallToolResult | CreateTaskResult> {
    if (typeof params !== 'object' || params === null) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: tools/call needs params');
    if (req.rerun === true && tools.restartOf(params.name) === 'fail') throw new RpcError(ErrorCode.InternalError, interruptedMessage(params.name as string, 'the server stopped while it ran'));
    if (options.tasks) return callRouted(options.tasks, params, req);
    const result = tools.call(params.name, params.arguments, context(req));
    return result instanceof Promise ? result.then((r) => fitted(r, req)) : fitted(result, req);
  }

  /** Plain calls and tasks (tasks/feature.ts routeToolCall), once the runtime is loaded. */
  async function callRouted(tasks: LazyTaskRuntime, params: CallToolParams, req: ServerRequest): Promise<CallToolResult | CreateTaskResult> {
    const task = await tasks.route(params, req, tools.get(params.name), async (r) => tools.call(params.name, params.arguments, context(r)));
    if (task !== PLAIN_CALL) return task as CreateTaskResult;
    return fitted(await tools.call(params.name, params.arguments, context(req)), req);
  }

  /** The result as the request's version can carry it (contents.ts fitToolResult). */
  function fitted(result: CallToolResult, req: ServerRequest): CallToolResult {
    return fitToolResult(result, req.protocolVersion);
  }

  return {
    capabilities: (): ServerCapabilities => ({ tools: { listChanged: true } }),
    register(methods: MethodTable) {
      methods.on('tools/list', (params, req) => tools.list(params?.cursor, pageSize, req.protocolVersion));
      methods.on('tools/call', call);
    },
  };
}
