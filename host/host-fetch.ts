/**
 * The fetch of the host's Streamable HTTP connections: its own connection pool (no body
 * timeout: a stream may stay quiet for long), reachability told as it changes, resumptions
 * counted, and DELETE left out when the host leaves its session running. Answers to the
 * server's questions are re-sent by the transport itself (its `answerRetry` option), each
 * try through this fetch, so reachability follows them too.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from 'mcpwire/client';
import { networkReason } from './explain.ts';

/** A Streamable HTTP connection's fetch: our own pool, reachability notices, and DELETE left out when keeping the session. */
export function hostFetch(
  onReachable: (ok: boolean, reason?: string) => void, onResume: () => void,
): { fetch: FetchLike; keepSession(): void; close(): Promise<void> } {
  const agent = new Agent({ bodyTimeout: 0 });
  let keep = false;
  return {
    async fetch(url, init) {
      // Leaving calls running means leaving the session: 2025-11-25 basic/transports lets a
      // server refuse DELETE with 405, which the transport takes as "the session stays".
      if (keep && init.method === 'DELETE') return new Response(null, { status: 405 });
      if (init.method === 'GET' && init.headers['last-event-id'] !== undefined) onResume();
      try {
        const response = await undiciFetch(url, { ...init, dispatcher: agent });
        onReachable(true);
        return response as unknown as Response;
      } catch (error) {
        if (!init.signal?.aborted) onReachable(false, networkReason(error) ?? (error as Error).message);
        throw error;
      }
    },
    keepSession() { keep = true; },
    close: () => agent.destroy(),
  };
}
