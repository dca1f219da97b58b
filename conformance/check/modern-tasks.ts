/**
 * The tasks extension over HTTP (`io.modelcontextprotocol/tasks`, SEP-2663), probed when
 * `server/discover` lists it in `capabilities.extensions`: `tasks/get` of a task id the server
 * never minted must be -32602 (2025-11-25 basic/utilities/tasks, error handling, kept by the
 * extension: "Invalid or nonexistent taskId ... -32602"); and a tool call the server turns into
 * a task is polled to its end and once more: a terminal status (completed, failed, cancelled)
 * is final and never changes, its result neither (basic/utilities/tasks: task status lifecycle).
 * The terminal task is then cancelled: the extension's `tasks/cancel` is cooperative and only
 * acknowledged (ext-tasks 2026-07-28, task cancellation: "MAY ultimately reach a terminal status
 * other than cancelled if the work finished before cancellation could take effect"), so an ack
 * or an error are both answers, but the task must still read back as it ended. The probes run
 * over HTTP and stdio alike: `ask` carries the transport.
 */
import { judgeTaskIds } from './task-id.ts';
import { TASK_PROGRESS_TOKEN, watchTaskProgress } from './task-progress.ts';
import type { FindingRecorder } from './findings.ts';
import { isDestructive } from './driver.ts';
import { validArguments } from './args.ts';
import type { Tool } from 'mcpwire/protocol';
import { createTaskSchemaWatch, type TaskSchemaWatch } from './task-schema.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/**
 * What the task probes declare on each request: the extension, and every input capability, so
 * an `input_required` task may ask (and is answered).
 */
export const TASK_CLIENT_CAPABILITIES = { elicitation: {}, sampling: {}, roots: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } } as const;
/** The extension's id in `capabilities.extensions`. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** A task id no server mints. */
export const UNKNOWN_TASK_ID = 'mcpwire-check-no-such-task';
/**
 * The 2025-11-25 task methods the extension removed (ext-tasks 2026-07-28, SEP-2663: no
 * `tasks/result`, no `tasks/list`), with params a 2025 server would take: in a modern request
 * they are unknown methods (-32601), whatever the server's task store holds.
 */
export const REMOVED_TASK_METHODS: ReadonlyArray<readonly [string, Obj]> = [['tasks/result', { taskId: UNKNOWN_TASK_ID }], ['tasks/list', {}]];
/** How many more tasks of the polled task's tool are made for their ids (tasks.id-unguessable compares them). */
const EXTRA_TASK_IDS = 2;
/** Longest pause between two polls of a task, ms (shorter when the server suggests so). */
export const MAX_TASK_POLL_MS = 250;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * One modern request as the probe needs it: the answer's result or error, the exchange text,
 * and the notifications that came with the answer (its reply stream; over stdio, the lines read
 * while it was pending).
 */
export type TaskAsk = (method: string, params: Obj, headers: Record<string, string | undefined>) => Promise<{ result: Obj | undefined; error: { code?: unknown } | undefined; exchange: string; notes?: readonly Obj[] }>;

/** What the task probes need of the target: where findings go and the bound on each exchange. */
export interface TaskTarget {
  readonly rec: FindingRecorder;
  readonly timeoutMs: number;
  /**
   * Open a `subscriptions/listen` with `filter` (the tasks extension declared) and run
   * `whileOpen` once it is acknowledged; the stream's messages, or undefined when the listen was
   * refused. Absent: the task is polled with no listen open.
   */
  readonly listen?: (filter: Obj, whileOpen: () => Promise<void>) => Promise<{ messages: readonly Obj[]; exchange: string } | undefined>;
}

/** The filter of the listen open while a task is polled: no task named, so no notifications/tasks belong on it. */
export const UNNAMED_TASK_FILTER = { toolsListChanged: true } as const;

/** True when `caps` (a DiscoverResult's) lists the tasks extension. */
export function offersTasks(caps: Obj): boolean {
  return isObj(caps.extensions) && TASKS_EXTENSION in caps.extensions;
}

/** `tasks/get` of a task id that does not exist gets -32602. */
async function checkUnknownTask(t: TaskTarget, ask: TaskAsk): Promise<void> {
  if (!t.rec.wants('tasks.unknown-id')) return;
  const got = await ask('tasks/get', { taskId: UNKNOWN_TASK_ID }, { 'mcp-name': UNKNOWN_TASK_ID });
  const code = got.error?.code;
  if (code === -32602) t.rec.pass('tasks.unknown-id', `tasks/get of ${UNKNOWN_TASK_ID} got -32602`, 'modern');
  else t.rec.fail('tasks.unknown-id', `tasks/get of ${UNKNOWN_TASK_ID} got ${got.result ? `a result (status ${JSON.stringify(got.result.status)})` : code === undefined ? 'no JSON-RPC error' : `error ${String(code)}`}, expected -32602`, got.exchange, 'modern');
}

/** A task's status and what a terminal status carries, for comparing two polls. */
function snapshot(task: Obj): string {
  return JSON.stringify({ status: task.status, result: task.result, error: task.error });
}

/**
 * Call the tools (non-destructive ones unless allowed) with the extension declared until one is
 * answered with a task; poll it to a terminal status within `t.timeoutMs`, then once more.
 */
async function checkTerminalFinal(t: TaskTarget, ask: TaskAsk, tools: readonly Tool[], allowDestructive: boolean, schema: TaskSchemaWatch): Promise<void> {
  if (!(['tasks.terminal-final', 'tasks.input-required', 'tasks.schema', 'modern.listen-filter', 'tasks.id-unguessable', 'tasks.no-progress'] as const).some((id) => t.rec.wants(id))) return;
  const state = { asked: false, schema };
  await pollFirstTask(t, ask, tools, allowDestructive, state);
  if (!state.asked) t.rec.skip('tasks.input-required', 'the task polled never asked for input', 'modern');
}

/** The body of {@link checkTerminalFinal}; `state.asked` is set when the task went input_required. */
async function pollFirstTask(t: TaskTarget, ask: TaskAsk, tools: readonly Tool[], allowDestructive: boolean, state: { asked: boolean; readonly schema: TaskSchemaWatch }): Promise<void> {
  for (const tool of tools) {
    if (!allowDestructive && isDestructive(tool)) continue;
    // A progress token of its own (ext-tasks: a task gets no progress notifications): tasks.no-progress.
    const token = `${TASK_PROGRESS_TOKEN}-${tool.name}`;
    const call = await ask('tools/call', { name: tool.name, arguments: validArguments(tool.inputSchema), _meta: { progressToken: token } }, { 'mcp-name': tool.name });
    const created = call.result;
    if (created?.resultType !== 'task' || typeof created.taskId !== 'string') continue;
    const progress = watchTaskProgress(t.rec, tool.name, created.taskId, token);
    try {
      await followTask(t, async (method, params, headers) => progress.see(await ask(method, params, headers)), tool, created, created.taskId, call, state);
    } finally {
      progress.finish();
    }
    // Ids side by side show a counter behind a random prefix, which one id cannot (a tool with side effects is not called again).
    const more = t.rec.wants('tasks.id-unguessable') && !isDestructive(tool) ? await moreTaskIds(ask, tool) : [];
    judgeTaskIds(t.rec, tool.name, [created.taskId, ...more], call.exchange);
    return;
  }
  for (const id of ['tasks.terminal-final', 'tasks.id-unguessable', 'tasks.no-progress'] as const) t.rec.skip(id, 'no tool call was answered with a task', 'modern');
}

/** The ids of {@link EXTRA_TASK_IDS} more tasks of `tool` (for tasks.id-unguessable), each cancelled as soon as it is made. */
async function moreTaskIds(ask: TaskAsk, tool: Tool): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < EXTRA_TASK_IDS) {
    const got = await ask('tools/call', { name: tool.name, arguments: validArguments(tool.inputSchema) }, { 'mcp-name': tool.name });
    const id = got.result?.resultType === 'task' && typeof got.result.taskId === 'string' ? got.result.taskId : undefined;
    if (id === undefined) break;
    ids.push(id);
    await ask('tasks/cancel', { taskId: id }, { 'mcp-name': id });
  }
  return ids;
}

/** Poll the task `call` created to its end and once more, then cancel it (see {@link checkTerminalFinal}). */
async function followTask(t: TaskTarget, ask: TaskAsk, tool: Tool, created: Obj, taskId: string, call: { exchange: string }, state: { asked: boolean; readonly schema: TaskSchemaWatch }): Promise<void> {
  const pause = Math.min(typeof created.pollIntervalMs === 'number' && created.pollIntervalMs > 0 ? created.pollIntervalMs : MAX_TASK_POLL_MS, MAX_TASK_POLL_MS);
  const seen: string[] = [String(created.status)];
  let terminal: { task: Obj; exchange: string } | undefined = TERMINAL.has(String(created.status)) ? { task: created, exchange: call.exchange } : undefined;
  const poll = async (): Promise<boolean> => {
    const deadline = Date.now() + t.timeoutMs;
    const answered = new Set<string>();
    while (terminal === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const got = await ask('tasks/get', { taskId }, { 'mcp-name': taskId });
      if (!got.result) return false; // an error is tasks.unknown-id's or the schema's to judge
      seen.push(String(got.result.status));
      if (TERMINAL.has(String(got.result.status))) terminal = { task: got.result, exchange: got.exchange };
      else if (got.result.status === 'input_required') {
        state.asked = true;
        if (!(await answerInput(t, ask, tool.name, taskId, got, answered))) return false;
      }
    }
    return true;
  };
  if (!(await pollUnderListen(t, taskId, terminal === undefined, poll, state.schema))) return;
  if (terminal === undefined) {
    t.rec.skip('tasks.terminal-final', `${tool.name}'s task ${taskId} did not end within ${t.timeoutMs} ms (${seen.join(' -> ')})`, 'modern');
    return;
  }
  const again = await ask('tasks/get', { taskId }, { 'mcp-name': taskId });
  if (again.result && snapshot(again.result) !== snapshot(terminal.task)) {
    t.rec.fail('tasks.terminal-final', `${tool.name}'s task ${taskId} was ${String(terminal.task.status)}, then ${String(again.result.status)}${again.result.status === terminal.task.status ? ' with another result' : ''} (${[...seen, String(again.result.status)].join(' -> ')})`, `${terminal.exchange}\n${again.exchange}`, 'modern');
    return;
  }
  // ext-tasks: task cancellation is cooperative; a task that already ended keeps its terminal status.
  const cancel = await ask('tasks/cancel', { taskId }, { 'mcp-name': taskId });
  const after = await ask('tasks/get', { taskId }, { 'mcp-name': taskId });
  const how = cancel.result ? 'acknowledged' : `refused (${String(cancel.error?.code ?? 'no answer')})`;
  if (after.result && snapshot(after.result) !== snapshot(terminal.task)) {
    t.rec.fail('tasks.terminal-final', `${tool.name}'s task ${taskId} was ${String(terminal.task.status)}; tasks/cancel was ${how}, then tasks/get read ${String(after.result.status)}${after.result.status === terminal.task.status ? ' with another result' : ''}: a terminal status is final`, `${terminal.exchange}\n${cancel.exchange}\n${after.exchange}`, 'modern');
  } else t.rec.pass('tasks.terminal-final', `${tool.name}'s task stayed ${String(terminal.task.status)} (${seen.join(' -> ')}), also after a tasks/cancel (${how})`, 'modern');
}

/**
 * Run `poll` (the task's polls to its end; false when the task cannot go on) while two listens
 * are open, when the target can listen and the task has not ended: one naming no task, one
 * naming this task (`taskIds`). Every status change the polls cause is then one a server that
 * fans task pushes out to every stream would send on the first: a `notifications/tasks` there
 * fails `modern.listen-filter` (2026-07-28 schema SubscriptionFilter: "MUST NOT send
 * notification types the client has not explicitly requested"; ext-tasks: a listen asks for
 * the tasks it names in `taskIds`), as does a push of another task on the second. The pushes
 * the second carries (ext-tasks: the server MAY push them) are held to `TaskStatusNotification`'s
 * params under `tasks.schema`.
 */
async function pollUnderListen(t: TaskTarget, taskId: string, running: boolean, poll: () => Promise<boolean>, schema: TaskSchemaWatch): Promise<boolean> {
  if (t.listen === undefined || !running || !(t.rec.wants('modern.listen-filter') || t.rec.wants('tasks.schema'))) return poll();
  const listen = t.listen;
  let polled: Promise<boolean> | undefined;
  let named: Awaited<ReturnType<typeof listen>>;
  const heard = await listen(UNNAMED_TASK_FILTER, async () => {
    named = await listen({ taskIds: [taskId] }, async () => { await (polled = poll()); });
  });
  const going = await (polled ?? poll()); // refused listens: polled all the same
  if (heard !== undefined) {
    const pushes = heard.messages.filter((m) => m.method === 'notifications/tasks');
    const ids = [...new Set(pushes.map((m) => (isObj(m.params) ? String(m.params.taskId) : '?')))];
    if (pushes.length > 0) t.rec.fail('modern.listen-filter', `a listen asking ${JSON.stringify(UNNAMED_TASK_FILTER)} (no taskIds), open while task ${taskId} was polled, carried ${pushes.length} notifications/tasks (of ${ids.join(', ')})`, heard.exchange, 'modern');
    else t.rec.pass('modern.listen-filter', `a listen asking ${JSON.stringify(UNNAMED_TASK_FILTER)} (no taskIds), open while task ${taskId} was polled to its end, carried no notifications/tasks`, 'modern');
  }
  if (named !== undefined) judgeNamedListen(t, taskId, named, schema);
  return going;
}

/** The pushes on the listen naming `taskId`: only that task's, each a TaskStatusNotification. */
function judgeNamedListen(t: TaskTarget, taskId: string, named: { messages: readonly Obj[]; exchange: string }, schema: TaskSchemaWatch): void {
  const pushes = named.messages.filter((m) => m.method === 'notifications/tasks');
  const foreign = [...new Set(pushes.map((m) => (isObj(m.params) ? String(m.params.taskId) : '?')).filter((id) => id !== taskId))];
  if (foreign.length > 0) t.rec.fail('modern.listen-filter', `a listen asking {"taskIds":[${JSON.stringify(taskId)}]} carried notifications/tasks of ${foreign.join(', ')}, which it did not name`, named.exchange, 'modern');
  for (const push of pushes) {
    const status = isObj(push.params) ? push.params.status : undefined;
    // The params are the status union: held as such, the branch of the push's own status names the defect.
    schema.hold('TaskStatusNotificationParams', push.params, `the params of a notifications/tasks push (status ${JSON.stringify(status)}) on the listen naming task ${taskId}`, named.exchange);
  }
}

/** A schema-valid answer to one input request (2026-07-28 basic/patterns/mrtr), as the driven client gives. */
function inputAnswer(request: Obj): Obj {
  const params = isObj(request.params) ? request.params : {};
  if (request.method === 'elicitation/create') return params.mode === 'url' ? { action: 'decline' } : { action: 'accept', content: validArguments(params.requestedSchema) };
  if (request.method === 'sampling/createMessage') return { role: 'assistant', content: { type: 'text', text: 'mcpwire check' }, model: 'mcpwire-check' };
  return { roots: [{ uri: 'file:///mcpwire-check-root', name: 'check' }] };
}

/**
 * An `input_required` task (ext-tasks: task update requests): `tasks/get` "MUST return ... an
 * inputRequests field" holding every outstanding request, and a `tasks/update` answering them
 * "MUST" be acknowledged with an empty result. Keys already answered are not answered again (the
 * extension makes the update eventually consistent). False when the task cannot go on.
 */
async function answerInput(t: TaskTarget, ask: TaskAsk, tool: string, taskId: string, got: { result: Obj | undefined; exchange: string }, answered: Set<string>): Promise<boolean> {
  const requests = got.result?.inputRequests;
  if (!isObj(requests) || Object.keys(requests).length === 0) {
    t.rec.fail('tasks.input-required', `${tool}'s task ${taskId} is input_required but its tasks/get lists no inputRequests`, got.exchange, 'modern');
    return false;
  }
  const fresh = Object.entries(requests).filter(([key, r]) => !answered.has(key) && isObj(r));
  if (fresh.length === 0) return true; // answered already; the update is eventually consistent
  const inputResponses = Object.fromEntries(fresh.map(([key, r]) => [key, inputAnswer(r as Obj)]));
  for (const [key] of fresh) answered.add(key);
  const update = await ask('tasks/update', { taskId, inputResponses }, { 'mcp-name': taskId });
  const extra = update.result ? Object.keys(update.result).filter((k) => k !== 'resultType' && k !== '_meta') : [];
  if (!update.result || extra.length > 0) {
    t.rec.fail('tasks.input-required', `${tool}'s task ${taskId}: tasks/update answering ${fresh.map(([k]) => k).join(', ')} got ${update.result ? `a result with ${extra.join(', ')}` : `error ${String(update.error?.code ?? 'none')}`}, not an empty acknowledgement`, update.exchange, 'modern');
    return false;
  }
  t.rec.pass('tasks.input-required', `${tool}'s task asked for ${fresh.map(([, r]) => String((r as Obj).method)).join(', ')}; tasks/update was acknowledged`, 'modern');
  return true;
}

/** The ext-tasks definition of an answer to `method` (undefined: not a task message). */
function answerDefinition(method: string, result: Obj | undefined): string | undefined {
  if (result === undefined) return undefined;
  if (method === 'tools/call') return result.resultType === 'task' ? 'CreateTaskResult' : undefined;
  // An input_required task without its inputRequests is tasks.input-required's to report, not twice.
  if (method === 'tasks/get' && result.status === 'input_required' && !isObj(result.inputRequests)) return undefined;
  return ({ 'tasks/get': 'GetTaskResult', 'tasks/update': 'UpdateTaskResult', 'tasks/cancel': 'CancelTaskResult' } as Record<string, string>)[method];
}

/**
 * The tasks extension's probes; `tools` is the server's tool list (for a call that may become a
 * task). Every task answer they get is held to the ext-tasks schema (`tasks.schema`).
 */
export async function checkTasks(t: TaskTarget, ask: TaskAsk, tools: readonly Tool[], allowDestructive: boolean): Promise<void> {
  const schema = createTaskSchemaWatch(t.rec, 'tasks.schema');
  const held: TaskAsk = async (method, params, headers) => {
    const got = await ask(method, params, headers);
    const def = answerDefinition(method, got.result);
    if (def !== undefined) schema.hold(def, got.result, `the ${method} result`, got.exchange);
    return got;
  };
  await checkUnknownTask(t, held);
  await checkTerminalFinal(t, held, tools, allowDestructive, schema);
  schema.finish();
}
