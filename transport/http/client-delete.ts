/**
 * The DELETE that ends the session of an HTTP client transport (2025-11-25 basic/transports,
 * session management: a client leaving a session SHOULD send it; the server MAY refuse with 405).
 */
import { LocalErrorCode, McpError, type Timers } from '../../protocol/index.ts';
import { asError } from '../../protocol/errors.ts';
import type { Exchanger, ClientReply } from './client-exchange.ts';
import { httpErrorFrom } from './client-response.ts';

/**
 * Send DELETE with `headers` (which name the session), aborted after `timeoutMs` when given.
 * Resolves true when the session is gone (also on 404: the server forgot it already), false
 * when the server refuses (405); rejects with the failure otherwise.
 */
export async function sendSessionDelete(
  exchanger: Exchanger,
  headers: Record<string, string>,
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>,
  timeoutMs: number | undefined,
): Promise<boolean> {
  const exchange = exchanger.send({ method: 'DELETE', headers });
  const timer = timeoutMs === undefined ? undefined
    : timers.setTimeout(() => exchange.abort(new McpError(LocalErrorCode.Timeout, `DELETE took longer than ${timeoutMs} ms`)), timeoutMs);
  let reply: ClientReply;
  try {
    reply = await exchange.head;
  } catch (error) {
    throw new McpError(LocalErrorCode.Http, `DELETE of the session failed: ${asError(error).message}`, { cause: error });
  } finally {
    if (timer !== undefined) timers.clearTimeout(timer);
  }
  // 2025-11-25 basic/transports: the server MAY refuse client termination with 405.
  const done = new McpError(LocalErrorCode.Closed, 'the body of a DELETE reply is not read');
  if (reply.status === 405) {
    exchange.abort(done);
    return false;
  }
  if ((reply.status < 200 || reply.status >= 300) && reply.status !== 404) throw await httpErrorFrom(reply, 'DELETE of the session');
  exchange.abort(done);
  return true;
}
