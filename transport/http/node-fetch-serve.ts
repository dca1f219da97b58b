/**
 * A `Request -> Response` handler served on Node requests (`toNodeListener`, node-adapter.ts),
 * through WHATWG Request/Response conversion with backpressure. Loaded on the first request
 * to such a handler: the MCP handlers are served as exchanges (node-exchange.ts) without it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FetchHandler } from './node-adapter.ts';
import { bodyConsumed, coalesce, consumedBodyReply, drained } from './node-exchange.ts';

/** Serve one Node request with `handler`; `parsed` is the text of a body a framework already read. */
export async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, parsed: string | undefined): Promise<void> {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  // A small body of announced length (a JSON-RPC message, usually) is read here and handed
  // over whole: a Request over bytes costs about half as much as one over a stream.
  const length = Number(req.headers['content-length']);
  if (hasBody && parsed === undefined && bodyConsumed(req)) {
    const reply = consumedBodyReply();
    res.writeHead(reply.status, reply.headers).end(reply.body);
    return;
  }
  const body = !hasBody ? undefined
    : parsed !== undefined ? parsed
    : Number.isSafeInteger(length) && length <= SMALL_BODY_BYTES ? await readSmallBody(req)
      : Readable.toWeb(req) as ReadableStream<Uint8Array>;
  // The client leaving before the reply ends aborts the request's signal, as fetch runtimes do:
  // a 2026-07-28 call is cancelled by it (basic/transports).
  const gone = new AbortController();
  const onGone = () => { if (!res.writableEnded) gone.abort(new Error('the client closed the connection')); };
  res.once('close', onGone);
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method, headers, signal: gone.signal,
    ...(body instanceof Uint8Array || typeof body === 'string' ? { body } : body ? { body, duplex: 'half' } : {}),
  } as RequestInit);
  const response = await handler(request);
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => { outHeaders[key] = value; });
  res.writeHead(response.status, outHeaders);
  if (!response.body) {
    res.end();
    return;
  }
  // Headers and the chunks the body already holds (an SSE reply's priming event, message
  // and end) leave in one write rather than one each: on loopback every write wakes the
  // peer, which then parses one more packet. The cork is lifted once the reads that are
  // ready have run, so an idle stream's headers still go out at once.
  coalesce(res);
  res.flushHeaders();
  const reader = response.body.getReader();
  const onClose = () => { void reader.cancel().catch(() => {}); };
  res.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      coalesce(res);
      if (!res.write(value)) await drained(res);
      if (res.destroyed) break;
    }
  } finally {
    res.off('close', onClose);
    res.end();
  }
}

/** Largest body (by `Content-Length`) read before the handler is called. */
const SMALL_BODY_BYTES = 64 * 1024;

function readSmallBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => { if (!req.complete) reject(new Error('the client closed the connection before its request body ended')); });
  });
}
