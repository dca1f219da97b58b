/**
 * After a restart, a task the server runs again (server/tasks: the re-run of a 2025-11-25
 * task) repeats, word for word, some of what its first run reported: a handler that replays
 * its finished steps sends their progress and logs again. Those messages carry the task's
 * `related-task` `_meta` (2025-11-25 basic/utilities/tasks), so a message with it that is
 * already in the stream's history is not stored a second time, and the client resuming
 * the stream sees each once (basic/utilities/progress: progress MUST increase).
 */
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { isObject } from '../../protocol/jsonrpc.ts';
import type { EventStore } from '../event-store/index.ts';

/** The `_meta` key that ties a message to its task. */
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

function taskTagged(message: JsonRpcMessage): boolean {
  const params = (message as { params?: unknown }).params;
  return isObject(params) && isObject(params._meta) && RELATED_TASK in params._meta;
}

/** The task messages of one stream's history, each matched at most once by a repeat. */
export class TaskRepeats {
  readonly #stored = new Map<string, number>();

  /** The task messages stored on the stream of `token`; a history that cannot be read is reported and guards nothing. */
  static async read(store: EventStore, token: string, sessionId: string, onError: (error: Error) => void): Promise<TaskRepeats> {
    const repeats = new TaskRepeats();
    try {
      await store.replayAfter(`${token}.0`, (_id, m) => repeats.#add(m), sessionId);
    } catch (error) {
      repeats.#stored.clear();
      onError(new Error(`history of the standalone stream of session ${sessionId} could not be read; a re-run task's repeated steps may be stored twice: ${(error as Error).message}`, { cause: error }));
    }
    return repeats;
  }

  /** True when `message` is a task message the history already holds (it is then used up). */
  repeated(message: JsonRpcMessage): boolean {
    if (this.#stored.size === 0 || !taskTagged(message)) return false;
    const key = JSON.stringify(message);
    const left = this.#stored.get(key);
    if (left === undefined) return false;
    if (left === 1) this.#stored.delete(key);
    else this.#stored.set(key, left - 1);
    return true;
  }

  #add(message: JsonRpcMessage): void {
    if (!taskTagged(message)) return;
    const key = JSON.stringify(message);
    this.#stored.set(key, (this.#stored.get(key) ?? 0) + 1);
  }
}
