/**
 * The tasks extension's `subscriptions/listen` topic (SEP-2663, io.modelcontextprotocol/tasks):
 * a stream whose filter names `taskIds` carries `notifications/tasks` with each named task's
 * DetailedTask when its status changes, only when the server serves the extension and the
 * listening request declared it (-32021 when it names taskIds without declaring it), and only
 * to the principal that owns the task
 * (principal.ts: an authenticated issuer and subject, else `anonymous`, whose task ids are the secret).
 */
import { ErrorCode, RpcError, type JsonRpcNotification } from '../../protocol/index.ts';
import { LISTEN_DEFAULTS, type ListenTopic, type Listener } from '../modern/listen.ts';
import { TASKS_EXTENSION } from './modern-wire.ts';
import { ANONYMOUS, subjectPrincipal } from './principal.ts';


function declaresTasks(capabilities: Record<string, unknown>): boolean {
  const extensions = capabilities.extensions as Record<string, unknown> | undefined;
  return extensions?.[TASKS_EXTENSION] !== undefined;
}

/** Who owns the 2026-07-28 tasks a listener may hear of. */
function ownerOf(listener: Listener): string {
  return subjectPrincipal(listener.auth) ?? ANONYMOUS;
}

/** The topic; a stream naming more than `maxTaskIds` task ids is -32602 (`listen.maxTaskIds`). */
export function taskListenTopic(maxTaskIds: number = LISTEN_DEFAULTS.maxTaskIds): ListenTopic {
  return {
    keys: ['taskIds'],
    agree(filter, capabilities, listener) {
      const ids = filter.taskIds;
      if (ids === undefined) return undefined;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: notifications.taskIds must be an array of task ids');
      }
      if (ids.length > maxTaskIds) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: at most ${maxTaskIds} taskIds per stream (listen.maxTaskIds; got ${ids.length})`);
      const served = (capabilities.extensions as Record<string, unknown> | undefined)?.[TASKS_EXTENSION] !== undefined;
      if (!served || ids.length === 0) return undefined;
      // ext-tasks "Task Status Notifications": a client that asks for task notifications
      // without declaring the extension MUST get -32021 naming it (not a silent omission).
      if (!declaresTasks(listener.clientCapabilities)) {
        throw new RpcError(ErrorCode.MissingRequiredClientCapability, `Missing required client capability: notifications.taskIds needs the ${TASKS_EXTENSION} extension`,
          { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } });
      }
      return { taskIds: [...new Set(ids as string[])] };
    },
    deliver(event, granted, listener): JsonRpcNotification | undefined {
      if (event.type !== 'task_changed') return undefined;
      const ids = granted.taskIds as readonly string[] | undefined;
      if (!ids?.includes(event.task.taskId) || event.owner !== ownerOf(listener)) return undefined;
      return { jsonrpc: '2.0', method: 'notifications/tasks', params: { ...event.task } } as JsonRpcNotification;
    },
  };
}
