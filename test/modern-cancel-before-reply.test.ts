// 2026-07-28 basic/transports/streamable-http: over HTTP a client cancels a request by closing its stream, and
// the server stops the work. A call that had sent nothing yet (no progress, so no SSE stream
// open) kept running when the client closed its POST: only an open SSE response watched for the
// client going away. Found by session 20's peer walk: the SDK 2.4 client pinned to 2026-07-28
// aborts a call that way, and our tool never saw its signal abort.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { createServer as createNodeServer } from 'node:http';
import { envelope } from './modern-kit.ts';

/** A server whose `wait` tool sends nothing and ends only when its signal aborts. */
function waitingServer() {
  const server = createServer({ name: 'waits', version: '1.0.0' });
  let started!: () => void;
  let aborted!: (reason: unknown) => void;
  const running = new Promise<void>((resolve) => { started = resolve; });
  const cancelled = new Promise<unknown>((resolve) => { aborted = resolve; });
  server.tool({ name: 'wait', description: 'Waits, silent, until cancelled.' }, (_args, ctx) => new Promise<string>((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => { aborted(ctx.signal.reason); reject(new Error('cancelled')); }, { once: true });
    started();
  }));
  server.tool({ name: 'quick', description: 'Answers at once.' }, async () => 'quick');
  return { server, running, cancelled };
}

/** `promise`, or a failure naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `handler.node(req, res)` on a plain node:http server, as a framework mounts it. */
async function nodeServer(holder: { handler?: ReturnType<typeof createMcpHttpHandler> }): Promise<{ port: number; close(): Promise<void> }> {
  const http = createNodeServer((req, res) => holder.handler!.node(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => { http.closeAllConnections(); http.close(() => resolve()); }),
  };
}

const cancel = suite('2026-07-28 HTTP: closing a POST before any reply cancels the call');

for (const mount of ['listen(handler)', 'handler.node', 'listen(request => handler.handle(request))'] as const) {
  cancel(`the SDK 2.4 client (pinned to 2026-07-28) aborts a silent call; ${mount}`, async () => {
    const { server, running, cancelled } = waitingServer();
    const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
    const listening = mount === 'listen(handler)' ? await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 })
      : mount === 'handler.node' ? await nodeServer(holder)
        : await listen((request: Request) => holder.handler!.handle(request), { port: 0 });
    holder.handler = createMcpHttpHandler(server, { eras: 'modern', keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
    const client = new Client({ name: 'sdk', version: '2.4.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listening.port}/mcp`)));
      const abort = new AbortController();
      const call = client.callTool({ name: 'wait', arguments: {} }, { signal: abort.signal }).then(() => 'answered', () => 'failed');
      await within(running, 10_000, 'the tool did not start');
      abort.abort();
      assert.is(await call, 'failed');
      await within(cancelled, 10_000, 'the tool did not see its signal abort');
      const quick = await client.callTool({ name: 'quick', arguments: {} });
      assert.equal(quick.content, [{ type: 'text', text: 'quick' }]);
    } finally {
      await client.close();
      await holder.handler.close();
      await listening.close();
    }
  });
}

cancel('our client in 2026-07-28 aborts a silent call over loopback', async () => {
  const { server, running, cancelled } = waitingServer();
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 });
  holder.handler = createMcpHttpHandler(server, { keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  const client = createClient({ name: 'ours', version: '1' }, { era: 'modern', eraCache: false });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
    const abort = new AbortController();
    const call = client.callTool('wait', {}, { signal: abort.signal }).then(() => 'answered', () => 'failed');
    await within(running, 10_000, 'the tool did not start');
    abort.abort();
    assert.is(await call, 'failed');
    await within(cancelled, 10_000, 'the tool did not see its signal abort');
  } finally {
    await client.close();
    await holder.handler.close();
    await listening.close();
  }
});

cancel('handle(Request): the request signal aborting cancels a silent call', async () => {
  const { server, running, cancelled } = waitingServer();
  const handler = createMcpHttpHandler(server, { eras: 'modern', keepAliveMs: 0 });
  try {
    const abort = new AbortController();
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait', arguments: {}, _meta: envelope() } };
    const reply = handler.handle(new Request('http://127.0.0.1/mcp', {
      method: 'POST', signal: abort.signal, body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'wait' },
    }));
    await within(running, 10_000, 'the tool did not start');
    abort.abort();
    const reason = await within(cancelled, 10_000, 'the tool did not see its signal abort');
    assert.match(String((reason as Error | undefined)?.message), /closed/);
    await reply.catch(() => undefined);
  } finally {
    await handler.close();
  }
});

cancel.run();
