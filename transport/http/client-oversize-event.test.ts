// The HTTP client fails a call at once with MCP_ERR_MESSAGE_TOO_LARGE when its response
// arrives as an SSE event over `maxEventBytes`, instead of resuming the stream (which only
// replays the same event) until the call times out (issue #10, item 8).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport } from './client.ts';
import { createAutoTimers, createCollector, createFakeFetch, sseWriter, type SseWriter } from './client-fake-server.ts';

const URL_ = 'http://127.0.0.1:1/mcp';
const call = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });

async function started() {
  const writers: SseWriter[] = [];
  const fake = createFakeFetch(() => {
    const writer = sseWriter();
    writers.push(writer);
    return writer.response;
  });
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, maxEventBytes: 1_000, timers: createAutoTimers(), openStandaloneStream: false });
  await transport.start(collector.handlers);
  return { transport, collector, calls: fake.calls, writers };
}

const big = suite('http client: an SSE event over maxEventBytes');

big('a response over the limit, then the end of the stream: the call fails at once, with no GET', async () => {
  const { transport, collector, calls, writers } = await started();
  await transport.send(call(7));
  writers[0]!.event({ id: 's.1', data: { jsonrpc: '2.0', id: 7, result: { pad: 'x'.repeat(5_000) } } });
  writers[0]!.end();
  await collector.until(() => collector.failed.length === 1, 'the failed call');
  assert.is(collector.failed[0]!.id, 7);
  assert.instance(collector.failed[0]!.error, McpError);
  assert.is((collector.failed[0]!.error as McpError).code, 'MCP_ERR_MESSAGE_TOO_LARGE');
  assert.match(collector.failed[0]!.error.message, /maxEventBytes/);
  assert.equal(calls.map((c) => c.method), ['POST'], 'no resume was tried');
  await transport.close();
});

big('an oversize notification followed by the response: the call is answered (only the notification is lost)', async () => {
  const { transport, collector, writers } = await started();
  await transport.send(call(8));
  writers[0]!.event({ id: 's.1', data: { jsonrpc: '2.0', method: 'notifications/message', params: { data: 'x'.repeat(5_000) } } });
  writers[0]!.event({ id: 's.2', data: { jsonrpc: '2.0', id: 8, result: {} } });
  writers[0]!.end();
  await collector.until(() => collector.messages.length === 1, 'the response');
  assert.equal(collector.failed, []);
  assert.is((collector.errors[0] as McpError).code, 'MCP_ERR_MESSAGE_TOO_LARGE');
  await transport.close();
});

big.run();
