/**
 * The task client's check of a task id it is given (loaded with client/tasks.ts, not in the
 * client's first chunk).
 */

/**
 * `params`, once its `taskId` (when it has one) is a non-empty string: a wrong id is the
 * caller's (a JS caller, or `tasks.start`'s `{ task } | { result }` not narrowed), said here as
 * a TypeError naming it rather than sent and answered as the server's -32602.
 */
export function checkedTaskId<P extends Record<string, unknown>>(what: string, params: P): P {
  const id = params.taskId;
  if (!('taskId' in params) || (typeof id === 'string' && id !== '')) return params;
  throw new TypeError(`client.tasks: ${what} needs a taskId (a non-empty string), got ${JSON.stringify(id) ?? String(id)}`);
}
