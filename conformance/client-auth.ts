/**
 * The authorization side of the official suite's client leg: for each `auth/*` scenario, the
 * OAuth client our conformance client uses, built from the scenario's name and its
 * MCP_CONFORMANCE_CONTEXT. The suite's mock authorization endpoint redirects at once, so
 * "the user" here is a request whose `Location` is read without following it.
 */
import { importPKCS8 } from 'jose';
import { createOAuthClient, type OAuthClientOptions } from 'mcpwire/client';
import type { HttpClientAuth } from 'mcpwire/client';

/** The client id metadata document URL the suite expects in auth/basic-cimd. */
const CIMD_URL = 'https://conformance-test.local/client-metadata.json';
/** Nothing listens here: the mock redirects to it and we read the redirect. */
const REDIRECT_URI = 'http://localhost:3000/callback';
/** Per OAuth request; run-client.ts has the suite kill the client after 90 s, and it runs up to 39 clients at once. */
const TIMEOUT_MS = 60_000;

/** Follow the authorization request to its first redirect and return where it points. */
async function followToRedirect({ url }: { url: URL }): Promise<string> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (!location) throw new Error(`the authorization endpoint answered HTTP ${response.status} without a redirect`);
  return new URL(location, url).href;
}

function text(context: Record<string, unknown>, key: string): string {
  const value = context[key];
  if (typeof value !== 'string') throw new Error(`MCP_CONFORMANCE_CONTEXT lacks ${key}`);
  return value;
}

/** The options of one scenario (undefined: not an auth scenario). */
async function optionsFor(scenario: string, context: Record<string, unknown>): Promise<OAuthClientOptions | undefined> {
  if (!scenario.startsWith('auth/')) return undefined;
  const base: OAuthClientOptions = { authorize: followToRedirect, redirectUri: REDIRECT_URI, clientName: 'mcpwire-conformance-client' };
  switch (scenario) {
    case 'auth/basic-cimd':
      return { ...base, clientMetadataUrl: CIMD_URL };
    case 'auth/pre-registration':
      return { ...base, credentials: { clientId: text(context, 'client_id'), clientSecret: text(context, 'client_secret') } };
    case 'auth/client-credentials-basic':
      return { grant: { type: 'client_credentials' }, credentials: { clientId: text(context, 'client_id'), clientSecret: text(context, 'client_secret') } };
    case 'auth/client-credentials-jwt': {
      const alg = text(context, 'signing_algorithm');
      const privateKey = await importPKCS8(text(context, 'private_key_pem'), alg);
      return { grant: { type: 'client_credentials' }, credentials: { clientId: text(context, 'client_id'), privateKey, tokenEndpointAuthMethod: 'private_key_jwt' } };
    }
    case 'auth/enterprise-managed-authorization':
    case 'auth/cross-app-access-complete-flow': // the same SEP-990 flow, as suite 0.1.16 names it
      return {
        grant: {
          type: 'enterprise', idToken: text(context, 'idp_id_token'),
          idpTokenEndpoint: text(context, 'idp_token_endpoint'), idpClientId: text(context, 'idp_client_id'),
        },
        credentials: { clientId: text(context, 'client_id'), clientSecret: text(context, 'client_secret') },
      };
    case 'auth/wif-jwt-bearer': {
      const jwt = text(context, 'valid_jwt');
      return { grant: { type: 'jwt_bearer', assertion: () => jwt }, credentials: { clientId: text(context, 'client_id'), tokenEndpointAuthMethod: 'none' } };
    }
    case 'auth/dpop':
    case 'auth/dpop-nonce':
      return { ...base, dpop: true };
    default:
      return base;
  }
}

/**
 * The `auth` option for `scenario`, or undefined when it is not an `auth/*` one.
 * `contextJson` is MCP_CONFORMANCE_CONTEXT as given (or undefined).
 */
export async function conformanceAuth(scenario: string, contextJson: string | undefined): Promise<HttpClientAuth | undefined> {
  const context = contextJson ? JSON.parse(contextJson) as Record<string, unknown> : {};
  const options = await optionsFor(scenario, context);
  return options && createOAuthClient({ timeoutMs: TIMEOUT_MS, ...options });
}
