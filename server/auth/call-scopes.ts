/**
 * Scopes per call: a server may ask more of a token for some methods or tools than for the
 * rest (e.g. `tools/call` of a tool that writes). The body is read to learn the call, never
 * headers alone (a 2025 request's headers are not checked against its body), and handed on.
 */
import { readBody } from '../../transport/http/server-guards.ts';
import type { InboundRequest, ServerReply } from '../../transport/http/exchange.ts';

/** One call a POST makes: its method, and the tool or prompt name or resource URI it names. */
export interface ScopedCall {
  readonly method: string;
  readonly name?: string | undefined;
}

/** The scopes a call needs beyond the resource's required scopes. */
export type ScopesFor = (call: ScopedCall) => readonly string[];

function callOf(message: unknown): ScopedCall | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as { method?: unknown; params?: { name?: unknown; uri?: unknown } };
  if (typeof m.method !== 'string') return undefined;
  const name = typeof m.params?.name === 'string' ? m.params.name : typeof m.params?.uri === 'string' ? m.params.uri : undefined;
  return { method: m.method, name };
}

/**
 * The calls of a POST (a 2025-03-26 batch may hold several) and its body; a reply when the
 * body is too large. Unparsable bodies make no calls: the endpoint reports them.
 */
export async function callsOf(request: InboundRequest, maxBodyBytes: number): Promise<{ calls: ScopedCall[]; body: string | undefined } | ServerReply> {
  if (request.method !== 'POST') return { calls: [], body: undefined };
  const body = await readBody(request, maxBodyBytes);
  if (typeof body !== 'string') return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { calls: [], body };
  }
  const calls = (Array.isArray(parsed) ? parsed : [parsed]).map(callOf).filter((c): c is ScopedCall => c !== undefined);
  return { calls, body };
}
