// Interop: our HTTP client transport and client against the official SDK's Streamable HTTP
// server (stateful, with an event store so it primes and resumes streams), on 127.0.0.1:0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport, type EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createClient } from '../../client/client.ts';
import type { Progress } from '../../protocol/index.ts';
import { createHttpClientTransport } from './client.ts';

/** The smallest event store the SDK accepts: ids are `<stream>|<n>`. */
function memoryEventStore(): EventStore {
  const events: Array<{ id: string; streamId: string; message: JSONRPCMessage }> = [];
  let n = 0;
  return {
    async storeEvent(streamId, message) {
      const id = `${streamId}|${n++}`;
      events.push({ id, streamId, message });
      return id;
    },
    async getStreamIdForEventId(eventId) {
      return events.find((e) => e.id === eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const at = events.findIndex((e) => e.id === lastEventId);
      const streamId = events[at]?.streamId ?? '';
      for (const e of events.slice(at + 1)) {
        // Priming events are stored as {}; they carry nothing to replay.
        if (e.streamId === streamId && Object.keys(e.message).length > 0) await send(e.id, e.message);
      }
      return streamId;
    },
  };
}

function progressOf(extra: { _meta?: { progressToken?: string | number | undefined } | undefined }) {
  return extra._meta?.progressToken;
}

async function startSdkServer() {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  const seen: Array<{ method: string; headers: IncomingMessage['headers'] }> = [];
  const deleted: string[] = [];

  function newSession() {
    const server = new McpServer({ name: 'sdk-server', version: '1.0.0' });
    server.registerTool('count', { description: 'counts to three with progress' }, async (extra) => {
      const token = progressOf(extra);
      for (let i = 1; i <= 3 && token !== undefined; i++) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: 3 } });
      }
      return { content: [{ type: 'text', text: 'counted' }] };
    });
    server.registerTool('poll', { description: 'closes its stream half way, so the client must resume' }, async (extra) => {
      const token = progressOf(extra);
      if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1 } });
      extra.closeSSEStream?.(); // 2025-11-25 polling: the client reconnects after `retry`
      if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 2 } });
      return { content: [{ type: 'text', text: `resumed:${extra.closeSSEStream ? 'yes' : 'no'}` }] };
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: memoryEventStore(),
      retryInterval: 20,
      onsessioninitialized: (id) => void sessions.set(id, { transport, server }),
      onsessionclosed: (id) => void deleted.push(id),
    });
    return { transport, server };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    seen.push({ method: req.method ?? '', headers: req.headers });
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing) return existing.transport.handleRequest(req, res);
    if (typeof id === 'string') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' } }));
      return;
    }
    const fresh = newSession();
    await fresh.server.connect(fresh.transport);
    await fresh.transport.handleRequest(req, res);
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    deleted,
    sessions,
    async close() {
      for (const { server } of sessions.values()) await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const interop = suite('our client over our HTTP transport against the SDK server');

interop('initialize, tools/list, a call with progress, a resumed call, DELETE on close', async () => {
  const sdk = await startSdkServer();
  const errors: Error[] = [];
  const transport = createHttpClientTransport({ url: sdk.url });
  const client = createClient({ name: 'mcpwire-test', version: '0.0.0' }, { onError: (e) => errors.push(e) });
  try {
    await client.connect(transport);
    assert.is(client.protocolVersion, '2025-11-25');
    assert.is(client.serverInfo?.name, 'sdk-server');
    const sessionId = transport.sessionId;
    assert.type(sessionId, 'string');

    const tools = await client.listTools();
    assert.equal(tools.map((t) => t.name).sort(), ['count', 'poll']);

    const progress: Progress[] = [];
    const counted = await client.callTool('count', {}, { onProgress: (p) => progress.push(p) });
    assert.equal(counted.content, [{ type: 'text', text: 'counted' }]);
    assert.equal(progress.map((p) => [p.progress, p.total]), [[1, 3], [2, 3], [3, 3]]);

    const tokens: string[] = [];
    const polled: Progress[] = [];
    const resumed = await client.callTool('poll', {}, { onProgress: (p) => polled.push(p), onResumptionToken: (t) => tokens.push(t) });
    assert.equal(resumed.content, [{ type: 'text', text: 'resumed:yes' }]);
    assert.equal(polled.map((p) => p.progress), [1, 2]);
    const resumes = sdk.seen.filter((s) => s.method === 'GET' && s.headers['last-event-id'] !== undefined);
    assert.is(resumes.length, 1, 'one resumption GET');
    assert.ok(tokens.includes(resumes[0]!.headers['last-event-id'] as string), 'resumed from an id it was given');

    for (const request of sdk.seen.slice(1)) {
      assert.is(request.headers['mcp-session-id'], sessionId);
      assert.is(request.headers['mcp-protocol-version'], '2025-11-25');
    }
    assert.ok(sdk.seen.some((s) => s.method === 'GET' && s.headers['last-event-id'] === undefined), 'the standalone stream was opened');
    assert.equal(errors, []);
    await client.close();
    assert.equal(sdk.deleted, [sessionId], 'the session was DELETEd');
  } finally {
    await client.close();
    await sdk.close();
  }
});

interop.run();
