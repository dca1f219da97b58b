/**
 * Who owns a task (2025-11-25 basic/utilities/tasks, security: "when an authorization
 * context is provided, receivers MUST bind tasks to said context"). The rule:
 *
 * 1. an authenticated request: its subject (`req.auth.subject`; empty until OAuth lands);
 * 2. otherwise the HTTP session (`Mcp-Session-Id`): only requests of that session see the
 *    task, and a session restored after a restart keeps its tasks;
 * 3. otherwise (stdio, in-memory) the connection itself: one client per process;
 * 4. a 2026-07-28 request without authentication has neither session nor connection: its
 *    tasks belong to `anonymous`, and the task id alone (128 random bits) is the bearer
 *    secret (SEP-2663 security: without an authorization context, ids MUST be unguessable).
 *
 * Unauthenticated, anyone holding the session id holds its tasks: the session id is a
 * bearer secret, as it already is for the session's streams. Task ids are unguessable
 * (task-id.ts) on top of that.
 */
import type { ServerConnection } from '../connection-types.ts';
import type { ServerRequest } from '../request.ts';

/** The owner of unauthenticated 2026-07-28 tasks. */
export const ANONYMOUS = 'anonymous';

/** Random keys of connections that have no session id (stdio, memory). */
const connectionKeys = new WeakMap<ServerConnection, string>();

/** The principal of a 2025-era connection's requests, as {@link taskPrincipal} names it. */
export function connectionPrincipal(conn: ServerConnection): string {
  if (conn.sessionId !== undefined) return `session:${conn.sessionId}`;
  let key = connectionKeys.get(conn);
  if (key === undefined) {
    key = `connection:${crypto.randomUUID()}`;
    connectionKeys.set(conn, key);
  }
  return key;
}

/** The principal `req` acts for; undefined when the request has none (no auth, session or connection). */
export function taskPrincipal(req: ServerRequest): string | undefined {
  if (req.auth.subject !== undefined) return `subject:${req.auth.subject}`;
  if (req.sessionId !== undefined) return `session:${req.sessionId}`;
  if (req.connection) return connectionPrincipal(req.connection);
  return req.protocolVersion >= '2026-07-28' ? ANONYMOUS : undefined;
}
