/**
 * Test support for the HTTP client transport (not part of the library): a scripted
 * in-process server reached through the transport's injectable fetch, SSE bodies the test
 * writes and cuts event by event, a server that replays a stream from `Last-Event-ID`,
 * recording timers, and a collector of what the transport reports.
 */
import type { JsonRpcMessage, RequestId, TransportHandlers } from '../../protocol/index.ts';
import type { FetchInit, FetchLike } from './client-fetch.ts';
import { createHttpClientTransport } from './client.ts';

/** One request the fake server received. */
export interface FakeCall {
  method: FetchInit['method'];
  headers: Record<string, string>;
  /** The parsed JSON body of a POST. */
  body: unknown;
}

/** A fetch that hands each call to `handler` and logs it in `calls`. */
export function createFakeFetch(handler: (call: FakeCall) => Response | Promise<Response>): { fetch: FetchLike; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const call: FakeCall = { method: init.method, headers: { ...init.headers }, body: init.body === undefined ? undefined : JSON.parse(init.body) };
    calls.push(call);
    return handler(call);
  };
  return { fetch, calls };
}

/** A JSON response. */
export function jsonResponse(value: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(value), {
    status: init.status ?? 200,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
}

/** One SSE event as the fake writes it. */
export interface FakeEvent {
  id?: string;
  data?: unknown;
  retry?: number;
  event?: string;
}

/** SSE text of one event; `data` objects are JSON-encoded; absent data is a priming event. */
export function sseText(event: FakeEvent): string {
  let text = '';
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.retry !== undefined) text += `retry: ${event.retry}\n`;
  const data = event.data === undefined ? '' : typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return `${text}data: ${data}\n\n`;
}

/** An SSE response whose body the test writes and ends at will. */
export interface SseWriter {
  response: Response;
  write(text: string): void;
  event(event: FakeEvent): void;
  end(): void;
  fail(error?: Error): void;
  /** Resolves when the client cancelled the body. */
  cancelled: Promise<void>;
}

/** Create an SSE response to write into. */
export function sseWriter(headers: Record<string, string> = {}): SseWriter {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let markCancelled!: () => void;
  const cancelled = new Promise<void>((resolve) => (markCancelled = resolve));
  const body = new ReadableStream<Uint8Array>({
    start: (c) => { controller = c; },
    cancel: () => markCancelled(),
  });
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } }),
    write: (text) => controller.enqueue(encoder.encode(text)),
    event: (event) => controller.enqueue(encoder.encode(sseText(event))),
    end: () => controller.close(),
    fail: (error) => controller.error(error ?? new TypeError('network connection lost')),
    cancelled,
  };
}

/**
 * A response that writes `events` one per pull (so none is lost when it then fails), then
 * ends the stream the way `cut` says: `end` (the server closed it), `error` (the network
 * dropped), `hang` (stays open), or `mid-event` (half an event, then an error).
 */
export function scriptedSse(events: string[], cut: 'end' | 'error' | 'hang' | 'mid-event', onCancel?: () => void): Response {
  const encoder = new TextEncoder();
  let at = 0;
  let halfSent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = events[at++];
      if (next !== undefined) return controller.enqueue(encoder.encode(next));
      if (cut === 'end') controller.close();
      else if (cut === 'error') controller.error(new TypeError('network connection lost'));
      else if (cut === 'mid-event' && !halfSent) {
        halfSent = true;
        controller.enqueue(encoder.encode('id: half\ndata: {"jsonrpc":"2.0",'));
      } else if (cut === 'mid-event') controller.error(new TypeError('network connection lost'));
      // 'hang': enqueue nothing; the read stays pending until the client cancels.
    },
    cancel: () => onCancel?.(),
  }, { highWaterMark: 0 });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/** Options of {@link createReplayServer}. */
export interface ReplayServerOptions {
  /** Progress notifications before the response of each tools/call. Default 5. */
  progressCount?: number;
  /** Events (after the priming one) written on connection i before it is cut; the last entry repeats. */
  plan?: number[];
  cut?: 'end' | 'error' | 'mid-event';
  /** `retry` sent with the priming event. */
  retry?: number;
  /** Send a priming event (id, empty data) first. Default true. */
  priming?: boolean;
  sessionId?: string;
  /** Status for GET without Last-Event-ID. Default 405. */
  standaloneStatus?: number;
}

/**
 * A server that answers tools/call with an SSE stream [priming, progress..., response],
 * cuts each connection by the plan, and replays the stream from `Last-Event-ID` on GET.
 * Event ids are `<stream>.<index>`, so they name their stream.
 */
export function createReplayServer(options: ReplayServerOptions = {}) {
  const progressCount = options.progressCount ?? 5;
  const plan = options.plan ?? [Infinity];
  const cut = options.cut ?? 'end';
  const priming = options.priming ?? true;
  const sessionId = options.sessionId ?? 'session-1';
  const streams = new Map<string, { events: string[]; connections: number }>();
  let nextStream = 0;
  const resumes: string[] = [];

  function connection(streamId: string, from: number): Response {
    const stream = streams.get(streamId)!;
    const k = plan[Math.min(stream.connections, plan.length - 1)] ?? Infinity;
    const first = stream.connections === 0;
    stream.connections++;
    const count = first && priming ? k + 1 : k;
    const slice = stream.events.slice(from, from + count);
    const complete = from + count >= stream.events.length;
    return scriptedSse(slice, complete ? 'end' : cut);
  }

  const fake = createFakeFetch((call) => {
    if (call.method === 'DELETE') return new Response(null, { status: 200 });
    if (call.method === 'GET') {
      const last = call.headers['last-event-id'];
      if (last === undefined) return new Response(null, { status: options.standaloneStatus ?? 405 });
      resumes.push(last);
      const [streamId, index] = last.split('.');
      if (streamId === undefined || !streams.has(streamId)) return jsonResponse({ jsonrpc: '2.0', error: { code: -32000, message: 'unknown event id' } }, { status: 400 });
      return connection(streamId, Number(index) + 1);
    }
    const message = call.body as JsonRpcMessage;
    if (!('id' in message) || !('method' in message)) return new Response(null, { status: 202 });
    if (message.method === 'initialize') {
      return jsonResponse({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'fake', version: '1' } } },
        { headers: { 'mcp-session-id': sessionId } });
    }
    const streamId = `s${nextStream++}`;
    const events: string[] = [];
    let index = 0;
    if (priming) events.push(sseText({ id: `${streamId}.${index++}`, ...(options.retry !== undefined ? { retry: options.retry } : {}) }));
    for (let p = 1; p <= progressCount; p++) {
      events.push(sseText({ id: `${streamId}.${index++}`, data: { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: message.id, progress: p } } }));
    }
    events.push(sseText({ id: `${streamId}.${index++}`, data: { jsonrpc: '2.0', id: message.id, result: { content: [] } } }));
    streams.set(streamId, { events, connections: 0 });
    return connection(streamId, 0);
  });
  return { ...fake, resumes, sessionId };
}

/** Timers that record each delay and fire it at once (on the next macrotask). */
export function createAutoTimers() {
  const delays: number[] = [];
  const cleared = new Set<object>();
  return {
    delays,
    setTimeout(fn: () => void, ms: number): unknown {
      delays.push(ms);
      const handle = {};
      setImmediate(() => {
        if (!cleared.has(handle)) fn();
      });
      return handle;
    },
    clearTimeout(handle: unknown): void {
      cleared.add(handle as object);
    },
  };
}

/**
 * Timers stepped one at a time: each fires only when the test says so (protocol/manual-timers.ts
 * instead moves a clock).
 */
export function createSteppedTimers() {
  const pending: Array<{ fn: () => void; ms: number; handle: object }> = [];
  let waiter: (() => void) | undefined;
  return {
    pending,
    setTimeout(fn: () => void, ms: number): unknown {
      const handle = {};
      pending.push({ fn, ms, handle });
      waiter?.();
      return handle;
    },
    clearTimeout(handle: unknown): void {
      const i = pending.findIndex((p) => p.handle === handle);
      if (i >= 0) pending.splice(i, 1);
    },
    /** Resolves with the delay of the next timer once one is scheduled. */
    async next(): Promise<number> {
      if (pending.length === 0) await new Promise<void>((resolve) => (waiter = resolve));
      waiter = undefined;
      return pending[0]!.ms;
    },
    fire(): void {
      pending.shift()?.fn();
    },
  };
}

/** What a transport reported, with a way to await a condition (bounded by a real timeout). */
export function createCollector() {
  const messages: Array<{ payload: unknown; relatedRequestId: RequestId | undefined }> = [];
  const errors: Error[] = [];
  const failed: Array<{ id: RequestId; error: Error }> = [];
  let closes = 0;
  const checks = new Set<() => void>();
  const poke = (): void => { for (const check of [...checks]) check(); };
  const handlers: TransportHandlers = {
    onMessage(payload, extra) { messages.push({ payload, relatedRequestId: extra?.relatedRequestId }); poke(); },
    onError(error) { errors.push(error); poke(); },
    onClose() { closes++; poke(); },
    onRequestFailed(id, error) { failed.push({ id, error }); poke(); },
  };
  return {
    handlers, messages, errors, failed,
    get closes() { return closes; },
    /** Re-check pending conditions after a change the handlers do not see (a fake server's). */
    poke,
    /** Resolve once `condition()` holds; reject after `timeoutMs` with `label`. */
    until(condition: () => boolean, label: string, timeoutMs = 2_000): Promise<void> {
      if (condition()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!condition()) return;
          checks.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => { checks.delete(check); reject(new Error(`timed out waiting for ${label}`)); }, timeoutMs);
        checks.add(check);
      });
    },
  };
}

/**
 * Send `message` on a 2025-11-25 session transport whose POSTs `reply` answers (a fresh
 * Response each time when a function): the send's error, if any, and what was handed up.
 */
export async function sendAnswered(reply: Response | (() => Response), message: JsonRpcMessage): Promise<{ error: unknown; handedUp: unknown[] }> {
  const fake = createFakeFetch(() => (typeof reply === 'function' ? reply() : reply));
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', fetch: fake.fetch, sessionId: 's', protocolVersion: '2025-11-25', openStandaloneStream: false });
  await transport.start(collector.handlers);
  let error: unknown;
  await transport.send(message).catch((e: unknown) => { error = e; });
  await transport.close();
  return { error, handedUp: collector.messages.map((m) => m.payload) };
}
