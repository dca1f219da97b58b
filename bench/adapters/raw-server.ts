/**
 * The raw ceiling: the same exchanges with no MCP at all. A bare `node:http` server that
 * answers each JSON-RPC POST with its params, as a JSON body or, where the row's server
 * replies in SSE, as one bare SSE event (and streams bare SSE events for progress). A session
 * starts with two POSTs and keeps one idle SSE GET open, like an MCP session's standalone
 * stream. A server-to-client round trip is one POST. Over stdio, a bare newline-JSON echo.
 */
import { createServer as createNodeServer, type ServerResponse } from 'node:http';
import type { ServerAdapter, StatsSource } from './types.ts';
import { listenLoopback } from './types.ts';

/** How long the raw HTTP server keeps an idle keep-alive socket, and waits for a request (10 minutes). */
const RAW_KEEP_ALIVE_MS = 600_000;

export interface RawRequest {
  id: number;
  method: string;
  params: { text?: string; gc?: boolean };
}

/** The answer to one JSON-RPC line or body: stats, or the params echoed. */
function answer(body: string, stats: StatsSource): string {
  const request = JSON.parse(body) as RawRequest;
  const result = request.method === 'stats' ? { text: JSON.stringify(stats.read(request.params.gc === true)) } : request.params;
  return JSON.stringify({ jsonrpc: '2.0', id: request.id, result });
}

async function streamProgress(res: ServerResponse, steps: number, stats: StatsSource): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let i = 1; i <= steps; i++) {
    const event = `id: ${i}\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: i, total: steps } })}\n\n`;
    if (!res.write(event)) await new Promise((resolve) => res.once('drain', resolve));
  }
  stats.progressDone += 1;
  res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: `done ${steps}` } })}\n\n`);
}

export const server: ServerAdapter = {
  async serveHttp(options, stats) {
    const idle = new Set<ServerResponse>();
    const http = createNodeServer((req, res) => {
      if (req.method === 'GET' && req.url?.endsWith('?idle')) {
        // The standalone stream's equivalent: headers now, then silence until the client goes.
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.flushHeaders();
        idle.add(res);
        res.once('close', () => idle.delete(res));
        return;
      }
      if (req.method === 'GET') {
        const steps = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('steps'));
        void streamProgress(res, steps, stats);
        return;
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { body += chunk; });
      req.on('end', () => {
        const out = answer(body, stats);
        if (options.json) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
          res.end(out);
          return;
        }
        // The cheapest SSE reply: one event, written with the head in one go (Node sizes it).
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(`data: ${out}\n\n`);
      });
    });
    // An idle keep-alive socket is kept for minutes, not node's 5 s: a client counted under
    // callgrind pauses longer than that between calls, and the server closing the socket under
    // it failed the raw client's count (`SocketError: other side closed`). Its headers and
    // request are waited for as long (node's 60 s and 300 s). Bench-only.
    http.keepAliveTimeout = RAW_KEEP_ALIVE_MS;
    http.headersTimeout = RAW_KEEP_ALIVE_MS;
    http.requestTimeout = RAW_KEEP_ALIVE_MS;
    return listenLoopback(http);
  },
  async serveStdio(stats) {
    let buffered = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (line !== '') process.stdout.write(`${answer(line, stats)}\n`);
      }
    });
    await new Promise<void>((resolve) => process.stdin.once('end', () => resolve()));
  },
};
