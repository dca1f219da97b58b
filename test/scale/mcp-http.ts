// Raw Streamable HTTP (2025-11-25) through the proxy, for the scale scenarios: every request
// is its own HTTP exchange, so the proxy spreads them over the instances.
import { createSseDecoder } from '../../transport/sse/decode.ts';

type Message = Record<string, any>;

/** One SSE event with its id, and when it arrived. */
export interface Arrival {
  id: string | undefined;
  message: Message | undefined;
  at: number;
}

/** Read an SSE response's events until `until` matches one (or the stream ends); bounded. */
export class SseReader {
  readonly events: Arrival[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder: ReturnType<typeof createSseDecoder>;
  #ended = false;

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
    this.#decoder = createSseDecoder({
      onEvent: (ev) => this.events.push({ id: ev.id, message: ev.data === '' ? undefined : JSON.parse(ev.data) as Message, at: Date.now() }),
      onError: () => {},
    });
  }

  get ended(): boolean { return this.#ended; }

  /** Read until an event's message matches, or the stream ends; rejects after `timeoutMs`. */
  async until(match: (m: Message) => boolean, timeoutMs = 15_000): Promise<Arrival | undefined> {
    const deadline = Date.now() + timeoutMs;
    let from = 0;
    for (;;) {
      for (; from < this.events.length; from++) if (this.events[from]!.message && match(this.events[from]!.message!)) return this.events[from];
      if (this.#ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; saw ${JSON.stringify(this.events.map((e) => e.message)).slice(0, 600)}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), left); });
      const { done, value } = await Promise.race([this.#reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (done) this.#ended = true;
      else this.#decoder.push(value);
    }
  }

  /** Read to the end of the stream (bounded). */
  async drain(timeoutMs = 15_000): Promise<void> {
    await this.until(() => false, timeoutMs);
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }
}

/** A 2025-11-25 session opened through `url`. */
export interface Session {
  id: string;
  post(message: Message, signal?: AbortSignal): Promise<Response>;
  get(lastEventId?: string, signal?: AbortSignal): Promise<Response>;
}

const VERSION = '2025-11-25';

/**
 * Whether one initialize POST through `url` is answered with a session (200 and its result).
 * A single request, so probes in a row through the round-robin proxy reach each instance in turn.
 */
export async function initializes(url: string): Promise<boolean> {
  const init = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'scale-probe', version: '1' } } }),
  });
  if (init.status !== 200) {
    await init.body?.cancel();
    return false;
  }
  return (await new SseReader(init).until((m) => m.id === 0))?.message?.result !== undefined;
}

/** Initialize a session through `url` and send `notifications/initialized`. */
export async function openSession(url: string, capabilities: Record<string, unknown> = {}): Promise<Session> {
  const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const init = await fetch(url, {
    method: 'POST', headers: base,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities, clientInfo: { name: 'scale-test', version: '1' } } }),
  });
  if (init.status !== 200) throw new Error(`initialize: ${init.status} ${await init.text()}`);
  const id = init.headers.get('mcp-session-id')!;
  await new SseReader(init).until((m) => m.id === 0);
  const headers = { ...base, 'mcp-session-id': id, 'mcp-protocol-version': VERSION };
  const session: Session = {
    id,
    post: (message, signal) => fetch(url, { method: 'POST', headers, body: JSON.stringify(message), ...(signal ? { signal } : {}) }),
    get: (lastEventId, signal) => fetch(url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': VERSION, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      ...(signal ? { signal } : {}),
    }),
  };
  const initialized = await session.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  if (initialized.status !== 202) throw new Error(`initialized: ${initialized.status} ${await initialized.text()}`);
  return session;
}
