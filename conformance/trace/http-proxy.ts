/**
 * `mcpwire trace --listen HOST:PORT --target URL`: a reverse proxy on loopback that passes
 * every POST, GET and DELETE to the target and every response back, streaming (SSE events
 * reach the client as they come), with the body bytes, statuses and headers unchanged but
 * for the hop-by-hop ones and `Host` (2025-11-25 basic/transports: Streamable HTTP). A client
 * that goes away has its upstream request aborted too (in 2026-07-28, closing a stream
 * cancels its request). The bodies are passed on first; their analysis is queued for later
 * turns of the event loop (deferred.ts), bounded, never slowing the copy.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as upstream } from 'undici';
import type { ObserveContext, TraceCorrelator } from './correlate.ts';
import { DeferredAnalysis } from './deferred.ts';
import { DeferredStream } from './deferred-stream.ts';
import type { TraceDirection, TraceHttp } from './record.ts';
import { sseFraming } from './sse-framing.ts';
import { tapRequestBody, type TappedBody } from './request-tap.ts';

export interface HttpTraceOptions {
  /** Where the tracer listens. Default 127.0.0.1, port 0 (any free port). */
  host?: string;
  port?: number;
  /** The MCP endpoint to pass requests to, e.g. http://127.0.0.1:3000/mcp. */
  target: string;
  correlator: TraceCorrelator;
  /** Largest body observed in full (larger ones pass unchanged, reported by size). Default 4 MiB. */
  maxBodyBytes?: number;
  /** Bytes waiting for analysis at most; past it, messages pass unanalysed and are counted. Default 16 MiB. */
  maxQueuedBytes?: number;
}

export interface HttpTrace {
  /** The tracer's own URL with the target's path: point the client here. */
  readonly url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
const MCP_HEADERS = ['mcp-session-id', 'mcp-protocol-version', 'last-event-id', 'mcp-method', 'mcp-name'];

/** Start the HTTP tracer; resolves once it listens. */
export async function traceHttp(options: HttpTraceOptions): Promise<HttpTrace> {
  const target = new URL(options.target);
  const max = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const { correlator } = options;
  const queue = new DeferredAnalysis({
    ...(options.maxQueuedBytes !== undefined ? { maxQueuedBytes: options.maxQueuedBytes } : {}),
    onSkipped: (count, direction) => correlator.observeSkipped(count, direction, { transport: 'http' }),
  });
  /** Queue the analysis of one message of `bytes` bytes, or count it as skipped. */
  const later = (bytes: number, direction: TraceDirection, run: () => void) => {
    if (!queue.enqueue(bytes, run)) queue.skip(1, direction);
  };
  let exchanges = 0;
  /** SSE streams open per session, and the sessions among them the client DELETEd: their streams end with them. */
  const openStreams = new Map<string, number>();
  const deleted = new Set<string>();
  const server = createServer((req, res) => {
    const exchange = ++exchanges;
    void pass(req, res, exchange).catch((error: Error) => {
      later(0, 'client-to-server', () => correlator.observeHttp('client-to-server', { transport: 'http', http: { method: req.method ?? '?', exchange } }, `the tracer could not reach the target: ${error.message}`));
      if (!res.headersSent && !res.destroyed) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end();
    });
  });

  async function pass(req: IncomingMessage, res: ServerResponse, exchange: number): Promise<void> {
    const method = req.method ?? 'GET';
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    const url = new URL(req.url ?? '/', target);
    // The body goes on as it comes; the tracer keeps a bounded copy for its analysis.
    const tap = method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : tapRequestBody(req, max);
    const reqHttp: TraceHttp = { method, exchange, headers: pick(req.headers) };
    const session = headerOf(req.headers['mcp-session-id']);
    const abort = new AbortController();
    res.once('close', () => { if (!res.writableFinished) abort.abort(); });
    let answer: Awaited<ReturnType<typeof upstream>>;
    try {
      answer = await upstream(url, { method: method as 'POST', headers, ...(tap ? { body: tap.stream } : {}), signal: abort.signal });
    } catch (error) {
      // The request went out (or was meant to) without an answer: show it all the same, then
      // why it has none. A client that leaves before the first byte is cancelling it (2026-07-28
      // basic/transports: closing the request's stream cancels it; the Python SDK does this).
      const ctx = { transport: 'http' as const, http: reqHttp, ...(session ? { session } : {}) };
      const why = abort.signal.aborted
        ? `${method} #${exchange}: the client closed the request before the server answered (in 2026-07-28 this cancels it)`
        : `the tracer could not reach the target: ${(error as Error).message}`;
      if (!res.headersSent && !res.destroyed) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end();
      if (tap && !tap.ended()) tap.stream.destroy(); // nobody takes the rest of the upload now
      const body = tap ? await tap.done : undefined;
      if (method === 'POST' && body?.bytes) { const bytes = body.bytes; later(bytes.length, 'client-to-server', () => correlator.observeText(bytes.toString('utf8'), 'client-to-server', ctx)); }
      later(0, 'client-to-server', () => correlator.observeHttp('client-to-server', ctx, why));
      return;
    }
    const outHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) outHeaders[name] = value;
    res.writeHead(answer.statusCode, outHeaders);
    res.flushHeaders();

    // Observe the request after it went out, with what the response said about it.
    const replySession = headerOf(answer.headers['mcp-session-id']) ?? session;
    const calls: Array<string | number> = [];
    const requestCtx = { transport: 'http' as const, http: { ...reqHttp, status: answer.statusCode }, ...(replySession ? { session: replySession } : {}) };
    const lastEventId = headerOf(req.headers['last-event-id']);
    if (method === 'GET') {
      later(0, 'client-to-server', () => correlator.observeHttp('client-to-server', requestCtx, lastEventId
        ? `GET with Last-Event-ID ${lastEventId}: the client resumes the stream that event belongs to (resumability)`
        : 'GET: the client opens the session\'s standalone stream for server messages'));
    } else if (method === 'DELETE') {
      if (session !== undefined && openStreams.has(session)) deleted.add(session);
      later(0, 'client-to-server', () => correlator.observeHttp('client-to-server', requestCtx, 'DELETE: the client ends its session and the streams it holds (session management)'));
    } else if (tap) {
      // The server normally answers once it has the whole body, so the request is queued
      // before anything of its answer; a server that answers before the upload ended has the
      // request analysed when it ends.
      const observe = (body: TappedBody) => {
        if (body.bytes === undefined && body.complete) later(0, 'client-to-server', () => correlator.observeOversize(body.size, 'client-to-server', requestCtx));
        else if (body.bytes === undefined) later(0, 'client-to-server', () => correlator.observeHttp('client-to-server', requestCtx, `${method} #${exchange}: the request body broke off after ${body.size} bytes`));
        else if (body.size > 0) {
          const bytes = body.bytes;
          later(bytes.length, 'client-to-server', () => {
            const text = bytes.toString('utf8');
            collectIds(text, calls);
            correlator.observeText(text, 'client-to-server', requestCtx);
          });
        }
      };
      const ended = tap.ended();
      if (ended) observe(ended);
      else void tap.done.then(observe);
    }

    const type = headerOf(answer.headers['content-type']) ?? '';
    const responseCtx = (eventId?: string): ObserveContext => ({
      transport: 'http' as const, http: { method, exchange, status: answer.statusCode, ...(eventId ? { eventId } : {}), headers: pick(answer.headers) },
      ...(replySession ? { session: replySession } : {}), streamCalls: calls,
    });
    if (type.startsWith('text/event-stream')) {
      const events = new DeferredStream(queue, 'server-to-client', sseFraming((e) => correlator.observeText(e.data, 'server-to-client', responseCtx(e.id)), {
        maxEventChars: max, onOversize: (chars) => correlator.observeOversize(chars, 'server-to-client', responseCtx()),
      }));
      let cut = false;
      if (replySession !== undefined) openStreams.set(replySession, (openStreams.get(replySession) ?? 0) + 1);
      try {
        for await (const chunk of answer.body) {
          if (res.destroyed) break; // the client went away: this never reached it
          res.write(chunk);
          events.write(chunk as Buffer);
        }
      } catch {
        cut = true;
      }
      // A cut is passed on as a cut: ending the response cleanly would tell the client the
      // stream was whole, and it would not resume it (2025-11-25 basic/transports: resumability).
      if (cut) res.destroy();
      else res.end();
      events.end();
      const end = streamEnd(method, exchange, !cut && !abort.signal.aborted, abort.signal.aborted, replySession !== undefined && deleted.has(replySession));
      if (replySession !== undefined) {
        const left = (openStreams.get(replySession) ?? 1) - 1;
        if (left > 0) openStreams.set(replySession, left);
        else { openStreams.delete(replySession); deleted.delete(replySession); }
      }
      later(0, 'server-to-client', () => correlator.observeHttp('server-to-client', responseCtx(), end));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of answer.body) {
        res.write(chunk);
        size += (chunk as Buffer).length;
        if (size <= max) chunks.push(chunk as Buffer);
      }
    } catch {
      // The server (or the client) cut the body: the client gets it cut too, never a short
      // body ended cleanly that it would take for a whole one.
      res.destroy();
      const why = abort.signal.aborted
        ? `${method} #${exchange}: the client closed the response before its body ended`
        : `${method} #${exchange}: the server cut the response body after ${size} bytes; the client got it cut too`;
      later(0, 'server-to-client', () => correlator.observeHttp('server-to-client', responseCtx(), why));
      return;
    }
    res.end();
    if (size > max) later(0, 'server-to-client', () => correlator.observeOversize(size, 'server-to-client', responseCtx()));
    else if (size > 0 && type.includes('json')) later(size, 'server-to-client', () => correlator.observeText(Buffer.concat(chunks).toString('utf8'), 'server-to-client', responseCtx()));
    else if (answer.statusCode >= 400 || size === 0) {
      later(0, 'server-to-client', () => correlator.observeHttp('server-to-client', responseCtx(), `${method} #${exchange} answered ${answer.statusCode}${size === 0 ? ' with no body' : ''}`));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}${target.pathname}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        queue.drain();
        resolve();
      });
    }),
  };
}

/**
 * How an SSE stream ended, said without blaming a cut on a normal end (2025-11-25
 * basic/transports): the server ended it; the client closed it itself (leaving, cancelling,
 * or before its DELETE: closing is no fault); it ended with a session the client DELETEd; or
 * the connection to the server broke first, which a client resumes from.
 */
function streamEnd(method: string, exchange: number, ended: boolean, clientClosed: boolean, sessionDeleted: boolean): string {
  if (ended) return `${method} #${exchange}: the server ended the SSE stream`;
  if (sessionDeleted) return `${method} #${exchange}: the SSE stream ended with its session (the client's DELETE)`;
  if (clientClosed) return `${method} #${exchange}: the client closed the SSE stream before the server ended it`;
  return `${method} #${exchange}: the SSE stream was cut before it ended (a client resumes with GET and Last-Event-ID)`;
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function pick(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of MCP_HEADERS) {
    const v = headerOf(headers[name]);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The ids of the requests a POST body carries (its stream's server messages belong to them). */
function collectIds(text: string, into: Array<string | number>): void {
  try {
    const parsed: unknown = JSON.parse(text);
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      if (m && typeof m === 'object' && 'method' in m && 'id' in m) {
        const id = (m as { id: unknown }).id;
        if (typeof id === 'string' || typeof id === 'number') into.push(id);
      }
    }
  } catch { /* not JSON: the correlator reports it */ }
}
