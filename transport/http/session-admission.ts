/**
 * Whether a request naming a 2025-era session may use it: the session's owner
 * (basic/security_best_practices, session hijacking) and the protocol version header
 * (2025-06-18 basic/transports). Answers the 404 or 400 a refused request gets.
 */
import { ErrorCode, isSupportedVersion } from '../../protocol/index.ts';
import type { InboundRequest, ServerReply } from './exchange.ts';
import { errorReply } from './server-guards.ts';
import type { HttpSession } from './server-session.ts';
import { mayUseSession } from './session-principal.ts';

/** 404 for a session id this server does not know, or no longer (2025-11-25 basic/transports: session management). */
export function unknownSession(): ServerReply {
  return errorReply(404, 'Not Found: unknown or expired session; initialize a new one', ErrorCode.InvalidRequest);
}

/** `session` when `request` may use it at its version, else the 404 or 400 to answer. */
export function usableSession(request: InboundRequest, session: HttpSession | undefined, now: number): HttpSession | ServerReply {
  // 2025-11-25 basic/security_best_practices (session hijacking): a session is bound to the
  // principal that opened it. Another principal gets the same 404 as an unknown id, so a
  // stolen or guessed id tells its holder nothing, and its client starts a session of its own.
  if (!session || session.closed || !mayUseSession(session.principal, request.auth)) return unknownSession();
  // 2025-06-18 basic/transports: the negotiated version travels in a header on every request.
  const version = request.header('mcp-protocol-version');
  if (version !== null && !isSupportedVersion(version)) {
    return errorReply(400, `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version)}`);
  }
  // 2025-06-18 basic/transports: the header carries the version negotiated at initialization.
  if (version !== null && session.protocolVersion !== undefined && version !== session.protocolVersion) {
    return errorReply(400, `Bad Request: MCP-Protocol-Version ${JSON.stringify(version)} differs from the negotiated ${session.protocolVersion}`);
  }
  // Required on POSTs, whose messages depend on the version. A GET or DELETE without it is
  // served at the session's negotiated version: a client resuming in a new process (the
  // SDK's resumption-token path) may not know it, and the spec lets the server rely on the
  // version negotiated at initialization.
  if (version === null && request.method === 'POST' && session.protocolVersion !== undefined && session.protocolVersion >= '2025-06-18') {
    return errorReply(400, 'Bad Request: the MCP-Protocol-Version header is required');
  }
  session.lastUsed = now;
  return session;
}
