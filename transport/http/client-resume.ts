/**
 * Resuming a lost SSE stream of the legacy Streamable HTTP client transport (2025-11-25
 * basic/transports, resumability and redelivery): a GET carrying `Last-Event-ID`, whose SSE
 * reply is handed to a stream of the transport's own that awaits the given requests' responses.
 * client.ts owns the transport's state and hands this the parts of it a resume uses
 * ({@link ResumeDeps}).
 */
import { LocalErrorCode, McpError, type RequestId } from '../../protocol/index.ts';
import { asError } from '../../protocol/errors.ts';
import type { ClientReply, Exchange } from './client-exchange.ts';
import type { ResumeOptions } from './client-options.ts';
import { httpErrorFrom, mediaTypeOf } from './client-response.ts';
import type { EventStreamInit, StreamConnection } from './client-stream-types.ts';
import type { LiveList } from './live-list.ts';

/** The transport's state and actions a resume uses (client.ts implements them). */
export interface ResumeDeps {
  /** Send the GET that resumes after `lastEventId`. */
  get(lastEventId: string): Exchange;
  /** Requests in flight; the GET is in it until its reply is handed to a stream. */
  readonly inflight: LiveList<Exchange>;
  isClosed(): boolean;
  /** Read the resumed SSE reply in a stream of the transport's own. */
  launch(init: EventStreamInit, first: StreamConnection): void;
}

const closedError = (): McpError => new McpError(LocalErrorCode.Closed, 'cannot resume: the HTTP transport is closed');

/**
 * GET the stream again from `lastEventId` and hand its reply to a new stream; rejects when
 * the GET fails, the server refuses it, or answers with anything but an SSE stream.
 */
export async function resumeStream(deps: ResumeDeps, lastEventId: string, resumeOptions: ResumeOptions): Promise<void> {
  const exchange = deps.get(lastEventId);
  const inflight = deps.inflight.add(exchange);
  let handedOver = false;
  try {
    let reply: ClientReply;
    try {
      reply = await exchange.head;
    } catch (error) {
      throw new McpError(deps.isClosed() ? LocalErrorCode.Closed : LocalErrorCode.Http, `GET to resume from event ${JSON.stringify(lastEventId)} failed: ${asError(error).message}`, { cause: error });
    }
    if (reply.status < 200 || reply.status >= 300) throw await httpErrorFrom(reply, `GET to resume from event ${JSON.stringify(lastEventId)}`);
    if (mediaTypeOf(reply) !== 'text/event-stream') {
      const error = new McpError(LocalErrorCode.Protocol, `the server answered a resuming GET with ${JSON.stringify(mediaTypeOf(reply))}, not text/event-stream`);
      exchange.abort(error);
      throw error;
    }
    if (deps.isClosed()) throw closedError();
    const ids = resumeOptions.requestIds ?? [];
    const init: EventStreamInit = { kind: 'resume', awaiting: ids, lastEventId };
    if (ids.length === 1) init.relatedRequestId = ids[0] as RequestId;
    if (resumeOptions.onResumptionToken) init.onResumptionToken = resumeOptions.onResumptionToken;
    handedOver = true;
    deps.inflight.remove(inflight);
    deps.launch(init, { exchange, reply });
  } finally {
    if (!handedOver) deps.inflight.remove(inflight);
  }
}
