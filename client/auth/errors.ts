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
  /** The authorization server could not be reached (refused, timed out): the MCP server may be up. */
  Unreachable: 'MCP_ERR_AUTH_UNREACHABLE',
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

/** Why a request failed on the network: the first code in `error`'s causes, or "timed out". */
export function reasonOf(error: unknown): string {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e.name === 'TimeoutError') return 'timed out';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A request to the authorization server at `url` that got no answer: said as that server's,
 * not the MCP server's (which answered the challenge that sent us there).
 */
export function unreachable(url: string, error: unknown): AuthError {
  let where = url;
  try {
    where = new URL(url).origin;
  } catch { /* said as given */ }
  return new AuthError(AuthErrorCode.Unreachable, `cannot reach the authorization server ${where} (${reasonOf(error)})`, { cause: error });
}
