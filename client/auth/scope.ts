/**
 * Which scopes an authorization asks for, and whether what was granted is enough
 * (2025-11-25 and 2026-07-28 basic/authorization, "Scope Selection Strategy" and "Step-Up
 * Authorization Flow"; RFC 6749 §3.3).
 */
import { AuthError, AuthErrorCode } from './errors.ts';
import { scopesOf } from './challenge.ts';

/** What the choice of scopes goes on. */
export interface ScopeInput {
  /** The status that led to the authorization: 401, or 403 `insufficient_scope` (a step-up). */
  status: number;
  /** The challenge's `scope`. */
  challenged: string[];
  /** The protected resource's `scopes_supported`. */
  supported: string[] | undefined;
  /** The scopes of the tokens in use (maybe from the store, asked for by an earlier run). */
  granted: string[];
  /** Add `offline_access` (the authorization server lists it, the grant has a user, the option is on). */
  offline: boolean;
}

/**
 * The challenge's scope, else the resource's scopes_supported, else none; a step-up asks for
 * the union with what was asked or granted before (SEP-2350; 2026-07-28: "alongside any
 * previously granted scopes"); `offline_access` only when `offline`. `requested` (what was
 * asked before, in this process) is updated. Resolves the `scope` parameter, if any.
 */
export function chooseScope(requested: Set<string>, input: ScopeInput): string | undefined {
  const { status, challenged } = input;
  const chosen = challenged.length > 0 ? challenged : (status === 403 ? [] : input.supported ?? []);
  if (status !== 403) requested.clear();
  for (const s of status === 403 ? [...input.granted, ...chosen] : chosen) requested.add(s);
  const scopes = [...requested];
  if (scopes.length > 0 && input.offline && !scopes.includes('offline_access')) scopes.push('offline_access');
  return scopes.length > 0 ? scopes.join(' ') : undefined;
}

/**
 * Fail when the authorization server granted less than `asked` (RFC 6749 §3.3 lets it: the
 * user unticked a scope): asking again would get the same. A reply without `scope` granted
 * what was asked (RFC 6749 §5.1).
 */
export function checkGranted(issuer: string, url: string, asked: string | undefined, granted: string | undefined): void {
  if (granted === undefined) return;
  const needed = scopesOf(asked).filter((s) => s !== 'offline_access');
  const withheld = needed.filter((s) => !scopesOf(granted).includes(s));
  if (withheld.length === 0) return;
  throw new AuthError(AuthErrorCode.StepUp,
    `${issuer} granted "${granted}" where ${url} needs "${needed.join(' ')}" (${withheld.join(' ')} not granted); signing in again would get the same`);
}
