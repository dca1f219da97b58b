/**
 * How the host signs in to a protected server (2025-11-25 basic/authorization): a static
 * bearer token (`--token`, or MCPWIRE_TOKEN), or the OAuth client with a loopback redirect
 * listener (RFC 8252 §7.3: 127.0.0.1; the port the kept registration names when it is free,
 * else one the system picks; one for all the servers of a run, so they share one registration
 * per authorization server) that prints the authorization URL, waits for the browser to come
 * back and gives up after a time limit, or when the host leaves (close()).
 * Registrations and tokens are kept per issuer in `<state>/auth` (0600), so a later run
 * reuses or refreshes them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve as resolvePath } from 'node:path';
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
  /** Close the listener; a sign-in in progress fails at once with "the sign-in was cancelled". */
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

/** The port of a loopback redirect URI this host could have registered (`http://127.0.0.1:PORT/callback`). */
function loopbackPort(uri: string): number | undefined {
  const match = /^http:\/\/127\.0\.0\.1:(\d{1,5})\/callback$/.exec(uri);
  const port = match ? Number(match[1]) : 0;
  return port > 0 && port < 65_536 ? port : undefined;
}

/** Listen on 127.0.0.1:`port`; false when the port is taken (or may not be had). */
function listenOn(server: Server, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/** The loopback listener as one server's sign-ins use it (see {@link sharedLoopback}). */
interface Loopback {
  /** Listen (once per listener; later calls give the same URI), on a registered port when one is free. */
  start(registered: readonly string[] | undefined): Promise<string>;
  next(awaited: Awaited, timeoutMs: number): Promise<string>;
  /** End this server's sign-ins waiting on the listener; the last server's close closes it. */
  close(): void;
}

/** A sign-in waiting for its redirect. */
interface Waiting extends Awaited { take(url: string): void; fail(error: Error): void }

/** The listener shared by the sign-ins on one state directory, and how many servers use it. */
interface Shared {
  users: number;
  start(registered: readonly string[] | undefined, said: (text: string) => void): Promise<string>;
  /** The sign-ins waiting, by their `state`. */
  waiting: Map<string | null, Waiting>;
  close(): void;
}

/**
 * The listeners in use, by state directory: every sign-in of a host run shares one, as its
 * servers share the registrations kept there (per issuer). Two servers at one authorization
 * server with a listener each would find the registered port taken by the other's, register
 * again, and alternate registrations every run.
 */
const listeners = new Map<string, Shared>();

/**
 * The loopback listener, started when a sign-in first needs it; it is unref'd so an idle one
 * never keeps the host alive. It takes the port of the kept registration's redirect URI when
 * that port is free (a server that pins the registered port would otherwise need a new
 * registration every run), else one the system picks (RFC 8252 §7.3), said through `said`.
 * Only the redirect of a sign-in in progress, named by its `state` (RFC 6749 §10.12), is taken,
 * by that sign-in: any other request to the callback (a stale tab, a page guessing the port) is
 * answered 400 and the sign-ins go on waiting, instead of failing on it.
 */
function sharedLoopback(onClosed: () => void): Shared {
  const waiting = new Map<string | null, Waiting>();
  let started: Promise<string> | undefined;
  let closed = false;
  let redirectUri = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== '/callback' || waiting.size === 0) {
      res.writeHead(404).end();
      return;
    }
    const awaited = waiting.get(url.searchParams.get('state'));
    if (!awaited) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
        .end('mcpwire: this is not the answer to the sign-in in progress (its state does not match); ignored.\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(pageFor(url, awaited));
    awaited.take(url.href);
  });
  const listen = async (registered: readonly string[] | undefined, said: (text: string) => void): Promise<string> => {
    const wanted = registered?.map(loopbackPort).find((p) => p !== undefined);
    if (wanted === undefined || !(await listenOn(server, wanted))) {
      await listenOn(server, 0);
      if (wanted !== undefined) said(`port ${wanted}, where the kept registration expects the browser back, is taken: signing in through port ${(server.address() as AddressInfo).port} (the server may register this client again)`);
    }
    server.unref();
    redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    if (closed) server.close();
    return redirectUri;
  };
  return {
    users: 0,
    waiting,
    start: (registered, said) => started ??= listen(registered, said),
    close() {
      closed = true;
      onClosed();
      if (server.listening) {
        server.close();
        server.closeAllConnections();
      }
    },
  };
}

/** The listener of `stateDir`'s sign-ins, as server `said` (its name in front) uses it. */
function loopback(stateDir: string, said: (text: string) => void): Loopback {
  const key = resolvePath(stateDir);
  let shared = listeners.get(key);
  if (!shared) {
    const made = sharedLoopback(() => listeners.delete(key));
    listeners.set(key, shared = made);
  }
  const listener = shared;
  listener.users++;
  const mine = new Set<Waiting>();
  let closed = false;
  const cancelled = () => new AuthError(AuthErrorCode.Interaction, 'the sign-in was cancelled');
  return {
    start: (registered) => listener.start(registered, said),
    next: (awaited, timeoutMs) => new Promise<string>((resolve, reject) => {
      if (closed) return reject(cancelled());
      const settle = () => {
        clearTimeout(timer);
        mine.delete(entry);
        if (listener.waiting.get(awaited.state) === entry) listener.waiting.delete(awaited.state);
      };
      const entry: Waiting = {
        ...awaited,
        take: (url) => {
          settle();
          resolve(url);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(() => entry.fail(new AuthError(AuthErrorCode.Interaction, `no sign-in within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      timer.unref();
      mine.add(entry);
      listener.waiting.set(awaited.state, entry);
    }),
    close() {
      if (closed) return;
      closed = true;
      for (const entry of [...mine]) entry.fail(cancelled());
      if (--listener.users === 0) listener.close();
    },
  };
}

/** Create the sign-in of one server named `name` (see the module comment). */
export async function createHostSignIn(name: string, options: HostSignInOptions): Promise<HostSignIn> {
  if (options.token) return { auth: staticToken(options.token), close: () => {} };
  const listener = loopback(options.stateDir, (text) => options.say(`${name}: ${text}`));
  const ended = new AbortController();
  const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const signIns: UserSignIns = { started: 0, last: Promise.resolve() };
  const auth = createOAuthClient({
    redirectUri: (registered) => listener.start(registered),
    signal: ended.signal,
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
    // A refresh changes nobody's sign-in: said, it would interrupt the run every token lifetime.
    onTokens: ({ issuer, scope, subject }, { source }) => {
      if (source !== 'refresh') options.say(`${name}: signed in at ${issuer}${subject ? ` as ${subject}` : ''}${scope ? ` (scope ${scope})` : ''}`);
    },
  });
  userSignIns.set(auth, signIns);
  return {
    auth,
    close: () => {
      ended.abort();
      listener.close();
    },
  };
}
