/**
 * The GET that (re)opens an SSE stream of the HTTP client transport (2025-11-25
 * basic/transports: resumability, and the standalone stream): what its reply says about the
 * stream, for the stream's reconnect loop (client-streams.ts) to act on.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { asError } from '../../protocol/errors.ts';
import type { ClientReply, Exchange } from './client-exchange.ts';
import { httpErrorFrom, isRetryableStatus, mediaTypeOf } from './client-response.ts';
import type { StreamConnection } from './client-stream-types.ts';

/** A connection to read, or why there is none: try again later, never (405), or a fault. */
export type Opened = StreamConnection | { error: Error; outcome: 'unsupported' | 'retry' | 'fatal' };

/** Wait for the head of the GET `exchange` that (re)opens `what` (a stream, as errors name it). */
export async function openStreamGet(exchange: Exchange, what: string): Promise<Opened> {
  let reply: ClientReply;
  try {
    reply = await exchange.head;
  } catch (error) {
    return { outcome: 'retry', error: new McpError(LocalErrorCode.Http, `GET to resume ${what} failed: ${asError(error).message}`, { cause: error }) };
  }
  const ok = reply.status >= 200 && reply.status < 300;
  if (ok && mediaTypeOf(reply) === 'text/event-stream') return { exchange, reply };
  if (ok) {
    exchange.abort(new McpError(LocalErrorCode.Protocol, 'not an event stream'));
    return { outcome: 'fatal', error: new McpError(LocalErrorCode.Protocol, `GET for ${what} answered ${mediaTypeOf(reply) || 'no content type'}, not text/event-stream`) };
  }
  const error = await httpErrorFrom(reply, `GET for ${what}`);
  // 2025-11-25 basic/transports: 405 means the server offers no GET stream.
  if (reply.status === 405) return { outcome: 'unsupported', error };
  return { outcome: isRetryableStatus(reply.status) ? 'retry' : 'fatal', error };
}
