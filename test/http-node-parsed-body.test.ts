// Mounted behind a body parser (express.json()), the Node listener used to wait forever for
// a request body that had already been read. Now a parsed body can be passed
// (`handler.node(req, res, body)`), and a consumed stream without one gets 400 at once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { request } from 'undici';
import { createServer, createMcpHttpHandler, type McpHttpHandler } from 'mcpwire/server';
import { toExchangeListener, toNodeListener } from '../transport/http/node-adapter.ts';

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

type Route = (handler: McpHttpHandler) => (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void) => void;

/** An express app with express.json() in front of `route`; POST `body` to it, at most 2 s for the answer's headers. */
async function postBehindExpressJson(route: Route, body: unknown, options: { maxBodyBytes?: number } = {}): Promise<{ status: number; text: string }> {
  const handler = createMcpHttpHandler(createServer({ name: 'parsed', version: '1' }), { disableHostChecks: true, responseMode: 'json', ...options });
  const app = express();
  app.use(express.json({ limit: '10mb' }));
  app.post('/mcp', route(handler));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, {
      method: 'POST', headers: HEADERS, body: JSON.stringify(body), headersTimeout: 5_000, bodyTimeout: 5_000, // a hang fails here
    });
    return { status: res.statusCode, text: await res.body.text() };
  } finally {
    await handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const consumed = suite('node listener: a body already read by a parser, and none passed');

consumed('toExchangeListener behind express.json() answers 400 at once instead of hanging', async () => {
  const answer = await postBehindExpressJson((h) => toExchangeListener(h), INIT);
  assert.is(answer.status, 400);
  assert.match(answer.text, /already read/);
  assert.match(answer.text, /handler\.node\(req, res, req\.body\)/);
});

consumed('handler.node mounted as express middleware (next as third argument) answers 400, not a hang', async () => {
  const answer = await postBehindExpressJson((h) => h.node, INIT);
  assert.is(answer.status, 400);
  assert.match(answer.text, /already read/);
});

consumed('toNodeListener (fetch-style handler) behind express.json() answers 400 at once', async () => {
  const answer = await postBehindExpressJson((h) => toNodeListener((r) => h.handle(r)), INIT);
  assert.is(answer.status, 400);
  assert.match(answer.text, /already read/);
});

const passed = suite('node listener: the parsed body passed on');

passed('handler.node(req, res, req.body) serves initialize', async () => {
  const answer = await postBehindExpressJson((h) => (req, res) => h.node(req, res, req.body), INIT);
  assert.is(answer.status, 200, answer.text);
  assert.is(JSON.parse(answer.text).result.serverInfo.name, 'parsed');
});

passed('toNodeListener with the parsed body serves initialize', async () => {
  const answer = await postBehindExpressJson((h) => (req, res) => toNodeListener((r) => h.handle(r))(req, res, req.body), INIT);
  assert.is(answer.status, 200, answer.text);
  assert.is(JSON.parse(answer.text).result.serverInfo.name, 'parsed');
});

passed('a passed body larger than maxBodyBytes gets 413', async () => {
  const big = { ...INIT, params: { ...INIT.params, padding: 'x'.repeat(5_000) } };
  const answer = await postBehindExpressJson((h) => (req, res) => h.node(req, res, req.body), big, { maxBodyBytes: 1_000 });
  assert.is(answer.status, 413);
});

passed('a passed string or bytes body is read as it is', async () => {
  const asString = await postBehindExpressJson((h) => (req, res) => h.node(req, res, JSON.stringify(req.body)), INIT);
  assert.is(asString.status, 200, asString.text);
  const asBytes = await postBehindExpressJson((h) => (req, res) => h.node(req, res, new TextEncoder().encode(JSON.stringify(req.body))), INIT);
  assert.is(asBytes.status, 200, asBytes.text);
});

consumed.run();
passed.run();
