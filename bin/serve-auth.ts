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
} as const;

export const AUTH_HELP = `
Authorization (HTTP; the server becomes an OAuth protected resource):
  --auth-issuer URL        accept access tokens (JWT) issued by this authorization server;
                           keys come from its metadata's jwks_uri (or --auth-jwks URL)
  --auth-audience URL      this server's resource identifier: tokens must name it in aud
                           (usually the endpoint URL, e.g. https://mcp.example/mcp)
  --auth-scopes LIST       scopes every request needs, comma-separated (403 without them)
  --auth-jwks URL          the issuer's JWKS URL, when its metadata cannot be fetched
`;

const isHttpUrl = (text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);

/** The protected resource the flags ask for; undefined when none is given. */
export function protectedResourceFrom(values: Partial<Record<keyof typeof AUTH_FLAGS, string>>, onError: (message: string) => void): ProtectedResource | undefined {
  const issuer = values['auth-issuer'];
  const audience = values['auth-audience'];
  if (issuer === undefined && audience === undefined) {
    if (values['auth-scopes'] !== undefined || values['auth-jwks'] !== undefined) throw new UsageError('--auth-scopes and --auth-jwks go with --auth-issuer and --auth-audience');
    return undefined;
  }
  if (issuer === undefined || audience === undefined) throw new UsageError('--auth-issuer and --auth-audience go together');
  for (const [flag, value] of [['auth-issuer', issuer], ['auth-audience', audience], ['auth-jwks', values['auth-jwks']]] as const) {
    if (value !== undefined && !isHttpUrl(value)) throw new UsageError(`--${flag} must be an http(s) URL, got "${value}"`);
  }
  const scopes = (values['auth-scopes'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const verifier = createJwtVerifier({ issuer, audience, ...(values['auth-jwks'] !== undefined ? { jwksUrl: values['auth-jwks'] } : {}) });
  return createProtectedResource({
    resource: audience, authorizationServers: [issuer], verifier, requiredScopes: scopes,
    onRejected: (e) => onError(`refused a token (${e.reason}): ${e.message}`),
    onError: (e) => onError(e.message),
  });
}
