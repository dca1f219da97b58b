/**
 * The raw ceiling: the same exchanges with no MCP at all. A bare `node:http` server that
 * answers each JSON-RPC POST with its params, as a JSON body or, where the row's server
 * replies in SSE, as one bare SSE event (and streams bare SSE events for progress), an
 * undici Agent shared by the sessions of the process (as the MCP clients share theirs), and
 * for stdio a bare newline-JSON echo over the child's pipes. A session starts with two POSTs
 * and keeps one idle SSE GET open, like an MCP session's standalone stream. A
 * server-to-client round trip is one POST.
 */
import { spawn } from 'node:child_process';
import { createServer as createNodeServer, type ServerResponse } from 'node:http';
import { Agent } from 'undici';
import type { BenchSession, ClientAdapter, ServerAdapter, StatsSource } from './types.ts';
import { listenLoopback, parseStats } from './types.ts';

interface RawRequest {
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

/** Split bare SSE text into the JSON payloads of its events. */
function* ssePayloads(text: string): Generator<string> {
  for (const block of text.split('\n\n')) {
    const at = block.indexOf('data: ');
    if (at !== -1) yield block.slice(at + 6, block.indexOf('\n', at) === -1 ? undefined : block.indexOf('\n', at));
  }
}

let agent: Agent | undefined;

function httpSession(url: string, counters: { elicited: number; sampled: number }): BenchSession & { openStandalone(): Promise<void> } {
  const { origin, pathname } = new URL(url);
  const client = (agent ??= new Agent({ bodyTimeout: 0, headersTimeout: 0 }));
  let standalone: { destroy(): void } | undefined;
  let nextId = 1;
  const post = async (method: string, params: RawRequest['params']): Promise<string> => {
    const id = nextId++;
    const { body, headers } = await client.request({
      origin, path: pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    const sse = String(headers['content-type']).startsWith('text/event-stream');
    const reply = (sse ? JSON.parse(ssePayloads(await body.text()).next().value ?? 'null') : await body.json()) as { id: number; result: { text: string } };
    if (reply.id !== id) throw new Error(`raw: reply for ${reply.id}, expected ${id}`);
    return reply.result.text;
  };
  const roundTrips = async (rounds: number, count: () => void): Promise<string> => {
    for (let i = 0; i < rounds; i++) {
      await post('ask', { text: `question ${i}` });
      count();
    }
    return String(rounds);
  };
  return {
    echo: (text) => post('echo', { text }),
    async progress(steps, onProgress) {
      const { body } = await client.request({ origin, path: `${pathname}?steps=${steps}`, method: 'GET' });
      body.setEncoding('utf8');
      let pending = '';
      let final = '';
      for await (const chunk of body as AsyncIterable<string>) {
        pending += chunk;
        const cut = pending.lastIndexOf('\n\n');
        if (cut === -1) continue;
        for (const data of ssePayloads(pending.slice(0, cut))) {
          const message = JSON.parse(data) as { params?: { progress: number }; result?: { text: string } };
          if (message.params) onProgress(message.params.progress);
          else if (message.result) final = message.result.text;
        }
        pending = pending.slice(cut + 2);
      }
      return final;
    },
    elicit: (rounds) => roundTrips(rounds, () => { counters.elicited += 1; }),
    sample: (rounds) => roundTrips(rounds, () => { counters.sampled += 1; }),
    stats: async (gc) => parseStats(await post('stats', { gc })),
    async openStandalone() {
      standalone = (await client.request({ origin, path: `${pathname}?idle`, method: 'GET' })).body;
    },
    close: async () => { standalone?.destroy(); },
  };
}

function stdioSession(command: string, args: string[]): BenchSession {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: Array<(line: string) => void> = [];
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      waiting.shift()?.(line);
    }
  });
  let nextId = 1;
  const post = (method: string, params: RawRequest['params']): Promise<string> => new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.push((line) => {
      const reply = JSON.parse(line) as { id: number; result: { text: string } };
      if (reply.id === id) resolve(reply.result.text);
      else reject(new Error(`raw stdio: reply for ${reply.id}, expected ${id}`));
    });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
  const unsupported = () => Promise.reject(new Error('raw stdio: only echo and stats'));
  return {
    echo: (text) => post('echo', { text }),
    progress: unsupported,
    elicit: unsupported,
    sample: unsupported,
    stats: async (gc) => parseStats(await post('stats', { gc })),
    close: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end();
    }),
  };
}

export const client: ClientAdapter = {
  async connectHttp(url, counters) {
    // A session's start costs two exchanges, like MCP's initialize + initialized, then the
    // idle GET the MCP clients open as their standalone stream.
    const session = httpSession(url, counters);
    await session.echo('initialize');
    await session.echo('initialized');
    await session.openStandalone();
    return session;
  },
  connectStdio: async (command) => stdioSession(command.command, command.args),
};
