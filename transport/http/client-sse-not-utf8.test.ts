// "JSON-RPC messages MUST be UTF-8 encoded" (2025-11-25 basic/transports). An SSE reply whose
// event holds bytes that are not UTF-8 was decoded with U+FFFD in their place and handed up:
// a tool's text `a\xC3(b` reached the caller as "a\uFFFD(b". Now the request that event
// answers fails with MCP_ERR_PROTOCOL naming the byte and its offset in the stream, in both
// eras, whole or read as it came, and the other events of the stream are handed up. An error
// body that is not UTF-8 is named as such instead of shown with U+FFFD.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport } from './client.ts';
import { createCollector, createFakeFetch } from './client-fake-server.ts';

const legacyCall: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 'p' } } };
const modernCall: JsonRpcMessage = {
  jsonrpc: '2.0', id: 'm1', method: 'tools/call',
  params: { name: 'x', _meta: { progressToken: 'p', 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
};

const progress = 'event: message\nid: e1\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","progress":1}}\n\n';

/** An SSE reply: a progress event, then the response to `id` whose text holds `inner` as raw bytes; and their offset. */
function sseWith(id: number | string, inner: number[]): { bytes: Uint8Array; at: number } {
  const head = Buffer.from(`${progress}event: message\nid: e2\ndata: {"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"a`);
  const tail = Buffer.from('b"}]}}\n\n');
  return { bytes: new Uint8Array(Buffer.concat([head, Buffer.from(inner), tail])), at: head.length };
}

function response(bytes: Uint8Array, streamed: boolean, status = 200, type = 'text/event-stream'): Response {
  const headers = { 'content-type': type };
  if (!streamed) return new Response(bytes, { status, headers });
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at < bytes.length) controller.enqueue(bytes.slice(at, ++at));
      else controller.close();
    },
  });
  return new Response(body, { status, headers });
}

/** Send `message` on a 2025-11-25 session transport whose POST `reply` answers; wait for its answer or failure. */
async function exchange(reply: Response, message: JsonRpcMessage) {
  const fake = createFakeFetch(() => reply);
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', fetch: fake.fetch, sessionId: 's', protocolVersion: '2025-11-25', openStandaloneStream: false });
  await transport.start(collector.handlers);
  let sendError: unknown;
  await transport.send(message).catch((e: unknown) => { sendError = e; });
  const id = (message as { id: number | string }).id;
  if (sendError === undefined) {
    await collector.until(() => collector.failed.length > 0 || collector.messages.some((m) => (m.payload as { id?: unknown }).id === id), 'an answer or a failure');
  }
  await transport.close();
  return { sendError, failed: collector.failed, handedUp: collector.messages.map((m) => m.payload), errors: collector.errors };
}

const test = suite('http client: an SSE event that is not UTF-8 is refused');

for (const [era, message] of [['2025-11-25', legacyCall], ['2026-07-28', modernCall]] as const) {
  const id = (message as { id: number | string }).id;
  for (const streamed of [false, true]) {
    test(`${era}, SSE reply ${streamed ? 'read as it came' : 'whole'}: C3 28 in the response fails its request naming the byte; the progress is handed up`, async () => {
      const { bytes, at } = sseWith(id, [0xc3, 0x28]);
      const { sendError, failed, handedUp } = await exchange(response(bytes, streamed), message);
      assert.is(sendError, undefined);
      assert.is(failed.length, 1, JSON.stringify(handedUp));
      assert.is(failed[0]!.id, id);
      assert.instance(failed[0]!.error, McpError);
      assert.is((failed[0]!.error as McpError).code, 'MCP_ERR_PROTOCOL');
      assert.match(failed[0]!.error.message, `the server's answer to request ${JSON.stringify(id)} was refused: SSE: an event is not valid UTF-8 (byte 0xC3 at offset ${at} of the stream); JSON-RPC messages must be UTF-8`);
      assert.equal(handedUp.map((m) => (m as { method?: string }).method), ['notifications/progress']);
    });
  }
  test(`${era}: a real U+FFFD and other multibyte text in an SSE reply pass unchanged`, async () => {
    const { bytes } = sseWith(id, [0xef, 0xbf, 0xbd, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
    for (const streamed of [false, true]) {
      const { failed, handedUp } = await exchange(response(bytes, streamed), message);
      assert.equal(failed, []);
      assert.equal(handedUp[1], { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'a\uFFFDé😀b' }] } });
    }
  });
  test(`${era}: a JSON-RPC error in a 400 body that is not UTF-8 is named as such, not shown with U+FFFD`, async () => {
    const head = Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":{"code":-32602,"message":"bad `);
    const bytes = new Uint8Array(Buffer.concat([head, Buffer.from([0xff]), Buffer.from('"}}')]));
    const { sendError, failed } = await exchange(response(bytes, false, 400, 'application/json'), message);
    const error = (sendError ?? failed[0]?.error) as Error;
    assert.instance(error, HttpError);
    assert.not.match(error.message, '\uFFFD');
    assert.match(error.message, `failed with HTTP 400; the server's reply was refused: its body is not valid UTF-8 (byte 0xFF at offset ${head.length})`);
    assert.is((error as HttpError).rpcError, undefined);
  });
}

test.run();
