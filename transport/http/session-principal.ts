/**
 * A 2025-era session bound to the principal that opened it (2025-11-25
 * basic/security_best_practices, session hijacking: bind the session id to user-specific
 * information, and never treat a session id as authentication). The binding is a plain JSON
 * field of the session record, so any session store keeps it across restarts.
 */
import type { AuthInfo } from '../../protocol/index.ts';
import { isObject } from '../../protocol/jsonrpc.ts';

/** Who a session belongs to: the issuer and subject of the credentials that opened it. */
export interface SessionPrincipal {
  issuer?: string;
  subject?: string;
}

/** The principal `auth` names; undefined for an unauthenticated request. */
export function principalOf(auth: AuthInfo | undefined): SessionPrincipal | undefined {
  if (!auth || (auth.subject === undefined && auth.issuer === undefined)) return undefined;
  const principal: SessionPrincipal = {};
  if (auth.issuer !== undefined) principal.issuer = auth.issuer;
  if (auth.subject !== undefined) principal.subject = auth.subject;
  return principal;
}

/**
 * True when a request made with `auth` may use a session bound to `bound`: the same issuer
 * and subject, or neither side authenticated.
 */
export function mayUseSession(bound: SessionPrincipal | undefined, auth: AuthInfo | undefined): boolean {
  const asking = principalOf(auth);
  if (!bound || !asking) return bound === asking;
  return bound.issuer === asking.issuer && bound.subject === asking.subject;
}

/** Read a saved principal; undefined when absent or malformed. */
export function readPrincipal(value: unknown): SessionPrincipal | undefined {
  if (!isObject(value)) return undefined;
  const principal: SessionPrincipal = {};
  if (typeof value.issuer === 'string') principal.issuer = value.issuer;
  if (typeof value.subject === 'string') principal.subject = value.subject;
  return principal.issuer === undefined && principal.subject === undefined ? undefined : principal;
}
