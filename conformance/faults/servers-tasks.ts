/**
 * Deliberately broken servers, defects of the 2026-07-28 tasks extension: tasks for requests
 * that did not declare it, stores that lose or rewrite what a task holds, methods the extension
 * removed. Part of MODERN_FAULTS (servers-modern.ts). Test-only.
 */
import { bodyOf, mapModern, precedeCallReplies, withMeta } from './modern-wraps.ts';
import { legacy, type Fault } from './servers.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Replies to modern tasks/get whose task has `status` with `key` taken out of the task. */
function dropFromTask(status: string, key: string): Fault['wrap'] {
  return mapModern('tasks/get', (m) => {
    if (!isObj(m.result) || m.result.status !== status) return m;
    const { [key]: _dropped, ...task } = m.result;
    return { ...m, result: task };
  });
}

/** The tasks extension's defects, one each. */
export const TASK_FAULTS: readonly Fault[] = [
  (() => {
    // A server that remembers a client's capabilities across requests: once one request has
    // declared the tasks extension, later ones that do not are answered with tasks too.
    let declared = false;
    return {
      name: 'task-unasked', defect: 'once one request declared the tasks extension, calls that do not are answered with tasks', expect: 'tasks.undeclared-client',
      wrap: (inner) => async (r) => inner(await withMeta(r, (meta) => {
        const caps = isObj(meta[CLIENT_CAPABILITIES]) ? meta[CLIENT_CAPABILITIES] : {};
        const extensions = isObj(caps.extensions) ? caps.extensions : {};
        if (TASKS_EXTENSION in extensions) { declared = true; return undefined; }
        return declared ? { ...meta, [CLIENT_CAPABILITIES]: { ...caps, extensions: { ...extensions, [TASKS_EXTENSION]: {} } } } : undefined;
      })),
    } satisfies Fault;
  })(),
  {
    name: 'task-unknown-internal-error', defect: 'tasks/get of an unknown task id gets -32603 (a store lookup that throws), not -32602', expect: 'tasks.unknown-id',
    wrap: mapModern('tasks/get', (m) => (isObj(m.error) && m.error.code === -32602 ? { ...m, error: { code: -32603, message: 'Internal error' } } : m)),
  },
  (() => {
    // A store that keeps the last write, and a runner that writes "working" once more after the end.
    const ended = new Set<unknown>();
    return {
      name: 'task-terminal-reopens', defect: 'a completed task reads back as working on the next tasks/get', expect: 'tasks.terminal-final',
      wrap: mapModern('tasks/get', (m) => {
        if (!isObj(m.result) || m.result.status !== 'completed') return m;
        if (!ended.has(m.result.taskId)) { ended.add(m.result.taskId); return m; }
        const { result: _result, ...task } = m.result;
        return { ...m, result: { ...task, status: 'working' } };
      }),
    } satisfies Fault;
  })(),
  {
    // A task store that keeps the status but not the questions waiting in it.
    name: 'task-input-unlisted', defect: 'an input_required task read by tasks/get carries no inputRequests', expect: 'tasks.input-required',
    wrap: dropFromTask('input_required', 'inputRequests'),
  },
  (() => {
    // A store whose cancel writes "cancelled" without looking at the status it overwrites.
    const cancelled = new Set<unknown>();
    const rewrite = mapModern('tasks/get', (m) => (isObj(m.result) && cancelled.has(m.result.taskId)
      ? { ...m, result: { taskId: m.result.taskId, status: 'cancelled', createdAt: m.result.createdAt, lastUpdatedAt: m.result.lastUpdatedAt, ttlMs: m.result.ttlMs, resultType: 'complete' } } : m));
    return {
      name: 'task-cancel-reopens', defect: 'tasks/cancel of a completed task turns it into cancelled (its result gone)', expect: 'tasks.terminal-final',
      wrap: (inner) => {
        const served = rewrite(inner);
        return async (r) => {
          const body = await bodyOf(r);
          if (!legacy(r) && body?.method === 'tasks/cancel' && isObj(body.params)) cancelled.add(body.params.taskId);
          return served(r);
        };
      },
    } satisfies Fault;
  })(),
  (() => {
    // A store that sets ttlMs only when the client asked for a ttl, and leaves it out otherwise
    // (the extension wants it always: null for no limit).
    const untimed = (m: Obj): Obj => {
      if (!isObj(m.result) || !('taskId' in m.result)) return m;
      const { ttlMs: _dropped, ...task } = m.result;
      return { ...m, result: task };
    };
    const created = mapModern('tools/call', (m) => (isObj(m.result) && m.result.resultType === 'task' ? untimed(m) : m));
    const polled = mapModern('tasks/get', untimed);
    return {
      name: 'task-no-ttl', defect: 'a task the client set no ttl for is answered without ttlMs (CreateTaskResult and tasks/get)', expect: 'tasks.schema',
      wrap: (inner) => polled(created(inner)),
    } satisfies Fault;
  })(),
  {
    // A server that kept the 2025-11-25 habit of handing the result out by tasks/result only.
    name: 'task-completed-no-result', defect: 'tasks/get of a completed task carries no result', expect: 'tasks.schema',
    wrap: dropFromTask('completed', 'result'),
  },
  {
    // A server that serves both eras from one task router: the 2025-11-25 tasks/result is still
    // routed (to the store's lookup) in a 2026-07-28 request, where the extension removed it.
    name: 'task-result-kept', defect: 'a 2026-07-28 tasks/result is served by the task store (-32602 for an unknown task), not refused as unknown', expect: 'modern.removed-methods',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (legacy(r) || body?.method !== 'tasks/result') return inner(r);
      const headers = new Headers(r.headers);
      headers.set('mcp-method', 'tasks/get');
      return inner(new Request(r.url, { method: 'POST', headers, body: JSON.stringify({ ...body, method: 'tasks/get' }) }));
    },
  },
  {
    // A server that pushes the status change event as it is, not the stored task: no createdAt, no ttlMs.
    name: 'task-push-partial', defect: 'notifications/tasks on a listen naming the task carry only taskId, status and lastUpdatedAt', expect: 'tasks.schema',
    wrap: mapModern('subscriptions/listen', (m) => (m.method === 'notifications/tasks' && isObj(m.params)
      ? { ...m, params: { taskId: m.params.taskId, status: m.params.status, lastUpdatedAt: m.params.lastUpdatedAt, _meta: m.params._meta } } : m)),
  },
  (() => {
    // A server that kept 2025-11-25's rule that a progress token stays valid for the task's
    // lifetime: each poll of a task is told how far it got as progress naming the creating
    // call's token, on the poll's own reply stream.
    const tokens = new Map<unknown, unknown>(); // task id -> the creating call's progress token
    let step = 0;
    const noted = mapModern('tools/call', (m, request) => {
      const token = isObj(request.params) && isObj(request.params._meta) ? request.params._meta.progressToken : undefined;
      if (isObj(m.result) && m.result.resultType === 'task' && token !== undefined) tokens.set(m.result.taskId, token);
      return m;
    });
    const told = precedeCallReplies((_answer, request) => {
      const token = isObj(request.params) ? tokens.get(request.params.taskId) : undefined;
      return token === undefined ? [] : [{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: ++step, message: 'working' } }];
    }, 'tasks/get');
    return {
      name: 'task-progress-kept', defect: 'each tasks/get of a 2026-07-28 task carries notifications/progress naming the progress token of the call that created it', expect: 'tasks.no-progress',
      wrap: (inner) => told(noted(inner)),
    } satisfies Fault;
  })(),
];
