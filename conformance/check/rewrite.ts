/**
 * Rewrites the JSON-RPC messages of a response (a JSON body or an SSE stream, event by event
 * as it flows), for the fault servers. A mapper returns the message, several, or none.
 */
import { createSseDecoder } from 'mcpwire/transport';
import type { Obj } from '../validate-schema-checks.ts';

/** Maps one message (with its SSE event id, if any) to what is sent instead. */
export type MessageMapper = (message: Obj, eventId: string | undefined) => Obj | Obj[] | undefined;

function toList(value: Obj | Obj[] | undefined): Obj[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * `response` with every message passed through `map`; other bodies pass unchanged. `retry`
 * fields pass through as they came (a client must wait them out before reconnecting);
 * `onEnd` is told when the server's stream ends (the connection closed).
 */
export async function mapResponseMessages(response: Response, map: MessageMapper, onEventId?: (id: string) => void, onEnd?: () => void): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const text = await response.text();
    const out = toList(map(JSON.parse(text) as Obj, undefined));
    return new Response(out.length === 1 ? JSON.stringify(out[0]) : JSON.stringify(out), { status: response.status, headers: response.headers });
  }
  if (!type.startsWith('text/event-stream') || !response.body) return response;
  const encoder = new TextEncoder();
  const reader = response.body.getReader();
  let queue: string[] = [];
  const decoder = createSseDecoder({
    onEvent(e) {
      const idLine = e.id === undefined ? '' : `id: ${e.id}\n`;
      if (e.id !== undefined) onEventId?.(e.id); // priming events (no data) included
      if (e.data === '') {
        queue.push(`${idLine}data: \n\n`);
        return;
      }
      const mapped = toList(map(JSON.parse(e.data) as Obj, e.id));
      mapped.forEach((m, i) => queue.push(`${i === 0 ? idLine : ''}data: ${JSON.stringify(m)}\n\n`));
    },
    // 2025-11-25 basic/transports: the server SHOULD send retry before it closes a connection.
    onRetry: (ms) => { queue.push(`retry: ${ms}\n\n`); },
    onError: () => undefined,
  });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (queue.length > 0) {
          controller.enqueue(encoder.encode(queue.join('')));
          queue = [];
          return;
        }
        const { done, value } = await reader.read();
        if (done) {
          onEnd?.();
          decoder.end();
          if (queue.length > 0) controller.enqueue(encoder.encode(queue.join('')));
          controller.close();
          return;
        }
        decoder.push(value);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
