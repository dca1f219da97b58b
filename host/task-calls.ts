/**
 * The host's calls that run as tasks (issue #15 item 6): a tool the server lets run as a task
 * is started as one (2025-11-25 basic/utilities/tasks: `tools/call` with `task`; 2026-07-28
 * tasks extension: the request declares it, the server decides), its id goes on record at
 * once, and the host follows it with `tasks/get` polls. Its questions are answered with the
 * host's usual forms and model approvals: 2025 on the `tasks/result` side channel, 2026 from
 * `inputRequests` sent back with `tasks/update` (client/tasks.ts). A task outlives the host:
 * the next run polls it, shows it in `status`, and follows it again on `resume`.
 */
import { TASKS_EXTENSION, type EraChoice, type McpClient, type TaskSnapshot } from 'mcpwire/client';
import type { CallToolResult, ProgressCallback, Tool } from 'mcpwire/protocol';
import { failureKind } from './explain.ts';

/** `--tasks`: run tools as tasks when the server and tool allow it, or never. */
export type HostTaskMode = 'auto' | 'off';
export const HOST_TASK_MODES: readonly HostTaskMode[] = ['auto', 'off'];

/**
 * The default of `--tasks`: plain calls. A task shows its progress as a plain call does (2025:
 * notifications for the call's token until the task ends, also from a re-run after a server
 * restart once its session's client is back; 2026: its status messages) and outlives the
 * host; but a host that quits and comes back replays every step it missed of a plain call
 * from the call's stream, exactly once, while a task followed again shows only its status and
 * result. So tasks are opt-in.
 */
export const DEFAULT_HOST_TASKS: HostTaskMode = 'off';

/** `--tasks`, read; throws an Error that names the choices. */
export function parseTaskMode(text: string): HostTaskMode {
  if ((HOST_TASK_MODES as readonly string[]).includes(text)) return text as HostTaskMode;
  throw new Error(`--tasks must be ${HOST_TASK_MODES.join(' or ')}, got "${text}"`);
}

const ERAS: readonly EraChoice[] = ['legacy-first', 'modern', 'legacy', 'auto'];

/** `--era`, read; throws an Error that names the choices. */
export function parseEra(text: string): EraChoice {
  if ((ERAS as readonly string[]).includes(text)) return text as EraChoice;
  throw new Error(`--era must be one of ${ERAS.join(', ')}, got "${text}"`);
}

/** How long a followed task rides out an unreachable server before it is kept on record, ms. */
export const DEFAULT_TASK_UNREACHABLE_MS = 60_000;

/** May `tool` run as a task on this server? Capability first, then the tool's `execution.taskSupport`. */
export function taskable(client: McpClient, tool: Tool | undefined): boolean {
  if ((tool?.execution?.taskSupport ?? 'forbidden') === 'forbidden') return false;
  const caps = client.serverCapabilities as { tasks?: { requests?: { tools?: { call?: unknown } } }; extensions?: Record<string, unknown> } | undefined;
  // 2026-07-28: the extension in capabilities.extensions; 2025-11-25: tasks.requests.tools.call.
  return client.era === 'modern' ? caps?.extensions?.[TASKS_EXTENSION] !== undefined : caps?.tasks?.requests?.tools?.call !== undefined;
}

/** What the host hears of a task while it follows it. */
export interface TaskHooks {
  /** Aborted when the person cancels: the server is sent `tasks/cancel`. */
  signal: AbortSignal;
  /**
   * Aborted when the host stops following (it leaves): the requests in flight are cancelled
   * (notifications/cancelled), so a restarted server does not re-run a `tasks/result` of a
   * host that is gone and send the task's next question there; the task goes on.
   */
  stop?: AbortSignal;
  /** Each request's bound (tasks/result in 2025 blocks until the task ends or asks). */
  timeoutMs: number;
  /** Unreachable-server time ridden out before giving up. Default {@link DEFAULT_TASK_UNREACHABLE_MS}. */
  unreachableMs?: number;
  /** The task exists: put it on record. */
  onTask?(task: TaskSnapshot): void;
  onStatus(task: TaskSnapshot): void;
  /**
   * The task's progress, as a plain call's: 2025 notifications for the call's token until
   * the task ends, 2026 its status messages (client/tasks.ts `onProgress`).
   */
  onProgress?: ProgressCallback;
}

/** Start `tool` as a task and follow it to its result; a server that answered at once gives the result as is. */
export async function callAsTask(client: McpClient, tool: string, args: Record<string, unknown>, hooks: TaskHooks): Promise<CallToolResult> {
  const started = await client.tasks.start(tool, args, { task: true, signal: hooks.signal, timeoutMs: hooks.timeoutMs, ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}) });
  if ('result' in started) return started.result;
  hooks.onTask?.(started.task);
  hooks.onStatus(started.task);
  return followTask(client, started.task.taskId, hooks);
}

/**
 * Follow a task to its result, answering its questions; a cancel sends `tasks/cancel`. While
 * the server is unreachable the polls go on (with a pause) for `unreachableMs`.
 */
export async function followTask(client: McpClient, taskId: string, hooks: TaskHooks): Promise<CallToolResult> {
  const limit = Date.now() + (hooks.unreachableMs ?? DEFAULT_TASK_UNREACHABLE_MS);
  const signal = hooks.stop ? AbortSignal.any([hooks.signal, hooks.stop]) : hooks.signal;
  for (;;) {
    try {
      // The client rides out an unreachable server too: within what is left of this bound.
      const unreachableMs = Math.max(0, limit - Date.now());
      return await client.tasks.wait(taskId, { signal, timeoutMs: hooks.timeoutMs, unreachableMs, onStatus: hooks.onStatus, ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}) });
    } catch (error) {
      if (hooks.signal.aborted) {
        await cancelTask(client, taskId);
        throw error;
      }
      if (signal.aborted || failureKind(error) !== 'unreachable' || Date.now() >= limit) throw error;
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, 1_000); hooks.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true }); });
    }
  }
}

/** `tasks/cancel`; a task that already ended is not an error here (the status says how it ended). */
export async function cancelTask(client: McpClient, taskId: string): Promise<TaskSnapshot | undefined> {
  try {
    await client.tasks.cancel(taskId);
  } catch (error) {
    if (failureKind(error) !== 'server') throw error;
  }
  return client.tasks.get(taskId).catch(() => undefined);
}

/** What a task waits for, in a few words: its questions (2026) or what the server said (2025). */
export function waitingFor(task: TaskSnapshot): string | undefined {
  if (task.status !== 'input_required') return undefined;
  const asks = Object.values(task.inputRequests ?? {}).map((r) => {
    const message = (r.params as { message?: unknown } | undefined)?.message;
    if (r.method === 'elicitation/create') return typeof message === 'string' ? `your answer to "${firstLine(message)}"` : 'your answer to a form';
    if (r.method === 'sampling/createMessage') return 'your approval of a model request';
    return r.method;
  });
  if (asks.length > 0) return asks.join('; ');
  // 2025: the questions come on tasks/result; the server's status message says which kind.
  return /sampling/.test(task.statusMessage ?? '') ? 'your approval of a model request' : 'your answer to a form';
}

/** A message's first line, at most 80 characters: a status line stays one line. */
function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
