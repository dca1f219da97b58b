/** The OAuth 2.1 client of mcpwire/client: the `auth` option of the HTTP client transport. */
export { createOAuthClient } from './oauth-client.ts';
export type { OAuthClient, SignedIn } from './oauth-client.ts';
export type { OAuthClientOptions, AuthGrant, AuthorizeRequest, PreRegisteredClient, RefreshWhy, TokenSource } from './options.ts';
export { AuthError, AuthErrorCode } from './errors.ts';
export { createMemoryAuthStore, createFileAuthStore } from './store.ts';
export type { AuthStore, IssuerRecord, StoredClient, StoredTokens, FileAuthStoreOptions } from './store.ts';
