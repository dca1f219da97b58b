// Read JSON-RPC messages from an SSE response as they arrive, awaiting the one a test needs
// (bounded by a timeout, so a broken server fails the test instead of hanging it).
import { createSseDecoder } from '../transport/sse/decode.ts';

type Message = Record<string, any>;

/** The JSON-RPC messages of one SSE response, read on demand. */
export class SseMessages {
  readonly seen: Message[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder: ReturnType<typeof createSseDecoder>;
  #read = 0;

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
    this.#decoder = createSseDecoder({
      onEvent: (ev) => { if (ev.data !== '') this.seen.push(JSON.parse(ev.data) as Message); },
      onError: (e) => { throw e; },
    });
  }

  /**
   * The next message (after those already returned) matching `match`; the ones skipped
   * stay in `seen`. Rejects when the stream ends first or after `timeoutMs`.
   */
  async next(match: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#read < this.seen.length) {
        const m = this.seen[this.#read++]!;
        if (match(m)) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; saw ${JSON.stringify(this.seen).slice(0, 500)}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), left); });
      const { done, value } = await Promise.race([this.#reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (done) throw new Error(`the stream ended before a matching message; saw ${JSON.stringify(this.seen).slice(0, 500)}`);
      this.#decoder.push(value);
    }
  }

  /** Stop reading (the connection closes). */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }
}

/** The JSON-RPC answer to request `id` in a POST's reply, a JSON body or an SSE stream (read until it comes, then closed). */
export async function answerOf(res: Response, id: number): Promise<Record<string, any>> {
  if (res.headers.get('content-type')?.startsWith('application/json')) return await res.json() as Record<string, any>;
  const stream = new SseMessages(res);
  try {
    return await stream.next((m) => m.id === id && !('method' in m));
  } finally {
    await stream.cancel();
  }
}
