/**
 * `mcpwire serve --http --auth-issuer URL --auth-audience URL [--auth-scopes LIST]`: the
 * server as an OAuth protected resource (server/auth), accepting JWT access tokens of one
 * issuer for one audience, DPoP-bound ones included.
 */
import { createJwtVerifier, createProtectedResource, type ProtectedResource } from 'mcpwire/server';
import { UsageError } from './args.ts';

/** The flags, for parseCommandArgs. */
export const AUTH_FLAGS = {
  'auth-issuer': { type: 'string' },
  'auth-audience': { type: 'string' },
  'auth-scopes': { type: 'string' },
  'auth-jwks': { type: 'string' },
  'tasks-legacy-owner-issuer': { type: 'string' },
} as const;

export const AUTH_HELP = `
Authorization (HTTP; the server becomes an OAuth protected resource):
  --auth-issuer URL        accept access tokens (JWT) issued by this authorization server;
                           keys come from its metadata's jwks_uri (or --auth-jwks URL)
  --auth-audience URL      this server's resource identifier: tokens must name it in aud
                           (usually the endpoint URL, e.g. https://mcp.example/mcp)
  --auth-scopes LIST       scopes every request needs, comma-separated (403 without them)
  --auth-jwks URL          the issuer's JWKS URL, when its metadata cannot be fetched
  --tasks-legacy-owner-issuer URL
                           with --agents or --fixtures: the tasks in --state (or Redis) that
                           earlier versions stored under the bare subject (subject:<sub>) were
                           made with tokens of URL, the --auth-issuer, then the only issuer
                           trusted; that subject owns them again (default: nobody does, and
                           they end with their TTL)
`;

const isHttpUrl = (text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);

/** The protected resource the flags ask for; undefined when none is given. */
export function protectedResourceFrom(values: Partial<Record<keyof typeof AUTH_FLAGS, string>>, onError: (message: string) => void): ProtectedResource | undefined {
  const issuer = values['auth-issuer'];
  const audience = values['auth-audience'];
  if (issuer === undefined && audience === undefined) {
    if (values['auth-scopes'] !== undefined || values['auth-jwks'] !== undefined || values['tasks-legacy-owner-issuer'] !== undefined) {
      throw new UsageError('--auth-scopes, --auth-jwks and --tasks-legacy-owner-issuer go with --auth-issuer and --auth-audience');
    }
    return undefined;
  }
  if (issuer === undefined || audience === undefined) throw new UsageError('--auth-issuer and --auth-audience go together');
  for (const [flag, value] of [['auth-issuer', issuer], ['auth-audience', audience], ['auth-jwks', values['auth-jwks']]] as const) {
    if (value !== undefined && !isHttpUrl(value)) throw new UsageError(`--${flag} must be an http(s) URL, got "${value}"`);
  }
  legacyOwnerIssuerFrom(values);
  const scopes = (values['auth-scopes'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const verifier = createJwtVerifier({ issuer, audience, ...(values['auth-jwks'] !== undefined ? { jwksUrl: values['auth-jwks'] } : {}) });
  return createProtectedResource({
    resource: audience, authorizationServers: [issuer], verifier, requiredScopes: scopes,
    onRejected: (e) => onError(`refused a token (${e.reason}): ${e.message}`),
    onError: (e) => onError(e.message),
  });
}

/**
 * `--tasks-legacy-owner-issuer` (TaskOptions.legacyOwnerIssuer), checked: an http(s) URL, and
 * the `--auth-issuer`, since every token this server accepts names that issuer (jose checks
 * `iss` exactly): another value could never match a caller, and would be silently inert.
 */
export function legacyOwnerIssuerFrom(values: Partial<Record<keyof typeof AUTH_FLAGS, string>>): string | undefined {
  const legacy = values['tasks-legacy-owner-issuer'];
  if (legacy === undefined) return undefined;
  if (!isHttpUrl(legacy)) throw new UsageError(`--tasks-legacy-owner-issuer must be an http(s) URL, got "${legacy}"`);
  if (legacy !== values['auth-issuer']) {
    throw new UsageError(`--tasks-legacy-owner-issuer ${legacy} is not the --auth-issuer (${values['auth-issuer']}): this server accepts only that issuer's tokens, so no caller could own those tasks`);
  }
  return legacy;
}
