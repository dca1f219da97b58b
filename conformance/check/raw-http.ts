/**
 * Raw HTTP exchanges for the transport checks: one request, its status, headers and body,
 * with SSE bodies decoded into events. Nothing here follows the protocol on the caller's
 * behalf, so a check can send exactly the malformed request it means to.
 */
import { createSseDecoder, type SseEvent } from 'mcpwire/transport';

/** One HTTP exchange as the checks see it. */
export interface RawReply {
  readonly status: number;
  readonly headers: Headers;
  /** The `content-type` without parameters, lower-case ('' when absent). */
  readonly contentType: string;
  /** The body as text (JSON replies and errors); '' for SSE. */
  readonly text: string;
  /** The SSE events read (SSE replies only). */
  readonly events: readonly SseEvent[];
  /** The JSON-RPC messages in the body: the JSON object, or each SSE event's data. */
  readonly messages: readonly Record<string, unknown>[];
  /** The SSE read ended because `until` was satisfied or the window closed, not because the server ended it. */
  readonly cut: boolean;
}

/** Options of one raw request. */
export interface RawRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string | undefined>;
  body?: unknown;
  /** Whole exchange bound, ms. */
  timeoutMs: number;
  /** Stop reading an SSE body once this returns true for the events so far (the body is cancelled). */
  until?: (events: readonly SseEvent[]) => boolean;
  /** Stop reading an SSE body after this many ms without ending it (a standing stream). */
  windowMs?: number;
}

/** The exchange text of a finding: request line and reply status plus the start of the body. */
export function describeExchange(method: string, headers: Record<string, string | undefined>, body: unknown, reply: RawReply | undefined): string {
  const shown = Object.entries(headers).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`).join('; ');
  const sent = `${method} [${shown}]${body === undefined ? '' : ` ${typeof body === 'string' ? body : JSON.stringify(body)}`}`;
  if (!reply) return `${sent} -> no reply`;
  const got = reply.events.length > 0 ? reply.events.map((e) => `${e.id === undefined ? '' : `id:${e.id} `}${e.data}`).join(' | ') : reply.text;
  return `${sent} -> ${reply.status} ${reply.contentType} ${got}`;
}

function parseMessages(text: string): Record<string, unknown>[] {
  if (text.trim() === '') return [];
  try {
    const value = JSON.parse(text) as unknown;
    const list = Array.isArray(value) ? value : [value];
    return list.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null);
  } catch {
    return []; // a non-JSON body: the caller reports what it expected
  }
}

async function readSse(body: ReadableStream<Uint8Array>, options: RawRequest, deadline: number): Promise<{ events: SseEvent[]; cut: boolean }> {
  const events: SseEvent[] = [];
  const decoder = createSseDecoder({ onEvent: (e) => events.push(e), onError: () => undefined });
  const reader = body.getReader();
  const windowEnd = options.windowMs === undefined ? deadline : Math.min(deadline, Date.now() + options.windowMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => { timer = setTimeout(() => resolve('expired'), Math.max(0, windowEnd - Date.now())); });
  try {
    for (;;) {
      if (options.until?.(events) === true) return { events, cut: true };
      const next = await Promise.race([reader.read(), expired]);
      if (next === 'expired') return { events, cut: true };
      if (next.done) {
        decoder.end();
        return { events, cut: false };
      }
      decoder.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
}

/** Send one request to `url`; resolves with the reply or rejects on network failure or timeout. */
export async function rawRequest(url: string, options: RawRequest): Promise<RawReply> {
  const method = options.method ?? 'POST';
  const headers = new Headers();
  for (const [k, v] of Object.entries(options.headers ?? {})) if (v !== undefined) headers.set(k, v);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const deadline = Date.now() + options.timeoutMs;
  const response = await fetch(url, { method, headers, signal: AbortSignal.timeout(options.timeoutMs), ...(body === undefined ? {} : { body }) });
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === 'text/event-stream' && response.body) {
    const { events, cut } = await readSse(response.body, options, deadline);
    const messages = events.flatMap((e) => parseMessages(e.data));
    return { status: response.status, headers: response.headers, contentType, text: '', events, messages, cut };
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, contentType, text, events: [], messages: parseMessages(text), cut: false };
}
