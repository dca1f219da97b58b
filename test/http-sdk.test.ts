// Interop over Streamable HTTP with the official SDK (1.x): its client against
// `mcpwire serve --http` (a real process on 127.0.0.1:0), and our client against its server
// for the calls that need the server to ask the client (elicitation, sampling).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server as SdkServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, CallToolResultSchema, CreateMessageRequestSchema, ElicitRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createClient, createHttpClientTransport } from 'mcpwire/client';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

async function startOurs(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--http', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${log}`)), 15_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      const m = /listening on (\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
  });
  return { child, url };
}

function sdkClient(): SdkClient {
  const client = new SdkClient({ name: 'sdk', version: '1.0.0' }, { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { answer: 'from the sdk' } }));
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', content: { type: 'text', text: 'sdk summary' }, model: 'sdk-model' }));
  return client;
}

const sdkToOurs = suite('http: the SDK client against mcpwire serve --http');

sdkToOurs('initialize, tools/list, progress, elicitation, sampling, and resuming through its resumption token', async () => {
  const ours = await startOurs();
  const first = sdkClient();
  const second = sdkClient();
  try {
    const transport = new StreamableHTTPClientTransport(new URL(ours.url));
    await first.connect(transport);
    assert.equal((await first.listTools()).tools.map((t) => t.name), ['echo', 'count', 'ask_user', 'summarize']);
    const progress: number[] = [];
    // A 2 ms pause after each step keeps the response out of the last progress event's read (SDK 1.32 race).
    const counted = await first.callTool({ name: 'count', arguments: { steps: 50, delayMs: 2 } }, undefined, { onprogress: (p) => { progress.push(p.progress); } });
    assert.equal(progress, Array.from({ length: 50 }, (_, i) => i + 1));
    assert.equal(counted.content, [{ type: 'text', text: 'counted to 50' }]);
    assert.equal((await first.callTool({ name: 'ask_user', arguments: { question: 'q' } })).content, [{ type: 'text', text: 'the user answered: from the sdk' }]);
    assert.equal((await first.callTool({ name: 'summarize', arguments: { text: 't' } })).content, [{ type: 'text', text: 'sdk-model: sdk summary' }]);

    // Start a long call, keep the newest resumption token, drop the client, resume from a second one.
    let token: string | undefined;
    const seenFirst: number[] = [];
    let reached!: () => void;
    const tenth = new Promise<void>((r) => { reached = r; });
    const abandoned = first.request({ method: 'tools/call', params: { name: 'count', arguments: { steps: 40, delayMs: 5 } } }, CallToolResultSchema, {
      onresumptiontoken: (t) => { token = t; },
      onprogress: (p) => { seenFirst.push(p.progress); if (seenFirst.length === 10) reached(); },
    }).catch(() => undefined);
    await tenth;
    await transport.close(); // a dropped connection, not a DELETE
    await abandoned;
    const sessionId = transport.sessionId!;
    const seenSecond: number[] = [];
    await second.connect(new StreamableHTTPClientTransport(new URL(ours.url), { sessionId }));
    const resumed = await second.request({ method: 'tools/call', params: { name: 'count', arguments: { steps: 40, delayMs: 5 } } }, CallToolResultSchema, {
      resumptionToken: token!, onprogress: (p) => { seenSecond.push(p.progress); },
    });
    assert.equal(resumed.content, [{ type: 'text', text: 'counted to 40' }]);
    assert.equal([...seenFirst, ...seenSecond].filter((v, i, all) => all.indexOf(v) === i).length, [...seenFirst, ...seenSecond].length, 'no progress twice');
  } finally {
    await first.close().catch(() => {});
    await second.close().catch(() => {});
    ours.child.kill('SIGTERM');
  }
});

const oursToSdk = suite('http: our client against the SDK server, which asks the client');

oursToSdk('elicitation and sampling requests from the SDK server are answered by our client', async () => {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createNodeServer((req, res) => {
    void (async () => {
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        // The low-level SDK server, so the test needs no schema library of its own.
        const server = new SdkServer({ name: 'sdk-server', version: '1.0.0' }, { capabilities: { tools: {} } });
        server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'ask', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }] }));
        server.setRequestHandler(CallToolRequestSchema, async (request) => {
          const q = String(request.params.arguments?.q);
          const answer = await server.elicitInput({ message: q, requestedSchema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } });
          const sample = await server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: q } }], maxTokens: 10 });
          const text = !Array.isArray(sample.content) && sample.content.type === 'text' ? sample.content.text : '?';
          return { content: [{ type: 'text', text: `${answer.action}:${String(answer.content?.a)}:${text}` }] };
        });
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, created) });
        transport = created;
        await server.connect(created);
      }
      await transport.handleRequest(req, res);
    })().catch(() => { if (!res.headersSent) res.writeHead(500).end(); });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  const client = createClient({ name: 'ours', version: '1' }, {
    onElicit: () => ({ action: 'accept', content: { a: 'yes' } }),
    onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'm' }),
  });
  try {
    await client.connect(createHttpClientTransport({ url }));
    const result = await client.callTool('ask', { q: 'ok?' });
    assert.equal(result.content, [{ type: 'text', text: 'accept:yes:sampled' }]);
  } finally {
    await client.close();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  }
});

sdkToOurs.run();
oursToSdk.run();
