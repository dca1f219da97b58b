/**
 * What the sessions of one legacy Streamable HTTP server share (server-session.ts), and why a
 * session ends: one object per server, not per session.
 */
import type { SessionEventStore } from '../event-store/index.ts';
import type { PendingRequestBudget } from './server-quotas.ts';
import type { InflightLedgerShared } from './server-inflight.ts';
import type { HttpSession } from './server-session.ts';
import type { ServerStream, StreamSettings } from './server-stream.ts';

/** The standalone GET stream's id within its session. */
export const STANDALONE = 'standalone';

/**
 * 2025-11-25 basic/transports: from this version a stream starts with a priming event (an id,
 * empty data) and a retry hint, so the server may close it and the client resumes by polling.
 */
export function pollsAt(version: string | undefined): boolean {
  return version !== undefined && version >= '2025-11-25';
}

/**
 * A POST stream's `closeConnection` (SSE polling): ends its connection and keeps the stream,
 * false when the session's version has no priming event, since only a stream that sent one
 * can be resumed (2025-11-25 basic/transports).
 */
export function connectionCloser(stream: { disconnect(): void }, session: { readonly protocolVersion: string | undefined }): () => boolean {
  return () => {
    if (!pollsAt(session.protocolVersion)) return false;
    stream.disconnect();
    return true;
  };
}

/** What every session of one server shares (one object per server, not per session). */
export interface HttpSessionShared {
  store: SessionEventStore;
  settings: StreamSettings;
  retryMs: number;
  maxConnectionMs: number | undefined;
  recoverInflight: boolean;
  /** Server-wide cap on server-to-client requests awaiting answers. */
  budget?: PendingRequestBudget;
  /** What every session's in-flight ledger shares. */
  ledger: InflightLedgerShared;
  /**
   * With a store shared by several instances: this instance's mark in its POST stream ids,
   * so two instances serving one session never write to the same stream.
   */
  streamTag?: string;
  /**
   * With a shared store: a response waits for the session's queued saves, so the client's
   * next request, wherever the balancer sends it, finds what this one saved (its session).
   */
  awaitSavesBeforeResponses?: boolean;
  /** With a shared store: re-run the calls dead instances left in the session (server.ts). */
  adoptInterrupted?(session: HttpSession): Promise<void>;
  now(): number;
  onClosed(session: HttpSession): void;
}

/** Why a session ends: the client deleted it or it expired, or the server is shutting down. */
export type SessionEnd = 'ended' | 'shutdown';

/** A stream finished: its store is told (it may drop the history after its retention). */
export function endInStore(stream: ServerStream, shared: Pick<HttpSessionShared, 'settings' | 'store'>): void {
  // A memory store is told synchronously (no promise a call).
  const sync = shared.settings.sync;
  if (sync) sync.endNow(stream.key);
  // A stream whose store refused a message was reported then: its end's refusal is the same cause.
  else shared.store.endStream?.(stream.key).catch((e: Error) => { if (!stream.storeFailed) shared.settings.onError(e); });
}
