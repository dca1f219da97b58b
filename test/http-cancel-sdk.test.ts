// Cancelling a call ends its stream without a reconnection storm (issue #10 item 11): the
// official SDK clients (1.x and 2.x) resume an ended POST stream that carried no response;
// the server answers that resume so neither client reports an error or retries. Our server
// on 127.0.0.1:0, the SDK clients as they ship.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as Transport1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client2, StreamableHTTPClientTransport as Transport2 } from '@modelcontextprotocol/client';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { listen, type ExchangeServable } from 'mcpwire/transport';
import { registerDemoTools } from '../examples/demo/tools.ts';

interface Seen { method: string; resume: boolean; status: number }

async function startServer() {
  const server = createServer({ name: 'cancel-test', version: '1.0.0' });
  registerDemoTools(server);
  const seen: Seen[] = [];
  let onSeen = () => {};
  const listening = await listen({ exchange: (r) => servable.exchange(r) }, { port: 0 });
  const handler = createMcpHttpHandler(server, { retryMs: 20, keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`, `localhost:${listening.port}`] });
  const servable: ExchangeServable = {
    async exchange(request) {
      const resume = request.header('last-event-id') !== null;
      const reply = await handler.exchange(request);
      seen.push({ method: request.method, resume, status: reply.status });
      onSeen();
      return reply;
    },
  };
  return {
    url: new URL(`http://127.0.0.1:${listening.port}/mcp`),
    seen,
    /** Resolves once a request matching `test` was answered. */
    waitFor(test: (s: Seen) => boolean, what: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what} never came: ${JSON.stringify(seen)}`)), 10_000);
        const check = () => { if (seen.some(test)) { clearTimeout(timer); onSeen = () => {}; resolve(); } };
        onSeen = check;
        check();
      });
    },
    async close() { await handler.close(); await listening.close(); },
  };
}

interface SdkClient {
  connect(t: unknown): Promise<void>;
  callTool(...args: unknown[]): Promise<unknown>;
  close(): Promise<void>;
  onerror?: (e: Error) => void;
}

const clients: Array<[string, (url: URL) => { client: SdkClient; transport: { onerror?: (e: Error) => void } }]> = [
  ['SDK 1.x', (url) => ({ client: new Client1({ name: 'c1', version: '1' }) as unknown as SdkClient, transport: new Transport1(url) })],
  ['SDK 2.x', (url) => ({ client: new Client2({ name: 'c2', version: '1' }) as unknown as SdkClient, transport: new Transport2(url) })],
];

const cancel = suite('cancel: an SDK client that cancels a call sees no error and no reconnection storm');

for (const [name, make] of clients) {
  cancel(`${name}: cancel mid-call, the client reports no error and keeps working`, async () => {
    const server = await startServer();
    const { client, transport } = make(server.url);
    const errors: string[] = [];
    try {
      await client.connect(transport);
      // Reported errors, wherever the SDK reports them (set after connect: the client chains its own).
      const clientError = client.onerror;
      client.onerror = (e) => { errors.push(e.message); clientError?.(e); };
      const controller = new AbortController();
      let progressed!: () => void;
      const firstProgress = new Promise<void>((r) => { progressed = r; });
      const options = { signal: controller.signal, onprogress: () => progressed() };
      // Slow steps: no progress crosses the cancellation (that race is the client's to tolerate).
      const args = { name: 'count', arguments: { steps: 100, delayMs: 250 } };
      const result = name === 'SDK 1.x' ? client.callTool(args, undefined, options) : client.callTool(args, options);
      await firstProgress;
      controller.abort(new Error('the user cancelled'));
      await result.then(() => assert.unreachable('a cancelled call resolves'), () => {});
      // The client resumes the ended POST stream once; wait for the server's answer to it.
      await server.waitFor((s) => s.method === 'GET' && s.resume, 'the resume of the cancelled stream');
      // Nothing signals "no more requests": give a storm ten retry intervals to show.
      await new Promise((r) => setTimeout(r, 200));
      const answer = await client.callTool(name === 'SDK 1.x' ? { name: 'echo', arguments: { text: 'still here' } } : { name: 'echo', arguments: { text: 'still here' } });
      assert.equal((answer as { content: unknown }).content, [{ type: 'text', text: 'still here' }]);
      assert.equal(errors, [], 'no error reported');
      const extra = server.seen.filter((s) => s.method === 'GET').slice(1); // the first GET is the standalone stream
      assert.ok(extra.length <= 1, `one resume at most, got ${JSON.stringify(extra)}`);
      assert.ok(extra.every((s) => s.status < 400), `no refused request: ${JSON.stringify(extra)}`);
    } finally {
      await client.close().catch(() => {});
      await server.close();
    }
  });
}

cancel.run();
