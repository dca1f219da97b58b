/**
 * Raw HTTP exchanges for the transport checks: one request, its status, headers and body,
 * with SSE bodies decoded into events. Nothing here follows the protocol on the caller's
 * behalf, so a check can send exactly the malformed request it means to.
 */
import { createSseDecoder, type SseEvent } from 'mcpwire/transport';
import { describeMessage, tagInFlight } from './in-flight.ts';

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
  /** Most bytes of one reply's body read; past it the exchange fails. Default {@link DEFAULT_MAX_REPLY_BYTES}. */
  maxReplyBytes?: number;
}

/**
 * Default bound on one reply's body. A hostile server's endless body or event flood grew the
 * check by its download rate until the exchange timed out (610 MB in 10 s on loopback).
 */
export const DEFAULT_MAX_REPLY_BYTES = 16 * 1024 * 1024;

function tooLarge(max: number): Error {
  return new Error(`the reply's body exceeds ${max} bytes; the check read no more of it`);
}

/** The body as text, failing once it passes `max` bytes (the rest is not read). */
export async function readReplyText(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      size += next.value.byteLength;
      if (size > max) throw tooLarge(max);
      chunks.push(next.value);
    }
  } finally {
    // Not awaited: a branch of a teed body (a cloned request) settles its cancel only once the
    // other branch is cancelled too, which its reader does after this returns.
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
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
  const max = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  let size = 0;
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
      size += next.value.byteLength;
      if (size > max) throw tooLarge(max);
      decoder.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Send one request to `url`; resolves with the reply or rejects on network failure or timeout,
 * the error tagged with the request (in-flight.ts: the runner names it when a step stops).
 */
export async function rawRequest(url: string, options: RawRequest): Promise<RawReply> {
  try {
    return await exchange(url, options);
  } catch (error) {
    tagInFlight(error, options.body === undefined ? `${options.method ?? 'POST'} (no body)` : `${options.method ?? 'POST'} ${describeMessage(options.body)}`);
    throw error;
  }
}

async function exchange(url: string, options: RawRequest): Promise<RawReply> {
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
  const text = await readReplyText(response.body, options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES);
  return { status: response.status, headers: response.headers, contentType, text, events: [], messages: parseMessages(text), cut: false };
}
