/**
 * Scope hierarchies at a protected resource. 2026-07-28 basic/authorization, "Step-Up
 * Authorization Flow": servers MUST account for scope hierarchies, where a broader scope
 * implies narrower ones, when deciding whether a token is sufficient. The hierarchy is the
 * server's own (OAuth gives scopes no structure), so it is configured: each broader scope
 * names the narrower ones it implies, and implication is transitive.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

/** Broader scope -> the narrower scopes it implies (e.g. `{ files: ['files:read', 'files:write'] }`). */
export type ScopeHierarchy = Readonly<Record<string, readonly string[]>>;

/** Refuse a hierarchy that is not an object of string arrays (MCP_ERR_VALIDATION). */
export function checkScopeHierarchy(hierarchy: unknown): ScopeHierarchy | undefined {
  if (hierarchy === undefined) return undefined;
  if (typeof hierarchy !== 'object' || hierarchy === null || Array.isArray(hierarchy)) {
    throw new McpError(LocalErrorCode.Validation, 'impliedScopes must be an object mapping a scope to the scopes it implies');
  }
  for (const [scope, implied] of Object.entries(hierarchy)) {
    if (!Array.isArray(implied) || !implied.every((s) => typeof s === 'string')) {
      throw new McpError(LocalErrorCode.Validation, `impliedScopes[${JSON.stringify(scope)}] must be an array of scope names`);
    }
  }
  return hierarchy as ScopeHierarchy;
}

/**
 * The scopes a token holding `scopes` has, with every scope they imply (transitively). Each
 * scope is visited once, so a cycle in the hierarchy ends.
 */
export function effectiveScopes(scopes: readonly string[], hierarchy: ScopeHierarchy | undefined): Set<string> {
  const granted = new Set<string>();
  const todo = [...scopes];
  while (todo.length > 0) {
    const scope = todo.pop()!;
    if (granted.has(scope)) continue;
    granted.add(scope);
    if (hierarchy && Object.hasOwn(hierarchy, scope)) todo.push(...hierarchy[scope]!);
  }
  return granted;
}
