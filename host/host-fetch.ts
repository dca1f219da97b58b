/**
 * The fetch of the host's Streamable HTTP connections: its own connection pool (no body
 * timeout: a stream may stay quiet for long), reachability told as it changes, resumptions
 * counted, and DELETE left out when the host leaves its session running. Answers to the
 * server's questions are re-sent by the transport itself (its `answerRetry` option), each
 * try through this fetch, so reachability follows them too.
 *
 * A tool call is written ahead: its POST goes only once the call's entry is on disk, and each
 * event of its stream the host shows on delivery (the priming event, progress, log lines) is
 * passed on only once its id is on disk as the call's position (event-gate.ts). A host killed
 * at any moment leaves a position just after what it showed: the next run resumes from there
 * and shows every event it missed once.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from 'mcpwire/client';
import type { RequestId } from 'mcpwire/protocol';
import { networkReason } from './explain.ts';
import { gateEvents } from './event-gate.ts';

/** What the host's fetch needs of the call journal (journal.ts). */
export interface WriteAhead {
  /** Resolves true once what the journal holds is on disk; false when the wait was bounded first. */
  durable(): Promise<boolean>;
  /** The journalled call whose stream a GET with this Last-Event-ID resumes, if any. */
  callAt(lastEventId: string): RequestId | undefined;
  /** Events of the call's stream are about to be shown, in this order: the last id is now the call's position. */
  ahead(call: RequestId, eventIds: readonly string[]): void;
}

const NO_JOURNAL: WriteAhead = { durable: () => Promise.resolve(true), callAt: () => undefined, ahead: () => undefined };

/** A Streamable HTTP connection's fetch: our own pool, reachability notices, and DELETE left out when keeping the session. */
export function hostFetch(
  onReachable: (ok: boolean, reason?: string) => void, onResume: () => void, journal: WriteAhead = NO_JOURNAL,
): { fetch: FetchLike; keepSession(): void; close(): Promise<void> } {
  const agent = new Agent({ bodyTimeout: 0 });
  let keep = false;
  return {
    async fetch(url, init) {
      // Leaving calls running means leaving the session: 2025-11-25 basic/transports lets a
      // server refuse DELETE with 405, which the transport takes as "the session stays".
      if (keep && init.method === 'DELETE') return new Response(null, { status: 405 });
      const lastEventId = init.method === 'GET' ? init.headers['last-event-id'] : undefined;
      if (lastEventId !== undefined) onResume();
      const call = init.method === 'POST' ? toolCallId(init.body) : lastEventId !== undefined ? journal.callAt(lastEventId) : undefined;
      if (call !== undefined && init.method === 'POST') await journal.durable();
      try {
        const response = await undiciFetch(url, { ...init, dispatcher: agent }) as unknown as Response;
        onReachable(true);
        if (call === undefined || !response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
        const save = (eventIds: string[]) => { journal.ahead(call, eventIds); return journal.durable(); };
        return new Response(gateEvents(response.body, save), { status: response.status, statusText: response.statusText, headers: response.headers });
      } catch (error) {
        if (!init.signal?.aborted) onReachable(false, networkReason(error) ?? (error as Error).message);
        throw error;
      }
    },
    keepSession() { keep = true; },
    close: () => agent.destroy(),
  };
}

/** The id of a POST body that is one `tools/call` request (the journal's only kind of entry). */
function toolCallId(body: string | undefined): RequestId | undefined {
  if (body === undefined || !body.includes('"tools/call"')) return undefined;
  try {
    const message = JSON.parse(body) as { method?: unknown; id?: unknown };
    if (message === null || typeof message !== 'object' || message.method !== 'tools/call') return undefined;
    return typeof message.id === 'string' || typeof message.id === 'number' ? message.id : undefined;
  } catch {
    return undefined; // not ours to judge: the server answers it
  }
}
