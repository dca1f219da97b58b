/**
 * The HTTP client transport's authorization hook: an {@link Exchanger} wrapper that asks an
 * {@link HttpClientAuth} for the credentials of each request (Authorization, DPoP) and, when
 * the server answers 401 or 403, lets it act (authorize, refresh, step up, take a DPoP nonce)
 * and sends the request again. The OAuth client itself lives in client/auth/.
 */
import type { ClientReply, Exchange, Exchanger, OutboundRequest } from './client-exchange.ts';
import { discardBody } from './client-response.ts';

/** What an {@link HttpClientAuth} sees of a refused reply. */
export interface AuthChallengeReply {
  readonly status: number;
  /** A response header by its lower-case name. */
  header(name: string): string | undefined;
}

/** The credentials side of the HTTP client transport (the `auth` option). */
export interface HttpClientAuth {
  /** Headers to add to a request to `url` (e.g. `authorization`, `dpop`); names in lower case. */
  headersFor(method: string, url: string): Promise<Record<string, string>>;
  /**
   * The server answered `reply.status` 401 or 403. Resolves true when new credentials were
   * obtained and the request should be sent again, false to hand the refusal on; rejects
   * when authorization failed (that error fails the request). `sent` holds the headers that
   * {@link headersFor} gave this request (newer credentials may exist already).
   */
  onChallenge(reply: AuthChallengeReply, method: string, url: string, sent: Readonly<Record<string, string>>): Promise<boolean>;
  /** Told of every reply that was not a 401/403 (e.g. to reset retry counts, keep a DPoP nonce). */
  onAccepted?(reply: AuthChallengeReply, url: string): void;
}

/** Resends of one request after challenges (authorize, DPoP nonce, step-up x3, margin). */
const MAX_RESENDS = 6;
/** Bytes of a refused reply's body read before the connection is dropped. */
const MAX_REFUSAL_BODY = 64 * 1024;

class AuthExchange implements Exchange {
  readonly head: Promise<ClientReply>;
  #inner: Exchange | undefined;
  #aborted: Error | undefined;
  #onAbort: ((reason: Error) => void) | undefined;

  constructor(base: Exchanger, auth: HttpClientAuth, url: string, request: OutboundRequest, seen: CredentialsSeen) {
    // An abort settles the head at once, even while credentials are still being obtained
    // (a sign-in may wait minutes for a browser).
    const aborted = new Promise<never>((_resolve, reject) => { this.#onAbort = reject; });
    aborted.catch(() => {});
    const run = this.#run(base, auth, url, request, seen);
    run.catch(() => {});
    this.head = Promise.race([run, aborted]);
  }

  get aborted(): boolean {
    return this.#aborted !== undefined;
  }

  get ended(): boolean {
    return this.#inner?.ended ?? false;
  }

  abort(reason: Error): void {
    this.#aborted ??= reason;
    this.#inner?.abort(reason);
    this.#onAbort?.(reason);
  }

  async #run(base: Exchanger, auth: HttpClientAuth, url: string, request: OutboundRequest, seen: CredentialsSeen): Promise<ClientReply> {
    for (let resends = 0; ; resends++) {
      const extra = await auth.headersFor(request.method, url);
      seen.note(extra.authorization);
      if (this.#aborted) throw this.#aborted;
      const inner = base.send({ ...request, headers: { ...request.headers, ...extra } });
      this.#inner = inner;
      const reply = await inner.head;
      if (reply.status !== 401 && reply.status !== 403) {
        auth.onAccepted?.(reply, url);
        return reply;
      }
      if (resends >= MAX_RESENDS) return reply;
      if (!(await auth.onChallenge(reply, request.method, url, extra))) return reply;
      await discardBody(reply, inner, MAX_REFUSAL_BODY);
      inner.abort(new Error('refused reply replaced by a resend'));
      if (this.#aborted) throw this.#aborted;
    }
  }
}

/**
 * Which credentials were sent last, as a number that changes when they change: a "private"
 * cached result is reused only under the same access token (2026-07-28 CacheableResult:
 * "a different access token requires a different cache").
 */
class CredentialsSeen {
  #last: string | undefined;
  epoch = 0;

  note(authorization: string | undefined): void {
    if (authorization === this.#last) return;
    this.#last = authorization;
    this.epoch++;
  }
}

/** Wrap `base` so every request to `url` carries `auth`'s credentials (see the module comment). */
export function withAuth(base: Exchanger, auth: HttpClientAuth, url: string): Exchanger {
  const seen = new CredentialsSeen();
  return {
    send: (request) => new AuthExchange(base, auth, url, request, seen),
    close: () => base.close(),
    credentialsEpoch: () => seen.epoch,
  };
}
