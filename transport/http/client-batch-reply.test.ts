// A JSON-RPC batch answered in a session whose version has no batches (2025-06-18 removed
// them) fails the calls it answers at once with MCP_ERR_PROTOCOL, over JSON and over SSE,
// rather than leaving them to time out (issue #10, item 12).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport } from './client.ts';
import { createCollector, createFakeFetch, jsonResponse, sseWriter, type SseWriter } from './client-fake-server.ts';

const URL_ = 'http://127.0.0.1:1/mcp';
const call = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });

const batch = suite('http client: a batch reply outside 2025-03-26');

batch('a JSON body holding a batch rejects the POST with MCP_ERR_PROTOCOL', async () => {
  const fake = createFakeFetch(() => jsonResponse([{ jsonrpc: '2.0', id: 1, result: {} }]));
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, sessionId: 's', protocolVersion: '2025-11-25', openStandaloneStream: false });
  await transport.start(collector.handlers);
  let error: unknown;
  await transport.send(call(1)).catch((e: unknown) => { error = e; });
  assert.instance(error, McpError);
  assert.is((error as McpError).code, 'MCP_ERR_PROTOCOL');
  assert.match((error as Error).message, /batch/);
  assert.equal(collector.messages, [], 'the batch is not handed up');
  await transport.close();
});

batch('an SSE event holding a batch fails the call it answers', async () => {
  let writer!: SseWriter;
  const fake = createFakeFetch(() => (writer = sseWriter()).response);
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, sessionId: 's', protocolVersion: '2025-06-18', openStandaloneStream: false });
  await transport.start(collector.handlers);
  await transport.send(call(2));
  writer.event({ id: 'e.1', data: [{ jsonrpc: '2.0', id: 2, result: {} }] });
  await collector.until(() => collector.failed.length === 1, 'the failed call');
  assert.is(collector.failed[0]!.id, 2);
  assert.is((collector.failed[0]!.error as McpError).code, 'MCP_ERR_PROTOCOL');
  assert.equal(collector.messages, []);
  await transport.close();
});

batch('in a 2025-03-26 session a batch is handed up as before', async () => {
  const fake = createFakeFetch(() => jsonResponse([{ jsonrpc: '2.0', id: 3, result: {} }]));
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, sessionId: 's', protocolVersion: '2025-03-26', openStandaloneStream: false });
  await transport.start(collector.handlers);
  await transport.send(call(3));
  assert.equal(collector.messages.map((m) => m.payload), [[{ jsonrpc: '2.0', id: 3, result: {} }]]);
  await transport.close();
});

batch.run();
