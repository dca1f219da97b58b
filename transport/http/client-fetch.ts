/**
 * The fetch the HTTP client transport calls. Any fetch-compatible function can be injected
 * (tests pass one that calls a server's `Request -> Response` handler in-process); the
 * default is undici's fetch over a keep-alive Agent owned by the transport.
 */
import { Agent, fetch as undiciFetch } from 'undici';

/** What the transport passes to a {@link FetchLike}. */
export interface FetchInit {
  method: 'POST' | 'GET' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A fetch-compatible function: the transport's only way to reach the server. */
export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

/** A default fetch and the way to release its connections. */
export interface OwnedFetch {
  fetch: FetchLike;
  /** Close the Agent's connections; in-flight requests are aborted. */
  close(): Promise<void>;
}

/** Create undici's fetch bound to a new keep-alive Agent. */
export function createOwnedFetch(): OwnedFetch {
  // bodyTimeout 0: an SSE stream may rightly stay silent for longer than undici's default
  // 300 s; the session's request timeouts and the reconnect policy bound the waiting instead.
  const agent = new Agent({ bodyTimeout: 0 });
  return {
    async fetch(url, init) {
      const response = await undiciFetch(url, { ...init, dispatcher: agent });
      // undici's Response is the WHATWG Response the global typings describe.
      return response as unknown as Response;
    },
    close: () => agent.destroy(),
  };
}
