/**
 * After a restart, a re-run request may reproduce what its stream already carried
 * (server-recovery.ts): the guard holds that history and says which of the re-run's messages
 * are its next expected copy, so they are not stored or sent twice (2025-11-25
 * basic/transports, resumability: each event once). Once the re-run diverges, everything after
 * is new; the guard still knows which questions (requests) the history holds, by id.
 */
import type { JsonRpcMessage, RequestId } from '../../protocol/index.ts';
import { isRequest } from '../../protocol/jsonrpc.ts';

export class ReplayGuard {
  #stored: string[];
  readonly #asked: Set<RequestId>;
  #next = 0;

  constructor(stored: JsonRpcMessage[]) {
    this.#stored = stored.map(replayKey);
    this.#asked = new Set(stored.filter(isRequest).map((m) => m.id));
  }

  /** True when `message` is the history's next message; once one is not, none is (the re-run diverged). */
  matches(message: JsonRpcMessage): boolean {
    if (this.#next >= this.#stored.length) return false;
    if (this.#stored[this.#next] !== replayKey(message)) {
      this.#stored = []; // diverged: nothing more is compared, nor kept
      return false;
    }
    this.#next++;
    return true;
  }

  /** True when the history holds a request with id `id` (a question the previous process sent). */
  asked(id: RequestId): boolean {
    return this.#asked.has(id);
  }
}

/**
 * How the guard compares messages: exactly, except that a request's id is left out (a re-run
 * asks the same question under a new id).
 */
function replayKey(message: JsonRpcMessage): string {
  if (isRequest(message)) return JSON.stringify({ method: message.method, params: message.params });
  return JSON.stringify(message);
}
