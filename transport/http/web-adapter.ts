/**
 * The fetch-style face of the Streamable HTTP server: a WHATWG `Request` in, a `Response` out
 * (for Deno, Bun, workers, and tests that call the handler in-process).
 */
import { decodeUtf8 } from '../../protocol/utf8.ts';
import type { InboundRequest, ServerReply } from './exchange.ts';
import type { SseConnection } from './sse-connection.ts';

/** An {@link InboundRequest} reading a WHATWG `Request`. */
export function fromWebRequest(request: Request): InboundRequest {
  let record: Record<string, string> | undefined;
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    header: (name) => request.headers.get(name),
    headerRecord() {
      if (!record) {
        const out: Record<string, string> = {};
        request.headers.forEach((value, key) => { out[key] = value; });
        record = out;
      }
      return record;
    },
    text: (maxBytes) => readLimited(request, maxBytes),
    toRequest: () => request,
    // A runtime that serves fetch handlers aborts the request's signal when the client goes.
    onClientGone(listener) {
      const signal = request.signal;
      if (signal.aborted) listener();
      else signal.addEventListener('abort', listener, { once: true });
    },
  };
}

async function readLimited(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return joinText(chunks, size);
}

/** UTF-8 text of `chunks` (`size` bytes in all), with Web APIs only (this file runs on workers). */
function joinText(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 1) return decodeUtf8(chunks[0]!);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}


const encoder = new TextEncoder();

/** The `Response` for a reply; an SSE reply's body is a stream fed by its connection. */
export function toWebResponse(reply: ServerReply): Response {
  const init = { status: reply.status, headers: reply.headers };
  if (reply.sse) {
    // Complete already (a quick call): a plain body of known length, not a stream.
    const whole = reply.sse.takeEnded();
    return new Response(whole ?? sseBody(reply.sse), init);
  }
  return new Response(reply.body ?? null, init);
}

function sseBody(conn: SseConnection): ReadableStream<Uint8Array> {
  // Woken when the consumer has read the queue below its high-water mark again.
  let wake: (() => void) | undefined;
  const awake = () => { const w = wake; wake = undefined; w?.(); };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      conn.pipe({
        write(text) {
          controller.enqueue(encoder.encode(text));
          return (controller.desiredSize ?? 0) < 0;
        },
        end() {
          try { controller.close(); } catch { /* already cancelled by the consumer */ }
        },
        drained: () => new Promise<void>((resolve) => { wake = resolve; }),
      });
    },
    pull: awake,
    cancel() { awake(); conn.gone(); }, // the client went away: not a cancellation of its requests
  }, new ByteLengthQueuingStrategy({ highWaterMark: conn.maxBufferedBytes }));
}
