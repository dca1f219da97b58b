/**
 * Who owns a task (2025-11-25 basic/utilities/tasks, security: "when an authorization
 * context is provided, receivers MUST bind tasks to said context"). The rule:
 *
 * 1. an authenticated request: its issuer and subject ({@link subjectPrincipal}: a subject
 *    is unique only within its issuer, OpenID Connect Core §2, and a resource may trust
 *    several authorization servers);
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
import type { AuthInfo } from '../../protocol/index.ts';
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

/**
 * The authenticated principal of `auth`: issuer and subject, as the 2025 session binding
 * compares them (transport/http/session-principal.ts); undefined without a subject. A token
 * without an issuer (a custom verifier's) keeps the plain `subject:` form of earlier versions.
 */
export function subjectPrincipal(auth: AuthInfo): string | undefined {
  if (auth.subject === undefined) return undefined;
  return auth.issuer === undefined ? `subject:${auth.subject}` : `issuer-subject:${JSON.stringify([auth.issuer, auth.subject])}`;
}

/**
 * Both names of an owner across the upgrade to issuer-and-subject owners: `[principal,
 * subject:<sub>]` when `principal` is `issuer`'s subject (TaskOptions.legacyOwnerIssuer),
 * else `[principal]`.
 */
export function ownerNames(principal: string, issuer: string | undefined): string[] {
  if (issuer === undefined || !principal.startsWith('issuer-subject:')) return [principal];
  const [iss, sub] = JSON.parse(principal.slice('issuer-subject:'.length)) as [string, string];
  return iss === issuer ? [principal, `subject:${sub}`] : [principal];
}

/** The owner a stored `owner` stands for now: an earlier-form `subject:<sub>` as `issuer`'s subject, when given. */
export function currentOwner(owner: string, issuer: string | undefined): string {
  return issuer !== undefined && owner.startsWith('subject:') ? subjectPrincipal({ issuer, subject: owner.slice(8) })! : owner;
}

/** The principal `req` acts for; undefined when the request has none (no auth, session or connection). */
export function taskPrincipal(req: ServerRequest): string | undefined {
  const subject = subjectPrincipal(req.auth);
  if (subject !== undefined) return subject;
  if (req.sessionId !== undefined) return `session:${req.sessionId}`;
  if (req.connection) return connectionPrincipal(req.connection);
  return req.protocolVersion >= '2026-07-28' ? ANONYMOUS : undefined;
}
