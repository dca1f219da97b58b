/**
 * Which client identity to present to an authorization server, in the order of 2025-11-25
 * basic/authorization ("Client Registration Approaches"): pre-registered credentials, then a
 * client ID metadata document URL, then dynamic client registration (RFC 7591), else none.
 */
import * as oauth from 'oauth4webapi';
import { AuthError, AuthErrorCode, isStoreError } from './errors.ts';
import type { OAuthClientOptions } from './options.ts';
import type { AuthStore, StoredClient } from './store.ts';
import type { Http } from './token.ts';
import { boundedJson } from '../../protocol/bounded-text.ts';

/** A private key for private_key_jwt, as oauth4webapi takes it. */
export type PrivateKey = Parameters<typeof oauth.PrivateKeyJwt>[0];

/** A client as oauth4webapi takes it, with its token endpoint authentication. */
export interface ClientIdentity {
  client: oauth.Client;
  auth: oauth.ClientAuth;
  /** Where it came from (for messages). */
  source: 'pre-registered' | 'metadata-document' | 'registered';
  /** A dynamic registration's redirect URIs, when the store remembers them. */
  redirectUris?: string[];
}

function authOf(method: string | undefined, secret: string | undefined, key: PrivateKey | undefined): oauth.ClientAuth {
  const chosen = method ?? (key ? 'private_key_jwt' : secret ? 'client_secret_basic' : 'none');
  if (chosen === 'private_key_jwt') {
    if (!key) throw new AuthError(AuthErrorCode.NoClient, 'private_key_jwt needs a private key');
    return oauth.PrivateKeyJwt(key);
  }
  if (chosen === 'none') return oauth.None();
  if (secret === undefined) throw new AuthError(AuthErrorCode.NoClient, `${chosen} needs a client secret`);
  if (chosen === 'client_secret_post') return oauth.ClientSecretPost(secret);
  if (chosen === 'client_secret_basic') return secretBasic(secret);
  throw new AuthError(AuthErrorCode.NoClient, `unsupported token endpoint authentication method ${chosen}`);
}

/**
 * client_secret_basic (RFC 6749 §2.3.1). oauth4webapi's also escapes unreserved characters
 * such as `-`, which servers that skip the decoding step then reject; this one escapes only
 * what URI components must.
 */
function secretBasic(secret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    const pair = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`;
    headers.set('authorization', `Basic ${Buffer.from(pair).toString('base64')}`);
  };
}

/** The identity of a stored registration. */
export function identityOf(stored: StoredClient, source: ClientIdentity['source']): ClientIdentity {
  return {
    client: { client_id: stored.client_id }, auth: authOf(stored.token_endpoint_auth_method, stored.client_secret, undefined), source,
    ...(stored.redirect_uris ? { redirectUris: stored.redirect_uris } : {}),
  };
}

/**
 * Choose (or register) the client identity for `as`; a new registration, for the redirect URI
 * `redirect` gives (asked only then), is saved in `store`. It is made in `serial` (under the
 * issuer's store lock): another client on the store registering at once would find none kept
 * either, and the registration kept last would orphan the other's tokens.
 */
export async function clientFor(
  as: oauth.AuthorizationServer, options: OAuthClientOptions, store: AuthStore, http: Http, redirect: () => Promise<string | undefined>,
  serial: <T>(run: () => Promise<T>) => Promise<T> = (run) => run(),
): Promise<ClientIdentity> {
  const pre = options.credentials;
  if (pre && (pre.issuer === undefined || pre.issuer === as.issuer)) {
    return {
      client: { client_id: pre.clientId },
      auth: authOf(pre.tokenEndpointAuthMethod, pre.clientSecret, pre.privateKey),
      source: 'pre-registered',
    };
  }
  // 2026-07-28 basic/authorization/client-registration, "Authorization Server Binding"
  // (SEP-2352): a registration belongs to its issuer; another server's is never reused.
  // An unreadable store (said when the tokens cannot be saved either) holds nothing for this run.
  const kept = () => store.read(as.issuer).catch((error: unknown) => {
    if (!isStoreError(error)) throw error;
    return undefined;
  });
  const record = await kept();
  if (record?.client) return identityOf(record.client, 'registered');
  if (options.clientMetadataUrl && as.client_id_metadata_document_supported === true) {
    return { client: { client_id: options.clientMetadataUrl }, auth: oauth.None(), source: 'metadata-document' };
  }
  if (typeof as.registration_endpoint === 'string') {
    return serial(async () => {
      const now = await kept(); // registered by another client meanwhile?
      if (now?.client) return identityOf(now.client, 'registered');
      const stored = await register(as, options, http, await redirect());
      // Not kept (a read-only directory): the registration serves this run; the tokens' save says so.
      await store.write({ issuer: as.issuer, tokens: now?.tokens ?? {}, client: stored }).catch((error: unknown) => {
        if (!isStoreError(error)) throw error;
      });
      return identityOf(stored, 'registered');
    });
  }
  throw new AuthError(AuthErrorCode.NoClient,
    `cannot identify this client to ${as.issuer}: it offers neither client ID metadata documents nor dynamic registration; give pre-registered credentials`);
}

async function register(as: oauth.AuthorizationServer, options: OAuthClientOptions, http: Http, redirect: string | undefined): Promise<StoredClient> {
  const metadata: Record<string, oauth.JsonValue> = {
    client_name: options.clientName ?? 'mcpwire',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // 2026-07-28 basic/authorization/client-registration (SEP-837): a client on the user's machine is native.
    application_type: 'native',
  };
  if (redirect) metadata.redirect_uris = [redirect];
  let response: Response;
  try {
    response = await oauth.dynamicClientRegistrationRequest(as, metadata, http.options<'POST', string>());
  } catch (error) {
    if (error instanceof AuthError) throw error; // no answer at all (unreachable): said as such
    throw new AuthError(AuthErrorCode.Registration, `dynamic client registration at ${as.registration_endpoint} failed: ${messageOf(error)}`, { cause: error });
  }
  // RFC 7591 §3.2: read leniently (servers differ in optional fields), but a client_id is a must.
  const body = await boundedJson(response, http.maxReplyBytes).catch(() => undefined) as Record<string, unknown> | undefined;
  if ((response.status !== 201 && response.status !== 200) || typeof body?.client_id !== 'string') {
    const why = typeof body?.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : `HTTP ${response.status}`;
    throw new AuthError(AuthErrorCode.Registration, `dynamic client registration at ${as.registration_endpoint} failed: ${why}`);
  }
  const stored: StoredClient = { client_id: body.client_id };
  if (typeof body.client_secret === 'string') stored.client_secret = body.client_secret;
  if (typeof body.token_endpoint_auth_method === 'string') stored.token_endpoint_auth_method = body.token_endpoint_auth_method;
  // RFC 7591 §3.2.1: the reply holds the registered metadata; the server may have changed it.
  const uris = Array.isArray(body.redirect_uris) && body.redirect_uris.every((u) => typeof u === 'string') ? body.redirect_uris as string[] : redirect && [redirect];
  if (uris) stored.redirect_uris = uris;
  return stored;
}

/** The message of an oauth4webapi (or other) error, with the server's `error` when it gave one. */
export function messageOf(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  if (error instanceof oauth.AuthorizationResponseError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
