/**
 * Whether a request of `client.tasks.wait()` reached no server that could answer it: a
 * refused or reset connection, as while a server restarts, or a 503 (a server restoring its
 * state answers "starting"; RFC 9110 15.6.4: a temporary condition). Such a `tasks/get` is
 * sent again (tasks.ts `unreachableMs`); any other answer, a timeout or our own abort is not.
 */
import { HttpError } from '../protocol/index.ts';
import { NETWORK_CODES } from '../transport/http/client-answer-retry.ts';

/** True when the chain of `error` (through our own wrappers) holds a network error code or a 503. */
export function reachedNoServer(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    if (e instanceof HttpError && e.status === 503) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
