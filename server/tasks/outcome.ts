/**
 * How a task's run ends, as the change recorded on the task: the rule differs by era.
 * 2025-11-25 basic/utilities/tasks: a tool result with `isError` fails the task (`tasks/result`
 * still returns it). 2026-07-28 tasks extension (SEP-2663): it completes; `failed` is for
 * JSON-RPC errors only.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError, type CallToolResult } from '../../protocol/index.ts';
import { toRpcErrorObject } from '../../protocol/errors.ts';
import type { TaskChange, TaskRecord } from '../../transport/task-store/types.ts';
import { isRecordTooLarge } from '../../transport/task-store/record-size.ts';

/** The change for a tool result of a 2025 (`modern` false) or 2026 task. */
export function resultChange(result: CallToolResult, modern: boolean): TaskChange {
  const outcome = { result: result as unknown as Record<string, unknown> };
  return result.isError && !modern
    ? { status: 'failed', statusMessage: errorText(result), outcome }
    : { status: 'completed', statusMessage: undefined, outcome };
}

/** The change for a handler that threw: the task fails with the error as it goes on the wire. */
export function errorChange(error: unknown): TaskChange {
  const wire = toRpcErrorObject(error);
  return { status: 'failed', statusMessage: wire.message, outcome: { error: wire } };
}

function errorText(result: CallToolResult): string {
  const text = result.content.find((c) => c.type === 'text');
  return text && 'text' in text ? text.text : 'the tool reported an error';
}

/** What {@link storeOutcome} needs from the runtime. */
export interface OutcomeHost {
  change(taskId: string, change: TaskChange): Promise<TaskRecord | undefined>;
  report(error: Error): void;
}

/**
 * Store how a run ended. A write the store refuses (a full disk) leaves the record
 * unfinished: dropping the run then would give its lease up, and the next request about the
 * task would take it over and run the tool again (its first outcome lost). So the run keeps
 * the task and writes again every `retryMs` until it lands, `signal` aborts (cancelled,
 * expired, the server closes). At the first refusal a small change marks the task as ended
 * ({@link TaskRecord.endedAt}; it may fit where the outcome did not): should the process die
 * before the outcome lands, the run that takes the task over fails it rather than run the
 * tool twice. The first refusal is reported, saying whether the mark landed. An outcome
 * too large for the store (`maxRecordBytes`), which no retry changes, fails the task with an
 * error saying so instead.
 */
export async function storeOutcome(host: OutcomeHost, taskId: string, change: TaskChange, retryMs: number, signal: AbortSignal): Promise<void> {
  let shrunk = false;
  for (let reported = false; ; ) {
    try {
      await host.change(taskId, change);
      return;
    } catch (error) {
      // Cancelled meanwhile: 2025-11-25 basic/utilities/tasks, a cancelled task stays cancelled.
      if (error instanceof McpError && error.code === LocalErrorCode.State) return;
      if (isRecordTooLarge(error) && !shrunk) {
        shrunk = true;
        host.report(error as Error);
        change = errorChange(new RpcError(ErrorCode.InternalError, `the task's outcome could not be stored: ${(error as Error).message}`));
        continue;
      }
      if (!reported) {
        reported = true;
        const marked = await host.change(taskId, { endedAt: Date.now() }).then(() => true, () => false);
        const then = marked
          ? 'the task is marked as ended, so should this process stop first it fails rather than runs again'
          : 'nor could the task be marked as ended: should this process stop first, the task runs again after the restart';
        host.report(new Error(`the outcome of task ${taskId} could not be stored; it is kept here and written again until it is (${then}): ${(error as Error).message}`, { cause: error }));
      }
    }
    if (!await pause(retryMs, signal)) return;
  }
}

/** Wait `ms`; false, at once, when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(true); }, ms);
    (timer as { unref?: () => void }).unref?.(); // a retry keeps no process alive on its own
    const onAbort = () => { clearTimeout(timer); resolve(false); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
