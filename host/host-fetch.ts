/**
 * The fetch of the host's Streamable HTTP connections: its own connection pool (no body
 * timeout: a stream may stay quiet for long), reachability told as it changes, resumptions
 * counted, and DELETE left out when the host leaves its session running. Answers to the
 * server's questions are re-sent by the transport itself (its `answerRetry` option), each
 * try through this fetch, so reachability follows them too.
 *
 * A tool call is written ahead: its POST goes only once the call's entry is on disk, and
 * what its stream carries after the first event (the priming event, whose id is where a
 * resume starts) is passed on only once that id is on disk too. A host killed at any moment
 * after it showed anything of the call leaves enough for the next run to resume it.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from 'mcpwire/client';
import { networkReason } from './explain.ts';
import { holdAfterFirstEvent } from './first-event.ts';

/** A Streamable HTTP connection's fetch: our own pool, reachability notices, and DELETE left out when keeping the session. */
export function hostFetch(
  onReachable: (ok: boolean, reason?: string) => void, onResume: () => void,
  /** Resolves once what the call journal holds is on disk (journal.ts `flush`). */
  durable: () => Promise<void> = () => Promise.resolve(),
): { fetch: FetchLike; keepSession(): void; close(): Promise<void> } {
  const agent = new Agent({ bodyTimeout: 0 });
  let keep = false;
  return {
    async fetch(url, init) {
      // Leaving calls running means leaving the session: 2025-11-25 basic/transports lets a
      // server refuse DELETE with 405, which the transport takes as "the session stays".
      if (keep && init.method === 'DELETE') return new Response(null, { status: 405 });
      if (init.method === 'GET' && init.headers['last-event-id'] !== undefined) onResume();
      const call = init.method === 'POST' && isToolCall(init.body);
      if (call) await durable();
      try {
        const response = await undiciFetch(url, { ...init, dispatcher: agent }) as unknown as Response;
        onReachable(true);
        if (!call || !response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
        return new Response(holdAfterFirstEvent(response.body, durable), { status: response.status, statusText: response.statusText, headers: response.headers });
      } catch (error) {
        if (!init.signal?.aborted) onReachable(false, networkReason(error) ?? (error as Error).message);
        throw error;
      }
    },
    keepSession() { keep = true; },
    close: () => agent.destroy(),
  };
}

/** Whether a POST body is one `tools/call` request (the journal's only kind of entry). */
function isToolCall(body: string | undefined): boolean {
  if (body === undefined || !body.includes('"tools/call"')) return false;
  try {
    const message = JSON.parse(body) as { method?: unknown };
    return message !== null && typeof message === 'object' && message.method === 'tools/call';
  } catch {
    return false; // not ours to judge: the server answers it
  }
}
