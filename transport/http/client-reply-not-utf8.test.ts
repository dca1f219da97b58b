// "JSON-RPC messages MUST be UTF-8 encoded" (2025-11-25 basic/transports). A JSON reply whose
// bytes are not UTF-8 was decoded with U+FFFD in their place and handed up as the result: a
// tool's text `a\xC3(b` reached the caller as "a\uFFFD(b", with nothing said. Now the request
// fails with MCP_ERR_PROTOCOL naming the first bad byte and its offset, in both eras, for a
// body that arrived whole and one read as it came. A real U+FFFD (EF BF BD) still passes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { sendAnswered } from './client-fake-server.ts';

const legacyCall: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } };
const modernCall: JsonRpcMessage = {
  jsonrpc: '2.0', id: 'm1', method: 'tools/call',
  params: { name: 'x', _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
};

/** A JSON reply to `id` whose text holds `inner` as raw bytes; and the offset of those bytes. */
function replyWith(id: number | string, inner: number[]): { bytes: Uint8Array; at: number } {
  const head = Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"a`);
  const tail = Buffer.from('b"}]}}');
  return { bytes: new Uint8Array(Buffer.concat([head, Buffer.from(inner), tail])), at: head.length };
}

/** The reply as one body, or as a stream of one byte per chunk (read as it comes). */
function response(bytes: Uint8Array, streamed: boolean): Response {
  const headers = { 'content-type': 'application/json' };
  if (!streamed) return new Response(bytes, { status: 200, headers });
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at < bytes.length) controller.enqueue(bytes.slice(at, ++at));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers });
}

const test = suite('http client: a JSON reply that is not UTF-8 is refused');

for (const [era, message] of [['2025-11-25', legacyCall], ['2026-07-28', modernCall]] as const) {
  const id = (message as { id: number | string }).id;
  for (const streamed of [false, true]) {
    test(`${era}, body ${streamed ? 'read as it came' : 'whole'}: C3 28 in a result fails the request naming the byte, nothing is handed up`, async () => {
      const { bytes, at } = replyWith(id, [0xc3, 0x28]);
      const { error, handedUp } = await sendAnswered(response(bytes, streamed), message);
      assert.instance(error, McpError);
      assert.is((error as McpError).code, 'MCP_ERR_PROTOCOL');
      assert.match((error as Error).message, `the server's reply was refused: its body is not valid UTF-8 (byte 0xC3 at offset ${at}); JSON-RPC messages must be UTF-8`);
      assert.equal(handedUp, []);
    });
  }
  test(`${era}: a real U+FFFD and other multibyte text pass unchanged`, async () => {
    const { bytes } = replyWith(id, [0xef, 0xbf, 0xbd, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
    const { error, handedUp } = await sendAnswered(response(bytes, false), message);
    assert.is(error, undefined);
    assert.equal(handedUp, [{ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'a\uFFFDé😀b' }] } }]);
  });
}

test('a cut sequence at the very end (E2 82) is refused too, at its offset', async () => {
  const head = Buffer.from('{"jsonrpc":"2.0","id":1,"result":{}}');
  const bytes = new Uint8Array(Buffer.concat([head, Buffer.from([0xe2, 0x82])]));
  const { error } = await sendAnswered(response(bytes, true), legacyCall);
  assert.match((error as Error).message, `(byte 0xE2 at offset ${head.length})`);
});

test.run();
