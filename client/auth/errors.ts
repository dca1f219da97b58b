/**
 * The local errors of the OAuth client (client/auth/): one class, a stable string code per
 * way authorization can fail. None of them goes on the wire.
 */

/** The codes of {@link AuthError}; each is listed in the README's error table. */
export const AuthErrorCode = {
  /** No protected resource metadata could be found, or it is malformed. */
  Discovery: 'MCP_ERR_AUTH_DISCOVERY',
  /** The protected resource metadata names a resource of another origin or path. */
  Resource: 'MCP_ERR_AUTH_RESOURCE',
  /** Authorization server metadata missing, malformed, or its issuer differs from the one asked. */
  Metadata: 'MCP_ERR_AUTH_METADATA',
  /** The authorization server does not advertise PKCE with S256. */
  Pkce: 'MCP_ERR_AUTH_PKCE',
  /** No way to identify the client: no credentials, no metadata document URL, no registration. */
  NoClient: 'MCP_ERR_AUTH_NO_CLIENT',
  /** Dynamic client registration refused. */
  Registration: 'MCP_ERR_AUTH_REGISTRATION',
  /** The authorization response was an error, or failed its state / `iss` checks. */
  Response: 'MCP_ERR_AUTH_RESPONSE',
  /** The token endpoint refused or answered something unusable. */
  Token: 'MCP_ERR_AUTH_TOKEN',
  /**
   * The server refused (401) the token its authorization server had just issued: one for another
   * audience, clocks that disagree on `nbf`, a key it does not know. Signing in again would not help.
   */
  Refused: 'MCP_ERR_AUTH_REFUSED',
  /** The server kept asking for more scope than authorizations allowed (`maxAuthorizations`). */
  StepUp: 'MCP_ERR_AUTH_STEP_UP',
  /** No `authorize` callback for a flow that needs a user, or the user did not finish in time. */
  Interaction: 'MCP_ERR_AUTH_INTERACTION',
  /** The credential store could not be read or written. */
  Store: 'MCP_ERR_AUTH_STORE',
} as const;

/** One of {@link AuthErrorCode}. */
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

/** Authorization failed; `code` says which step. */
export class AuthError extends Error {
  override name = 'AuthError';
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for an {@link AuthError} of the credential store (a read-only or damaged state directory). */
export function isStoreError(error: unknown): error is AuthError {
  return error instanceof AuthError && error.code === AuthErrorCode.Store;
}
