/**
 * How the host signs in to a protected server (2025-11-25 basic/authorization): a static
 * bearer token (`--token`, or MCPWIRE_TOKEN), or the OAuth client with a loopback redirect
 * listener (RFC 8252 §7.3: 127.0.0.1, a port chosen by the system) that prints the
 * authorization URL, waits for the browser to come back and gives up after a time limit.
 * Registrations and tokens are kept per issuer in `<state>/auth` (0600), so a later run
 * reuses or refreshes them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AuthError, AuthErrorCode, createFileAuthStore, createOAuthClient, type HttpClientAuth } from 'mcpwire/client';

/** Default time the host waits for the browser to come back, ms. */
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 300_000;

/** Options of {@link createHostSignIn}. */
export interface HostSignInOptions {
  /** The host's state directory; tokens go to `<stateDir>/auth`. */
  stateDir: string;
  /** A bearer token to send as is instead of signing in. */
  token?: string;
  /** How long to wait for the browser, ms. Default {@link DEFAULT_SIGN_IN_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Shows a line to the user (the URL to open, who is signed in). */
  say(text: string): void;
  /** Opens a URL in a browser when possible. */
  openUrl?: (url: string) => Promise<boolean>;
}

/** The sign-ins an `auth` of {@link createHostSignIn} started: how many, and the last one's wait on the browser. */
export interface UserSignIns {
  started: number;
  /** Resolves when the browser came back, rejects when it did not in time. */
  last: Promise<void>;
}

const userSignIns = new WeakMap<HttpClientAuth, UserSignIns>();

/**
 * The sign-ins `auth` started, when it is a host sign-in: a handshake that timed out while
 * one waited on the user is tried again once the user is back (connection.ts), so the
 * connection's time limit does not cut the sign-in's own (`--sign-in-timeout-ms`) short.
 */
export function userSignInsOf(auth: HttpClientAuth | undefined): Readonly<UserSignIns> | undefined {
  return auth && userSignIns.get(auth);
}

/** The `auth` of one server, and a way to release its listener. */
export interface HostSignIn {
  auth: HttpClientAuth;
  close(): void;
}

/** A static bearer token. */
function staticToken(token: string): HttpClientAuth {
  return {
    headersFor: async () => ({ authorization: `Bearer ${token}` }),
    onChallenge: async () => false,
  };
}

/** Whose answer a sign-in awaits (RFC 9207): its issuer, and whether `iss` was promised. */
interface Awaited { state: string | null; issuer: string; issRequired: boolean }

/**
 * The page the browser shows once it came back: what happened, in words. An answer whose
 * `iss` is not the awaited issuer's is not shown, error or not (2026-07-28
 * basic/authorization, RFC 9207 §2.4: on a mismatch the client MUST NOT display `error` or
 * `error_description`): another server's words in our page could mislead the user.
 */
function pageFor(callback: URL, awaited: Awaited): string {
  const iss = callback.searchParams.get('iss');
  if (iss === null ? awaited.issRequired : iss !== awaited.issuer) {
    return 'mcpwire: this answer does not come from the authorization server of the sign-in (its iss does not match): refused. See the terminal.\n';
  }
  const error = callback.searchParams.get('error');
  if (error === null) return 'mcpwire: signed in. You can close this tab.\n';
  const description = callback.searchParams.get('error_description');
  return `mcpwire: the sign-in was refused (${error}${description ? `: ${description}` : ''}). You can close this tab.\n`;
}

/**
 * The loopback listener; it is unref'd so an idle one never keeps the host alive. Only the
 * redirect of the sign-in in progress, named by its `state` (RFC 6749 §10.12), is taken: any
 * other request to the callback (a stale tab, a page guessing the port) is answered 400 and
 * the sign-in goes on waiting, instead of failing on it.
 */
async function listen(): Promise<{ server: Server; redirectUri: string; next(awaited: Awaited, timeoutMs: number): Promise<string> }> {
  let waiting: (Awaited & { take(url: string): void }) | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== '/callback' || !waiting) {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('state') !== waiting.state) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
        .end('mcpwire: this is not the answer to the sign-in in progress (its state does not match); ignored.\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(pageFor(url, waiting));
    waiting.take(url.href);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    server, redirectUri,
    next: (awaited, timeoutMs) => new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = undefined;
        reject(new AuthError(AuthErrorCode.Interaction, `no sign-in within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      timer.unref();
      waiting = {
        ...awaited,
        take: (url) => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(url);
        },
      };
    }),
  };
}

/** Create the sign-in of one server named `name` (see the module comment). */
export async function createHostSignIn(name: string, options: HostSignInOptions): Promise<HostSignIn> {
  if (options.token) return { auth: staticToken(options.token), close: () => {} };
  const listener = await listen();
  const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const signIns: UserSignIns = { started: 0, last: Promise.resolve() };
  const auth = createOAuthClient({
    redirectUri: listener.redirectUri,
    clientName: 'mcpwire host',
    store: createFileAuthStore({ dir: join(options.stateDir, 'auth'), onDamaged: (message) => options.say(`${name}: ${message}`) }),
    async authorize({ url, issuer, issRequired }) {
      const answer = listener.next({ state: url.searchParams.get('state'), issuer, issRequired }, timeoutMs);
      signIns.started++;
      signIns.last = answer.then(() => {});
      signIns.last.catch(() => {}); // awaited only when a handshake timed out meanwhile
      options.say(`${name} asks you to sign in: open ${url.href}`);
      await options.openUrl?.(url.href).catch(() => false);
      return answer;
    },
    // A store that cannot be kept says what it does about it itself; other errors are
    // refreshes: one ahead of use leaves the run on the current token until it is refused.
    onError: (error, context) => options.say(error instanceof AuthError && error.code === AuthErrorCode.Store ? `${name}: ${error.message}`
      : context?.refresh === 'ahead' ? `${name}: could not refresh the sign-in before it expires (${error.message}); going on with it until ${name} refuses it, then signing in again`
        : `${name}: could not refresh the sign-in (${error.message}); signing in again`),
    onTokens: ({ issuer, scope, subject }) => {
      options.say(`${name}: signed in at ${issuer}${subject ? ` as ${subject}` : ''}${scope ? ` (scope ${scope})` : ''}`);
    },
  });
  userSignIns.set(auth, signIns);
  return { auth, close: () => listener.server.close() };
}
