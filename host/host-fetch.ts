/**
 * The fetch of the host's Streamable HTTP connections: its own connection pool (no body
 * timeout: a stream may stay quiet for long), reachability told as it changes, resumptions
 * counted, DELETE left out when the host leaves its session running, and answers to the
 * server's questions delivered once it is back.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from 'mcpwire/client';
import { networkReason } from './explain.ts';

/** How an answer POSTed into a dead connection is sent again: first pause, longest pause, attempts (about 3 min, as the streams ride out a restart). */
export const ANSWER_RETRY = { initialDelayMs: 500, maxDelayMs: 3_000, maxAttempts: 60 } as const;

/**
 * True for a body of JSON-RPC responses only: answers to the server's questions (forms, model
 * requests, roots). Parsed only after a failed POST.
 */
function onlyResponses(body: string | undefined): boolean {
  if (body === undefined) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  const all = Array.isArray(parsed) ? parsed : [parsed];
  return all.length > 0 && all.every((m) => typeof m === 'object' && m !== null && !('method' in m) && 'id' in m && ('result' in m || 'error' in m));
}

/** A Streamable HTTP connection's fetch: our own pool, reachability notices, and DELETE left out when keeping the session. */
export function hostFetch(
  onReachable: (ok: boolean, reason?: string) => void, onResume: () => void, retry: { initialDelayMs: number; maxDelayMs: number; maxAttempts: number } = ANSWER_RETRY,
): { fetch: FetchLike; keepSession(): void; close(): Promise<void> } {
  const agent = new Agent({ bodyTimeout: 0 });
  const closing = new AbortController();
  let keep = false;
  const once: FetchLike = async (url, init) => {
    try {
      const response = await undiciFetch(url, { ...init, dispatcher: agent });
      onReachable(true);
      return response as unknown as Response;
    } catch (error) {
      if (!init.signal?.aborted) onReachable(false, networkReason(error) ?? (error as Error).message);
      throw error;
    }
  };
  return {
    async fetch(url, init) {
      // Leaving calls running means leaving the session: 2025-11-25 basic/transports lets a
      // server refuse DELETE with 405, which the transport takes as "the session stays".
      if (keep && init.method === 'DELETE') return new Response(null, { status: 405 });
      if (init.method === 'GET' && init.headers['last-event-id'] !== undefined) onResume();
      for (let attempt = 1, delay = retry.initialDelayMs; ; attempt++, delay = Math.min(delay * 2, retry.maxDelayMs)) {
        try {
          return await once(url, init);
        } catch (error) {
          // An answer the server never got leaves its question open for ever: a server restarted
          // on its state waits for the answer to the question the previous process asked
          // (2025-11-25 basic/transports: resumability and redelivery), so send it again once
          // the server is back. Other requests fail at once, as before (the streams reconnect).
          const network = networkReason(error) !== undefined;
          if (!network || init.method !== 'POST' || init.signal?.aborted || closing.signal.aborted || attempt >= retry.maxAttempts || !onlyResponses(init.body)) throw error;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, delay);
            function done() { clearTimeout(timer); closing.signal.removeEventListener('abort', done); resolve(); }
            closing.signal.addEventListener('abort', done, { once: true });
          });
          if (closing.signal.aborted) throw error;
        }
      }
    },
    keepSession() { keep = true; },
    close: () => { closing.abort(); return agent.destroy(); },
  };
}
