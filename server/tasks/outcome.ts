/**
 * How a task's run ends, as the change recorded on the task: the rule differs by era.
 * 2025-11-25 basic/utilities/tasks: a tool result with `isError` fails the task (`tasks/result`
 * still returns it). 2026-07-28 tasks extension (SEP-2663): it completes; `failed` is for
 * JSON-RPC errors only.
 */
import type { CallToolResult } from '../../protocol/index.ts';
import { toRpcErrorObject } from '../../protocol/errors.ts';
import type { TaskChange } from '../../transport/task-store/types.ts';

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
