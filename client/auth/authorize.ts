/**
 * The authorization code flow's front channel (OAuth 2.1 §4.1 as 2025-11-25
 * basic/authorization uses it): PKCE S256, `state`, the RFC 8707 `resource`, the chosen
 * scope; then the response's checks, RFC 9207 `iss` included, by oauth4webapi.
 */
import * as oauth from 'oauth4webapi';
import { AuthError, AuthErrorCode } from './errors.ts';
import { messageOf } from './identity.ts';
import type { OAuthClientOptions } from './options.ts';
import { exchangeCode, isLoopbackHttp, type TokenContext } from './token.ts';
import type { StoredTokens } from './store.ts';

/** Run the whole flow: the user authorizes through `options.authorize`, the code is exchanged. */
export async function authorizationCodeFlow(ctx: TokenContext, options: OAuthClientOptions, scope: string | undefined, redirectUri: string | undefined): Promise<StoredTokens> {
  const { as, identity } = ctx;
  // 2025-11-25 basic/authorization, "Authorization Code Protection": PKCE is required, and a
  // server that does not advertise S256 must be refused. A 2025-03-26 server had no such
  // duty (its clients used S256 whatever it said), so only a list without S256 refuses it.
  const methods = as.code_challenge_methods_supported;
  if (methods ? !methods.includes('S256') : !ctx.legacy) {
    throw new AuthError(AuthErrorCode.Pkce, `${as.issuer} does not advertise PKCE with S256 (code_challenge_methods_supported): refused`);
  }
  if (typeof as.authorization_endpoint !== 'string') throw new AuthError(AuthErrorCode.Metadata, `${as.issuer} has no authorization_endpoint`);
  const { authorize } = options;
  if (!authorize || !redirectUri) {
    throw new AuthError(AuthErrorCode.Interaction, `${as.issuer} needs a user to authorize, and no authorize callback / redirectUri was given`);
  }
  // 2026-07-28 basic/authorization/security-considerations, "Communication Security": authorization
  // server endpoints MUST be HTTPS, and redirect URIs localhost or HTTPS. The token endpoint is
  // held to it by oauth4webapi; the user's browser is sent here by us, so we check.
  const insecure = options.allowInsecureHttp === true;
  if (!insecure && !secureOrLoopback(as.authorization_endpoint)) {
    throw new AuthError(AuthErrorCode.Metadata, `${as.issuer} names an authorization_endpoint that is not https: ${as.authorization_endpoint}: refused`);
  }
  if (!insecure && plainHttpElsewhere(redirectUri)) {
    throw new AuthError(AuthErrorCode.Interaction, `the redirectUri ${redirectUri} is plain http to a host other than localhost: refused (use https or a loopback address)`);
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', identity.client.client_id);
  params.set('redirect_uri', redirectUri);
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  params.set('code_challenge_method', 'S256');
  params.set('state', state);
  // RFC 8707: byte for byte as published (a pathless resource keeps no trailing slash).
  params.set('resource', ctx.resource);
  if (scope) params.set('scope', scope);
  if (ctx.dpop) params.set('dpop_jkt', await ctx.dpop.thumbprint());
  const signal = options.signal ?? new AbortController().signal;
  const answer = await untilAborted(signal,
    () => authorize({ url, redirectUri, issuer: as.issuer, issRequired: as.authorization_response_iss_parameter_supported === true, signal }));
  let callback: URL;
  try {
    callback = new URL(String(answer));
  } catch {
    throw new AuthError(AuthErrorCode.Response, `the authorization response is not a URL: ${String(answer)}`);
  }
  let validated: URLSearchParams;
  try {
    // RFC 9207: a present `iss` must equal the issuer exactly; a missing one is refused when
    // the server advertises authorization_response_iss_parameter_supported.
    validated = oauth.validateAuthResponse(as, identity.client, callback, state);
  } catch (error) {
    throw new AuthError(AuthErrorCode.Response, `the authorization response was refused: ${messageOf(error)}`, { cause: error });
  }
  return exchangeCode(ctx, validated, redirectUri, verifier);
}

/** The sign-in was abandoned (the client's `signal`): said as such, whatever the reason given. */
function cancelled(): AuthError {
  return new AuthError(AuthErrorCode.Interaction, 'the sign-in was cancelled');
}

/**
 * `start()`'s result, or a rejection as soon as `signal` aborts: a callback that ignores the
 * signal (a browser that never comes back) holds nobody up.
 */
async function untilAborted<T>(signal: AbortSignal, start: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw cancelled();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const started = start();
  started.catch(() => {}); // its failure after an abort is nobody's
  try {
    return await Promise.race([started, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

/** An https URL, or plain http to this machine. */
function secureOrLoopback(url: string): boolean {
  return url.startsWith('https:') || isLoopbackHttp(url);
}

/**
 * Plain http to a host that is not this machine. Other schemes pass: a native app's
 * private-use scheme (OAuth 2.1 §8.4.2) is not on the network.
 */
function plainHttpElsewhere(url: string): boolean {
  return /^http:/i.test(url) && !isLoopbackHttp(url);
}
