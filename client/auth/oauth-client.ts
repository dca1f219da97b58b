/**
 * The OAuth 2.1 client of an MCP client (2025-11-25 and 2026-07-28 basic/authorization), as
 * the `auth` option of the HTTP client transport: on 401 it discovers the protected resource
 * and its authorization server, identifies the client, obtains tokens for the resource by the
 * configured grant, and keeps them per issuer; on 403 `insufficient_scope` it re-authorizes
 * with the union of scopes, a bounded number of times; expired tokens are refreshed.
 */
import type * as oauth from 'oauth4webapi';
import type { AuthChallengeReply, HttpClientAuth } from '../../transport/http/client-auth.ts';
import { authorizationCodeFlow } from './authorize.ts';
import { oauthChallenge, parseChallenges, scopesOf, type Challenge } from './challenge.ts';
import { DEFAULT_MAX_REPLY_BYTES, discoverAuthorizationServer, discoverResource, type AuthFetch } from './discovery.ts';
import { createDpopSigner, type DpopSigner } from './dpop.ts';
import { AuthError, AuthErrorCode, isStoreError } from './errors.ts';
import { clientFor, type ClientIdentity } from './identity.ts';
import type { AuthGrant, OAuthClient, OAuthClientOptions, RefreshWhy, SignedIn, TokenSource } from './options.ts';

export type { OAuthClient, SignedIn } from './options.ts';
import { checkGranted, chooseScope } from './scope.ts';
import { createMemoryAuthStore, type AuthStore, type IssuerRecord, type StoredTokens } from './store.ts';
import { dueForRefresh, subjectOf } from './token-facts.ts';
import { clientCredentials, createHttp, exchangeForIdJag, isLoopbackHttp, jwtBearer, refresh, type TokenContext } from './token.ts';
import { positiveIntegerOption } from '../../protocol/limits.ts';

/** Tokens in use and where they came from. */
interface Current {
  issuer: string;
  resource: string;
  tokens: StoredTokens;
  /** Filled in once discovery ran in this process (tokens may come from the store). */
  context?: TokenContext;
  /**
   * A refresh was tried for these tokens, or they came from one and no reply has accepted
   * them yet: a refreshed token the resource refuses is not refreshed again.
   */
  refreshTried?: boolean;
  /**
   * A refresh of these tokens failed. They are not refreshed ahead of use again (the resource
   * may still take them: a clock that runs ahead, a token endpoint that is down); a 401 still
   * leads to one more refresh, then to an authorization.
   */
  refreshFailed?: boolean;
  /** Issued by an authorization in this run, and no reply has taken them yet. */
  unproven?: boolean;
}

/** The OAuth `error` code a token endpoint answered, when the failure carries one (oauth4webapi's ResponseBodyError). */
function oauthErrorOf(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { error?: unknown } | undefined)?.error;
  return typeof code === 'string' ? code : undefined;
}

/** Create the OAuth client (see the module comment and {@link OAuthClientOptions}). */
export function createOAuthClient(options: OAuthClientOptions = {}): OAuthClient {
  return new OAuthClientImpl(options);
}

class OAuthClientImpl implements OAuthClient {
  readonly #options: OAuthClientOptions;
  readonly #store: AuthStore;
  readonly #fetch: AuthFetch;
  readonly #timeoutMs: number;
  readonly #maxReplyBytes: number;
  readonly #maxAuthorizations: number;
  #current: Current | undefined;
  #loaded = false;
  #pending: Promise<void> | undefined;
  /** The authorization in progress is a step-up (403 insufficient_scope): the tokens in use stay good. */
  #steppingUp = false;
  #authorizations = 0;
  readonly #requested = new Set<string>();
  #dpop: Promise<DpopSigner> | undefined;
  /** The issuer whose store lock this client holds (see #locked). */
  #holding: string | undefined;

  constructor(options: OAuthClientOptions) {
    this.#options = options;
    this.#store = options.store ?? createMemoryAuthStore();
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#timeoutMs = positiveIntegerOption('timeoutMs', options.timeoutMs, 10_000);
    this.#maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    if (!Number.isSafeInteger(this.#maxReplyBytes) || this.#maxReplyBytes < 1) {
      throw new RangeError(`maxReplyBytes must be a positive integer (bytes), got ${String(options.maxReplyBytes)}`);
    }
    this.#maxAuthorizations = positiveIntegerOption('maxAuthorizations', options.maxAuthorizations, 3);
    if (options.dpop) this.#dpop = createDpopSigner(options.dpop === true ? undefined : options.dpop);
  }

  get signedIn(): OAuthClient['signedIn'] {
    const c = this.#current;
    return c && { issuer: c.issuer, resource: c.resource, scope: c.tokens.scope, subject: subjectOf(c.tokens.access_token) };
  }

  async headersFor(method: string, url: string): Promise<Record<string, string>> {
    // A step-up leaves the tokens in use good for what they cover: requests go on with them
    // (a cancellation, a list) while the user is at the browser for more scope.
    if (this.#pending && !this.#steppingUp) await this.#pending.catch(() => {});
    if (!this.#loaded) await this.#load(url);
    const current = this.#current;
    if (!current) return {};
    if (dueForRefresh(current.tokens) && current.tokens.refresh_token && !current.refreshTried && !current.refreshFailed && !this.#pending) {
      await this.#single(() => this.#refresh(current, 'ahead').then(() => {}));
    }
    return this.#credentials(method, url);
  }

  async onChallenge(reply: AuthChallengeReply, method: string, url: string, sent: Readonly<Record<string, string>>): Promise<boolean> {
    const header = reply.header('www-authenticate');
    const nonce = reply.header('dpop-nonce');
    // RFC 9449 §9: the resource server wants a nonce in the proof; send again with it.
    if (this.#dpop && nonce && parseChallenges(header).some((c) => c.params.error === 'use_dpop_nonce')) {
      (await this.#dpop).setNonce(url, nonce);
      return true;
    }
    if (this.#pending) {
      await this.#pending;
      return true;
    }
    // Newer credentials than this request carried exist already: just send again.
    const now = this.#current ? `${this.#scheme()} ${this.#current.tokens.access_token}` : undefined;
    if (sent.authorization !== now) return true;
    const challenge = oauthChallenge(header) ?? { scheme: 'bearer', params: {} };
    if (reply.status === 403 && challenge.params.error !== 'insufficient_scope') return false;
    await this.#single(() => this.#obtain(reply.status, challenge, url), reply.status === 403);
    return true;
  }

  onAccepted(reply: AuthChallengeReply, url: string): void {
    const nonce = reply.header('dpop-nonce');
    if (nonce && this.#dpop) void this.#dpop.then((d) => d.setNonce(url, nonce));
    if (!this.#current) return;
    // Any reply but 401/403 (the only ones not reported here) did not refuse the token.
    this.#current.refreshTried = false;
    this.#current.unproven = false;
    if (reply.status >= 200 && reply.status < 300) this.#authorizations = 0;
  }

  /** Run `run` as the one refresh or authorization in progress (`stepUp`: a 403's, see headersFor). */
  async #single(run: () => Promise<void>, stepUp = false): Promise<void> {
    const pending = run().finally(() => {
      if (this.#pending !== pending) return;
      this.#pending = undefined;
      this.#steppingUp = false;
    });
    this.#pending = pending;
    this.#steppingUp = stepUp;
    await pending;
  }

  #scheme(): string {
    return this.#dpop && this.#current?.tokens.token_type.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  }

  async #credentials(method: string, url: string): Promise<Record<string, string>> {
    const current = this.#current;
    if (!current) return {};
    const headers: Record<string, string> = { authorization: `${this.#scheme()} ${current.tokens.access_token}` };
    if (this.#dpop) headers.dpop = await (await this.#dpop).proof(method, url, current.tokens.access_token);
    return headers;
  }

  /** Tokens kept from an earlier run for this server, if any. */
  async #load(url: string): Promise<void> {
    this.#loaded = true;
    let records;
    try {
      records = await this.#store.list();
    } catch (error) {
      if (!isStoreError(error)) throw error;
      // An unreadable store fails no request: the user signs in, for this run at least.
      this.#options.onError?.(new AuthError(AuthErrorCode.Store, `${error.message}: signing in without the kept sign-ins`, { cause: error }));
      return;
    }
    for (const record of records) {
      for (const [resource, tokens] of Object.entries(record.tokens)) {
        if (url === resource || url.startsWith(resource.endsWith('/') ? resource : `${resource}/`)) {
          this.#current = { issuer: record.issuer, resource, tokens };
          this.#options.onTokens?.(this.signedIn as SignedIn, { source: 'store' });
          return;
        }
      }
    }
  }

  async #save(current: Current, source: TokenSource): Promise<void> {
    this.#current = current;
    this.#options.onTokens?.(this.signedIn as SignedIn, { source });
    try {
      await this.#locked(current.issuer, async () => {
        const record = (await this.#store.read(current.issuer)) ?? { issuer: current.issuer, tokens: {} };
        record.tokens[current.resource] = current.tokens;
        await this.#store.write(record);
      });
    } catch (error) {
      if (!isStoreError(error)) throw error;
      // A read-only or full state directory: the tokens serve this run; the user was asked
      // once already, so failing the request here would only ask again, and again.
      this.#options.onError?.(new AuthError(AuthErrorCode.Store, `${error.message}: the sign-in is kept for this run only (make that directory writable to keep it)`, { cause: error }));
    }
  }

  /** The token context of `issuer` for `resource`: AS metadata, client identity, DPoP. */
  async #context(issuer: string, resource: string, legacy = false): Promise<TokenContext> {
    const as = await discoverAuthorizationServer(this.#fetch, issuer, this.#timeoutMs, legacy, this.#maxReplyBytes);
    const insecure = this.#insecure(issuer) && (!as.token_endpoint || this.#insecure(as.token_endpoint));
    const http = createHttp(this.#fetch, this.#timeoutMs, insecure, this.#maxReplyBytes);
    const identity: ClientIdentity = await clientFor(as, this.#options, this.#store, http, () => this.#redirect(undefined), this.#serial(issuer));
    return { as, identity, http, resource, dpop: this.#dpop ? await this.#dpop : undefined, ...(legacy ? { legacy } : {}) };
  }

  #serial(issuer: string): <T>(run: () => Promise<T>) => Promise<T> {
    return (run) => this.#locked(issuer, run);
  }

  #insecure(url: string): boolean {
    return this.#options.allowInsecureHttp === true || isLoopbackHttp(url);
  }

  /** Refresh `current`'s tokens: `ahead` of use (expiring), or because the resource `refused` them (401). */
  async #refresh(current: Current, why: RefreshWhy): Promise<boolean> {
    current.refreshTried = true;
    if (!current.tokens.refresh_token) return false;
    return this.#locked(current.issuer, async () => {
      // Another process on this store (a second host) may have refreshed these tokens while
      // this one waited on the lock: with rotating refresh tokens ours is spent; take theirs.
      const stored = (await this.#store.read(current.issuer).catch(() => undefined))?.tokens[current.resource];
      if (stored && stored.access_token !== current.tokens.access_token) {
        this.#current = { ...current, tokens: stored, refreshTried: true, refreshFailed: false };
        this.#options.onTokens?.(this.signedIn as SignedIn, { source: 'refresh' });
        return true;
      }
      return this.#refreshNow(current, current.tokens.refresh_token as string, why);
    });
  }

  /**
   * Run `run` holding `issuer`'s store lock (taken once: a refresh saves under it). Another
   * client on the store (the host's other server there, a second host) would otherwise register
   * too, or write the issuer's record over this one's; a sign-in at the browser is not held.
   */
  async #locked<T>(issuer: string, run: () => Promise<T>): Promise<T> {
    if (this.#holding === issuer || !this.#store.lock) return run();
    const unlock = await this.#store.lock(issuer);
    this.#holding = issuer;
    try {
      return await run();
    } finally {
      this.#holding = undefined;
      await unlock();
    }
  }

  async #refreshNow(current: Current, refreshToken: string, why: RefreshWhy): Promise<boolean> {
    try {
      // Tokens from the store: a 2025-03-26 server's are the ones issued by its own origin.
      current.context ??= await this.#context(current.issuer, current.resource, current.issuer === new URL(current.resource).origin);
      const tokens = await refresh(current.context, { ...current.tokens, refresh_token: refreshToken });
      // Still marked: if the resource refuses these too (its authorization server changed,
      // the grant was revoked there), the next 401 authorizes anew instead of looping here.
      await this.#save({ ...current, tokens, refreshTried: true }, 'refresh');
      return true;
    } catch (error) {
      if (isStoreError(error)) throw error;
      // RFC 6749 §5.2 invalid_client: the authorization server no longer knows the client it
      // registered (RFC 7591 registrations may expire, or be lost). Kept, it would be sent to
      // the authorization endpoint, which refuses it without a redirect (RFC 6749 §4.1.2.1),
      // on every run: forget it, so the authorization that follows registers anew.
      if (current.context?.identity.source === 'registered' && oauthErrorOf(error) === 'invalid_client') await this.#forgetClient(current.issuer);
      current.refreshFailed = true;
      // Say so, and what follows: ahead of use the tokens stay in use until the resource
      // refuses them (it may still take them); after a 401 the user authorizes again.
      this.#options.onError?.(error instanceof Error ? error : new Error(String(error)), { refresh: why });
      return false;
    }
  }

  /** 401 or 403 insufficient_scope: refresh, or authorize (again). */
  async #obtain(status: number, challenge: Challenge, url: string): Promise<void> {
    const current = this.#current;
    // A token just issued and refused at once: its resource or clock is wrong, not the user's
    // sign-in; another sign-in (and one more, up to maxAuthorizations) would get the same.
    if (status === 401 && current?.unproven) throw this.#refusedFresh(current, challenge, url);
    if (status === 401 && current?.tokens.refresh_token && !current.refreshTried && (await this.#refresh(current, 'refused'))) return;
    // 2025-11-25 basic/authorization, "Scope Challenge Handling": bounded, against loops.
    if (++this.#authorizations > this.#maxAuthorizations) {
      throw new AuthError(AuthErrorCode.StepUp, `gave up after ${this.#maxAuthorizations} authorizations in a row for ${url} (the server keeps refusing: ${challenge.params.error ?? status})`);
    }
    const prm = await discoverResource(this.#fetch, url, challenge.params.resource_metadata, this.#timeoutMs, this.#maxReplyBytes);
    const issuer = prm.authorization_servers[0] as string;
    const context = await this.#context(issuer, prm.resource, prm.legacy);
    const redirect = this.#grantType() === 'authorization_code' ? await this.#redirect(context.identity.redirectUris) : undefined;
    if (this.#registeredForAnotherRedirect(context.identity, redirect)) {
      // The authorization server may hold the client to the redirect URI it registered, port
      // and all (RFC 8252 §7.3 lets loopback ports vary, but many servers pin them), and then
      // refuses the request without a redirect (RFC 6749 §4.1.2.1): register for this one.
      await this.#forgetClient(issuer);
      context.identity = await clientFor(context.as, this.#options, this.#store, context.http, async () => redirect, this.#serial(issuer));
    }
    const scope = this.#chooseScope(status, challenge, prm.scopes_supported, context.as);
    const tokens = await this.#grant(context, scope, redirect);
    await this.#save({ issuer, resource: prm.resource, tokens, context, unproven: true }, 'authorization');
    if (current && current.issuer !== issuer && current.resource === prm.resource) await this.#forget(current);
    // A step-up that got less than the request needs would get the same again.
    if (status === 403) checkGranted(issuer, url, scope, tokens.scope);
  }

  /** The error of a 401 to tokens an authorization just gave, with the server's words. */
  #refusedFresh(current: Current, challenge: Challenge, url: string): AuthError {
    const { error, error_description: description } = challenge.params;
    const why = error ? `${error}${description ? `: ${description}` : ''}` : 'no reason given';
    return new AuthError(AuthErrorCode.Refused,
      `${url} refused the token ${current.issuer} had just issued for it (${why}); signing in again would not help (a token for another resource, clocks that disagree)`);
  }

  /**
   * A dynamic registration made for a redirect URI other than the one this authorization code
   * flow uses (or kept without its redirect URIs). Refreshes go on with it: its refresh tokens
   * are bound to it; only a new authorization needs the redirect.
   */
  #registeredForAnotherRedirect(identity: ClientIdentity, redirect: string | undefined): boolean {
    return identity.source === 'registered' && redirect !== undefined && !identity.redirectUris?.includes(redirect);
  }

  #grantType(): AuthGrant['type'] {
    return this.#options.grant?.type ?? 'authorization_code';
  }

  /** The redirect URI of a sign-in (see `redirectUri`), given what the kept registration names. */
  async #redirect(registered: readonly string[] | undefined): Promise<string | undefined> {
    const option = this.#options.redirectUri;
    return typeof option === 'function' ? option(registered) : option;
  }

  /** Drop the registration kept for `issuer` (its tokens stay until replaced). */
  async #forgetClient(issuer: string): Promise<void> {
    await this.#edit(issuer, (record) => {
      if (!record.client) return false;
      delete record.client;
      return true;
    });
  }

  /**
   * Change `issuer`'s kept record with `change` (false: nothing changed). A store that cannot
   * be read or written is passed over: what it keeps is then out of use for this run anyway.
   */
  async #edit(issuer: string, change: (record: IssuerRecord) => boolean): Promise<void> {
    try {
      await this.#locked(issuer, async () => {
        const record = await this.#store.read(issuer);
        if (record && change(record)) await this.#store.write(record);
      });
    } catch (error) {
      if (!isStoreError(error)) throw error;
    }
  }

  /**
   * Drop `old`'s tokens for its resource: the resource now names another authorization
   * server (2025-11-25 basic/authorization: the protected resource metadata says which), so a
   * later run must not start from them.
   */
  async #forget(old: Current): Promise<void> {
    await this.#edit(old.issuer, (record) => delete record.tokens[old.resource]);
  }

  #chooseScope(status: number, challenge: Challenge, supported: string[] | undefined, as: oauth.AuthorizationServer): string | undefined {
    const offline = this.#grantType() === 'authorization_code' && this.#options.offlineAccess !== false && as.scopes_supported?.includes('offline_access') === true;
    return chooseScope(this.#requested, { status, challenged: scopesOf(challenge.params.scope), supported, granted: scopesOf(this.#current?.tokens.scope), offline });
  }

  async #grant(ctx: TokenContext, scope: string | undefined, redirect: string | undefined): Promise<StoredTokens> {
    const grant = this.#options.grant ?? { type: 'authorization_code' };
    switch (grant.type) {
      case 'authorization_code':
        return authorizationCodeFlow(ctx, this.#options, scope, redirect);
      case 'client_credentials':
        return clientCredentials(ctx, scope);
      case 'jwt_bearer':
        return jwtBearer(ctx, await grant.assertion(), scope);
      case 'enterprise': {
        const jag = await exchangeForIdJag(ctx.http, grant, ctx.as.issuer, ctx.resource, scope, this.#timeoutMs);
        return jwtBearer(ctx, jag, scope);
      }
    }
  }
}
