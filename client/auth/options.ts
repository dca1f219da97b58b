/**
 * The options of {@link createOAuthClient} (oauth-client.ts), and what the client it makes tells.
 */
import type { AuthFetch } from './discovery.ts';
import type * as oauth from 'oauth4webapi';
import type { AuthStore } from './store.ts';
import type { HttpClientAuth } from '../../transport/http/client-auth.ts';

/** A key pair for DPoP proofs, as oauth4webapi takes it. */
export type DpopKeyPair = Parameters<typeof oauth.DPoP>[1];

/** What the `authorize` callback is given: the URL to open, and where the answer comes back. */
export interface AuthorizeRequest {
  /** The authorization request to open in a browser (or to follow). */
  url: URL;
  /** The redirect URI the authorization server will send the user back to. */
  redirectUri: string;
  /**
   * The issuer whose answer is awaited, and whether it promised an `iss` in it (RFC 9207 §2.3):
   * an answer whose `iss` does not match must not be acted on or shown, error or not
   * (2026-07-28 basic/authorization); the client checks it, a page shown before must too.
   */
  issuer: string;
  /** True when the authorization server advertises `authorization_response_iss_parameter_supported`: an answer without `iss` is refused. */
  issRequired: boolean;
  /** Aborted when the sign-in is abandoned (the client's `signal`): stop waiting, close what was opened. */
  signal: AbortSignal;
}

/** Where tokens taken into use came from (see `onTokens`). */
export type TokenSource = 'store' | 'authorization' | 'refresh';

/** Why a refresh was tried: ahead of use (expiring tokens), or after the resource refused the tokens (401). */
export type RefreshWhy = 'ahead' | 'refused';

/** Credentials registered out of band (2025-11-25 basic/authorization, client registration). */
export interface PreRegisteredClient {
  /** The client id the authorization server gave out of band. */
  clientId: string;
  /** Its secret, for a confidential client (sent as `tokenEndpointAuthMethod` says). */
  clientSecret?: string;
  /** For `private_key_jwt` (RFC 7523): the private key, with the algorithm it signs with. */
  privateKey?: Parameters<typeof oauth.PrivateKeyJwt>[0];
  /** `client_secret_basic` (default with a secret), `client_secret_post`, `none`, `private_key_jwt`. */
  tokenEndpointAuthMethod?: string;
  /** Only for this authorization server; default: any. */
  issuer?: string;
}

/**
 * How tokens are obtained: the authorization code flow with a user (default), or one of the
 * extensions without one.
 */
export type AuthGrant =
  | { type: 'authorization_code' }
  /** OAuth client credentials (extension io.modelcontextprotocol/oauth-client-credentials). */
  | { type: 'client_credentials' }
  /** RFC 7523 JWT-bearer with a platform JWT (workload identity federation, SEP-1933). */
  | { type: 'jwt_bearer'; assertion: () => string | Promise<string> }
  /**
   * Enterprise-managed authorization (SEP-990): the ID token is exchanged at the IdP for an
   * ID-JAG (RFC 8693), then presented as a JWT-bearer grant to the authorization server.
   */
  | { type: 'enterprise'; idToken: string; idpTokenEndpoint: string; idpClientId: string; idpClientSecret?: string };

/** Options of {@link createOAuthClient}. */
export interface OAuthClientOptions {
  /** Default: the authorization code flow, which needs `authorize` and `redirectUri`. */
  grant?: AuthGrant;
  /**
   * Lets the user authorize: open `url`, resolve with the URL the browser was redirected to
   * (with `code`, `state`, maybe `iss`). Needed by the authorization code flow.
   */
  authorize?: (request: AuthorizeRequest) => Promise<string | URL>;
  /**
   * The redirect URI (e.g. a loopback listener's). Needed by the authorization code flow. A
   * function is asked when a sign-in (or a registration) needs one, with the redirect URIs the
   * kept registration at that authorization server names (undefined: none kept), so that a
   * listener can take the same port again where the server pins it; it may return another.
   */
  redirectUri?: string | ((registered: readonly string[] | undefined) => string | Promise<string>);
  /**
   * Ends a sign-in in progress (the `authorize` callback gets it, and its answer is no longer
   * awaited) and refuses new ones, with MCP_ERR_AUTH_INTERACTION: abort it when the user leaves.
   */
  signal?: AbortSignal;
  /** Credentials registered beforehand; preferred over every other way to identify the client. */
  credentials?: PreRegisteredClient;
  /** An https URL of this client's metadata document, used as client id where the server supports it. */
  clientMetadataUrl?: string;
  /** The name sent in dynamic client registration. Default "mcpwire". */
  clientName?: string;
  /** Ask for a refresh token (`offline_access`) when the server lists that scope. Default true. */
  offlineAccess?: boolean;
  /** Bind tokens with DPoP (RFC 9449): true for a fresh ES256 key, or the key pair to use. Default off. */
  dpop?: boolean | DpopKeyPair;
  /** Where registrations and tokens are kept per issuer. Default: memory. */
  store?: AuthStore;
  /** The fetch for metadata, registration and token requests. Default: the global fetch. */
  fetch?: AuthFetch;
  /** Time limit of each request to an authorization endpoint, ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * The most bytes read of a metadata document or of a registration or token reply; a longer
   * one is refused (AuthError) and its connection dropped. Default 262 144 (256 KiB).
   */
  maxReplyBytes?: number;
  /** Authorizations in a row for one resource before giving up (step-up loops). Default 3. */
  maxAuthorizations?: number;
  /** Allow plain http to authorization servers that are not on loopback. Default false. */
  allowInsecureHttp?: boolean;
  /**
   * Told of a refresh that failed (and of a store that cannot be kept, without `context`).
   * `refresh: 'ahead'`: tried ahead of use (the tokens expire soon); they stay in use until the
   * resource refuses them, then the client authorizes again. `'refused'`: after a 401; the
   * client authorizes again now.
   */
  onError?: (error: Error, context?: { refresh: RefreshWhy }) => void;
  /**
   * Told of each token set taken into use, and where it came from: `store` (kept by an earlier
   * run), `authorization` (the user signed in, or a grant ran), `refresh` (a refresh, this
   * process's or another's on the store) (e.g. to show who is signed in, but not on every refresh).
   */
  onTokens?: (info: { issuer: string; resource: string; scope: string | undefined; subject: string | undefined }, context: { source: TokenSource }) => void;
}

/** Who is signed in where. `subject` is read from a JWT access token (opaque ones have none). */
export interface SignedIn {
  /** The authorization server that issued the tokens. */
  issuer: string;
  /** The MCP server (its protected resource identifier) they are for. */
  resource: string;
  /** The scopes granted, space-separated, when known. */
  scope: string | undefined;
  /** The JWT access token's `sub`: who is signed in (undefined for an opaque token). */
  subject: string | undefined;
}

/** An OAuth client for one MCP server: give it as `auth` to `createHttpClientTransport`. */
export interface OAuthClient extends HttpClientAuth {
  /** The issuer and scope of the tokens in use, once there are some. */
  readonly signedIn: SignedIn | undefined;
}
