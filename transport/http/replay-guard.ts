/**
 * After a restart, a re-run request may reproduce what its stream already carried
 * (server-recovery.ts): the guard holds that history and says which of the re-run's messages
 * are its next expected copy, so they are not stored or sent twice (2025-11-25
 * basic/transports, resumability: each event once). Once the re-run diverges, everything after
 * is new.
 */
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { isRequest } from '../../protocol/jsonrpc.ts';

export class ReplayGuard {
  readonly #stored: string[];
  #next = 0;

  constructor(stored: JsonRpcMessage[]) {
    this.#stored = stored.map(replayKey);
  }

  /** True when `message` is the history's next message; false when it is not (the caller then drops the guard). */
  matches(message: JsonRpcMessage): boolean {
    if (this.#next >= this.#stored.length || this.#stored[this.#next] !== replayKey(message)) return false;
    this.#next++;
    return true;
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
