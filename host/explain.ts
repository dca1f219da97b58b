/**
 * One clear line for each way talking to a server can fail: unreachable, a forgotten session,
 * lost history, a timeout, a refusal by the server. The host prints these instead of stack
 * traces, and never exits because of them.
 */
import { HttpError, McpError, RpcError } from 'mcpwire/protocol';

/** The chain of causes, outermost first. */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let e: unknown = error;
  for (let i = 0; i < 8 && e !== undefined && e !== null; i++) {
    out.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** The fetch standard's blocked ports (6000, 6665-6669, 5060, ...): no server there is ever reached. */
const BAD_PORT = 'its port is one that fetch, as browsers do, never connects to';

/** Why the network failed ("connection refused"), when the error is a network failure. */
export function networkReason(error: unknown): string | undefined {
  for (const e of chain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES[code]) return NETWORK_CODES[code];
    // The fetch standard blocks some ports (e.g. 9, 25, 6000) before connecting.
    if (e instanceof Error && e.message === 'bad port') return BAD_PORT;
  }
  return undefined;
}

/**
 * True when the server's port is one fetch never connects to (the fetch standard's blocked
 * ports): no retry reaches it, so a plan does not keep it as a fallback either.
 */
export function isBadPort(error: unknown): boolean {
  return networkReason(error) === BAD_PORT;
}

/** The HTTP status somewhere in the chain. */
export function httpStatus(error: unknown): number | undefined {
  for (const e of chain(error)) if (e instanceof HttpError) return e.status;
  return undefined;
}

/** What kind of failure this is; decides whether an interrupted call is kept for a later resume. */
export type FailureKind = 'unreachable' | 'session-gone' | 'history-gone' | 'timeout' | 'cancelled' | 'closed' | 'server' | 'other';

/** The client's MCP_ERR_VERSION (no version both speak, or pinned to one the server lacks), whatever its cause. */
function isVersionError(error: unknown): boolean {
  return error instanceof McpError && error.code === 'MCP_ERR_VERSION';
}

export function failureKind(error: unknown): FailureKind {
  if (isVersionError(error)) return 'other';
  const status = httpStatus(error);
  if (status === 404) return 'session-gone';
  if (status === 400 || status === 410) return 'history-gone';
  if (networkReason(error)) return 'unreachable';
  for (const e of chain(error)) {
    if (e instanceof RpcError) return 'server';
    if (e instanceof McpError) {
      if (e.code === 'MCP_ERR_TIMEOUT') return 'timeout';
      if (e.code === 'MCP_ERR_ABORTED') return 'cancelled';
      if (e.code === 'MCP_ERR_CLOSED') return 'closed';
      if (e.code === 'MCP_ERR_RESUME' && /gave up/.test(e.message)) return 'unreachable';
    }
    if ((e as Error | undefined)?.name === 'AbortError') return 'cancelled';
  }
  return 'other';
}

/** What the user can do about each of the OAuth client's errors (client/auth/errors.ts). */
const AUTH_HINTS: Record<string, string> = {
  MCP_ERR_AUTH_INTERACTION: 'open the URL printed above in a browser and sign in (--sign-in-timeout-ms N waits longer)',
  MCP_ERR_AUTH_RESPONSE: 'run again to sign in anew',
  MCP_ERR_AUTH_TOKEN: 'run again to sign in anew',
  MCP_ERR_AUTH_REFUSED: 'tell its operator, or give a token with --token',
  MCP_ERR_AUTH_STEP_UP: 'the server wants more than the sign-in grants: ask for the rights, or sign in as another user',
  MCP_ERR_AUTH_STORE: 'make that directory writable, or give another --state DIR',
  MCP_ERR_AUTH_UNREACHABLE: 'it may be down: try again later, or tell the operator of the server',
};

/**
 * The OAuth client's error in the chain, said as the sign-in's failure with what to do. The
 * transport wrapped it ("POST failed: no sign-in within 300 s"): that was its words, not the user's.
 */
function explainAuth(error: unknown, server: string): string | undefined {
  const auth = chain(error).find((e): e is Error & { code: string } =>
    e instanceof Error && e.name === 'AuthError' && typeof (e as { code?: unknown }).code === 'string');
  if (!auth) return undefined;
  // Discovery, metadata, PKCE, registration: the server's (or its authorization server's) set-up.
  const hint = AUTH_HINTS[auth.code] ?? `its sign-in is set up wrong (${auth.code}); tell its operator, or give a token with --token`;
  // A refused token: the sign-in itself went through; the server would not take its token.
  return `${server}: ${auth.code === 'MCP_ERR_AUTH_REFUSED' ? '' : 'the sign-in failed: '}${auth.message}; ${hint}`;
}

/** One line that says what happened and what to do. `server` names the server. */
/**
 * A call that ended as its server went away before answering, not sent again (call-resend.ts):
 * its message says so whole (its cause is the network's failure, kept for failureKind).
 */
export class UnansweredCutError extends Error {
  override readonly name = 'UnansweredCutError';
}

export function explain(error: unknown, server: string): string {
  if (error instanceof UnansweredCutError) return error.message;
  const kind = failureKind(error);
  const first = chain(error)[0];
  const message = first instanceof Error ? first.message : String(first);
  switch (kind) {
    case 'unreachable': {
      // The server answered, and sent us to its authorization server, which did not.
      const auth = explainAuth(error, server);
      if (auth !== undefined) return auth;
      const why = networkReason(error) ?? 'no answer';
      // "is it running?" sent the person to look at a server that runs: the port is the fault.
      if (why === BAD_PORT) return `cannot reach ${server}: ${why}; serve it on another port`;
      return `cannot reach ${server} (${why}); is it running?`;
    }
    case 'session-gone':
      return `${server} no longer knows our session (it restarted without its state, or the session expired)`;
    case 'history-gone':
      return `${server} no longer has the history needed to resume (it was evicted or belongs to another session)`;
    case 'timeout':
      return `${server} did not answer in time (${message})`;
    case 'cancelled':
      return 'cancelled';
    case 'closed':
      return `the connection to ${server} closed`;
    case 'server': {
      const rpc = chain(error).find((e): e is RpcError => e instanceof RpcError)!;
      return `${server} answered with an error: ${rpc.message} (${rpc.code})`;
    }
    default:
      if (explainAuth(error, server)) return explainAuth(error, server)!;
      // The limit is the host's own: say how to raise it.
      if (chain(error).some((e) => e instanceof McpError && e.code === 'MCP_ERR_MESSAGE_TOO_LARGE')) return `${server}: ${message}; --max-message-bytes raises the limit`;
      return `${server}: ${message}`;
  }
}

/**
 * True when the failure shows the address serves no MCP at all, as opposed to a server that
 * is down or busy: HTTP 404 to `initialize` (nothing at that path; 2025-11-25
 * basic/transports), or an answer that is not JSON-RPC. Such a server will not take over a
 * call once it "comes back", so a plan does not keep it as a fallback.
 */
export function isNotMcp(error: unknown): boolean {
  if (httpStatus(error) === 404) return true;
  return chain(error).some((e) => (e instanceof McpError && e.code === 'MCP_ERR_PROTOCOL') || e instanceof SyntaxError);
}

/**
 * True when the server refused us (HTTP 401 or 403 to the handshake or the listing;
 * 2025-11-25 basic/authorization): it wants authorization the host could not give when asked,
 * and that does not change by itself, so a plan does not keep it as a fallback either. Asked
 * again mid-step it would refuse again (or, for 401 with OAuth, hold the step on a sign-in).
 */
export function isRefused(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 401 || status === 403;
}

/**
 * One line for a server that could not be connected to. The handshake never completed, so an
 * HTTP 404 means nothing serves MCP at that path (2025-11-25 basic/transports: the session
 * meaning of 404 needs a session first), and an answer that is not JSON-RPC means the address
 * is not an MCP server.
 */
export function explainConnect(error: unknown, server: string, url: string | undefined): string {
  // The client already said what the versions are and what to do; the peer's answer under it is only its cause.
  if (isVersionError(error)) return `${server}: ${(error as Error).message}`;
  const status = httpStatus(error);
  const where = url ?? server;
  if (status === 404) return `nothing answers MCP at ${where} (HTTP 404 to initialize); check the URL's path (e.g. /mcp)`;
  if (isRefused(error)) return `${server} refused us (HTTP ${status}): it wants authorization this host cannot give`;
  if (status !== undefined) return `${server} answered initialize with HTTP ${status}; is ${where} an MCP endpoint?`;
  for (const e of chain(error)) {
    if (e instanceof McpError && e.code === 'MCP_ERR_PROTOCOL') {
      // The transport names our request by its id, a number that means nothing here: it was initialize.
      const held = /held no response to request .+?, but (.+)$/s.exec(e.message)?.[1];
      return `${where} is not an MCP server: ${held ? `its answer to initialize was ${held}, not a JSON-RPC response` : e.message}`;
    }
    if (e instanceof SyntaxError) return `${where} is not an MCP server: its answer is not JSON (${e.message})`;
  }
  // A stdio server that exits during the handshake: how it exited, not "the connection closed".
  const exit = chain(error).map((e) => (e instanceof Error ? e.message : '')).find((m) => /^server process .* (exited|was killed)/.test(m));
  if (url === undefined && exit !== undefined) return `${server} stopped before answering initialize: ${exit}`;
  return explain(error, server);
}

/**
 * `message` led by the server's name, unless it names the server already: a connection's own
 * explanation does ("cannot reach sdk ..."), and "sdk: cannot reach sdk ..." read it twice.
 */
export function withServer(server: string, message: string): string {
  const name = server.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s(])${name}($|[\\s:;,)])`).test(message) ? message : `${server}: ${message}`;
}
