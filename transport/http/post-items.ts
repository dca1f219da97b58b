/**
 * What the Streamable HTTP server (server.ts) reads from a POST's items: its requests, and
 * whether it carries the client's notifications/initialized (2025-11-25 basic/lifecycle).
 */
import type { Inbound, JsonRpcRequest } from '../../protocol/index.ts';

/** True when a POST's payload holds the client's notifications/initialized. */
export function holdsInitialized(payload: unknown): boolean {
  const items = Array.isArray(payload) ? payload as unknown[] : [payload];
  return items.some((m) => (m as { method?: unknown } | null)?.method === 'notifications/initialized');
}

/**
 * The requests among a POST's items. A loop rather than `flatMap` with an array per item:
 * that `flatMap` was ~3% of the in-process exchange loop's samples (bench/README "Session 11").
 */
export function requestsOf(items: readonly Inbound[]): JsonRpcRequest[] {
  const requests: JsonRpcRequest[] = [];
  for (const item of items) if (item.kind === 'request') requests.push(item.message);
  return requests;
}
