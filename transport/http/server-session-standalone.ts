/**
 * A legacy HTTP session's GET and what it sends on no call stream (server-session.ts): the
 * standalone stream opened by a GET, any stream resumed by `Last-Event-ID` (2025-11-25
 * basic/transports: resumability and redelivery), and a message no live call stream carries,
 * which goes on the standalone stream, is kept for a client away, or is refused. Rare paths
 * (a GET per session, a resume, a notification on no call): the session hands its parts over
 * through one object per module ({@link SessionParts}), not one per session or per call.
 */
import { LocalErrorCode, McpError, type JsonRpcMessage, type RequestId } from '../../protocol/index.ts';
import { isRequest } from '../../protocol/jsonrpc.ts';
import { parseEventId, tokenOf } from '../event-store/event-id.ts';
import { sseReply, type ServerReply } from './exchange.ts';
import { errorReply } from './server-guards.ts';
import { replay } from './server-lazy.ts';
import type { InflightLedger } from './server-inflight.ts';
import type { HttpSession } from './server-session.ts';
import type { SessionRoutes } from './server-session-routes.ts';
import { STANDALONE, type HttpSessionShared } from './server-session-shared.ts';
import type { ServerStream } from './server-stream.ts';
import type { StandaloneKeeper } from './server-task-repeats.ts';
import type { SseConnection } from './sse-connection.ts';

/** What these paths read and set of a session's private state (server-session.ts makes it once). */
export interface SessionParts {
  shared(session: HttpSession): HttpSessionShared;
  routes(session: HttpSession): SessionRoutes;
  ledger(session: HttpSession): InflightLedger;
  kept(session: HttpSession): StandaloneKeeper | undefined;
  standalone(session: HttpSession): ServerStream | undefined;
  /** Set the standalone stream (`token`: its resume token, once known). */
  setStandalone(session: HttpSession, stream: ServerStream, token?: string): void;
  /** The standalone stream's token once it is open. */
  standaloneToken(session: HttpSession): string | undefined;
  setStandaloneToken(session: HttpSession, token: string): void;
  newStream(session: HttpSession, streamId: string, kind: 'post' | 'standalone'): ServerStream;
  newConnection(session: HttpSession): SseConnection;
  /** Hand an inbound message (a recorded answer) to the MCP session. */
  onMessage(session: HttpSession, message: unknown): void;
}

/** GET: the standalone stream, or the resumption of any stream with `Last-Event-ID`. */
export async function sessionGet(session: HttpSession, parts: SessionParts, lastEventId: string | undefined): Promise<ServerReply> {
  const shared = parts.shared(session);
  if (lastEventId === undefined) {
    let standalone = parts.standalone(session);
    if (standalone?.connected) return errorReply(409, 'Conflict: this session already has a standalone SSE stream open');
    if (!standalone) parts.setStandalone(session, standalone = parts.newStream(session, STANDALONE, 'standalone'));
    const conn = parts.newConnection(session);
    await standalone.attach(conn);
    void standalone.open().then((startId) => parts.setStandaloneToken(session, tokenOf(startId)));
    return sseReply(conn);
  }
  const parsed = parseEventId(lastEventId);
  if (!parsed) return errorReply(400, 'Bad Request: malformed Last-Event-ID');
  const { resumeStream } = replay.loaded ?? await replay.load();
  const conn = parts.newConnection(session);
  if (!streamOf(session, parts, parsed.token)) await shared.adoptInterrupted?.(session);
  const live = streamOf(session, parts, parsed.token) ?? await parts.kept(session)?.resumed(parsed.token, (s, token) => adopt(session, parts, s, token));
  return resumeStream(lastEventId, conn, live, {
    store: shared.store, sessionId: session.id, ended: () => session.closed,
    onQuiet: () => shared.adoptInterrupted?.(session),
    onError: (e) => shared.settings.onError(e),
  });
}

/** The live stream a client resumes with token `token`, if any. */
function streamOf(session: HttpSession, parts: SessionParts, token: string): ServerStream | undefined {
  return token === parts.standaloneToken(session) ? parts.standalone(session) : parts.routes(session).resumable(token);
}

/** The client is back on its standalone stream, kept or resumed from the store (server-task-repeats.ts). */
function adopt(session: HttpSession, parts: SessionParts, stream: ServerStream, token: string): ServerStream {
  const standalone = parts.standalone(session);
  if (standalone) return standalone;
  parts.setStandalone(session, stream, token);
  return stream;
}

/**
 * A message no live call stream carries without more ado: a question recorded first (restart
 * recovery), or one with no live call stream, which goes on the standalone stream, is kept
 * for a client away, or (a request) is refused.
 */
export async function routeElsewhere(session: HttpSession, parts: SessionParts, message: JsonRpcMessage, call: RequestId | undefined): Promise<void> {
  const budget = parts.shared(session).budget;
  const related = call === undefined ? undefined : parts.routes(session).carrier(call);
  // Never fall back to the GET stream while the request's own stream is alive.
  if (related && !related.finished) {
    if (!isRequest(message)) return related.write(message);
    // Refused (a full disk), never sent: its pending slot is given back (held until the session ended).
    return parts.ledger(session).ask(related, call!, message, (answer) => parts.onMessage(session, answer))
      .catch((e: unknown) => { budget?.inbound(session.id, { id: message.id }); throw e; });
  }
  const kept = parts.kept(session);
  if (kept?.repeated(message)) return;
  const standalone = parts.standalone(session);
  if (standalone) return standalone.write(message);
  if (kept?.keeps(message)) return kept.keep(message, () => parts.standalone(session));
  if (isRequest(message)) {
    budget?.inbound(session.id, { id: message.id }); // never sent: its slot is given back
    throw new McpError(LocalErrorCode.NotConnected, `cannot send ${message.method}: the client has no standalone GET stream open`);
  }
  // An unrelated notification with no stream to carry it: nobody is listening.
}
