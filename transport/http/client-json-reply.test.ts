// A POST answered with a JSON body: that body is the response to the POST's request
// (2025-11-25 basic/transports, 2026-07-28 basic/transports/streamable-http). A body that holds no response to it (not
// JSON, a message that is no response, a response to another id) fails the request at once
// with MCP_ERR_PROTOCOL; before, the call waited for its timeout (60 s by default), found
// with a hostile server answering `{not json` and responses with the wrong id.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { jsonResponse, sendAnswered } from './client-fake-server.ts';

const call = (id: number | string): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
const modernCall = (id: string): JsonRpcMessage => ({
  jsonrpc: '2.0', id, method: 'tools/call',
  params: { name: 'x', _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
});

function isProtocolError(error: unknown, pattern: RegExp): void {
  assert.instance(error, McpError);
  assert.is((error as McpError).code, 'MCP_ERR_PROTOCOL');
  assert.match((error as Error).message, pattern);
}

const json = suite('http client: a JSON reply without the response');

json('a body that is not JSON fails the request at once', async () => {
  const { error } = await sendAnswered(new Response('{not json', { status: 200, headers: { 'content-type': 'application/json' } }), call(1));
  isProtocolError(error, /no response to request 1/);
});

json('a response to another id fails the request; the stray response is still handed up (the session reports it)', async () => {
  const { error, handedUp } = await sendAnswered(jsonResponse({ jsonrpc: '2.0', id: 999, result: {} }), call(2));
  isProtocolError(error, /no response to request 2/);
  assert.equal(handedUp, [{ jsonrpc: '2.0', id: 999, result: {} }]);
});

json('an id of another type ("3" for 3) is another id', async () => {
  const { error } = await sendAnswered(jsonResponse({ jsonrpc: '2.0', id: '3', result: {} }), call(3));
  isProtocolError(error, /no response to request 3/);
});

json('a request or a notification in place of the response fails it too', async () => {
  isProtocolError((await sendAnswered(jsonResponse({ jsonrpc: '2.0', id: 4, method: 'ping' }), call(4))).error, /no response to request 4/);
  isProtocolError((await sendAnswered(jsonResponse({ jsonrpc: '2.0', method: 'notifications/x' }), call(5))).error, /no response to request 5/);
});

json('the response itself, result or error, is handed up and the send resolves', async () => {
  const ok = await sendAnswered(jsonResponse({ jsonrpc: '2.0', id: 6, result: { content: [] } }), call(6));
  assert.is(ok.error, undefined);
  assert.equal(ok.handedUp, [{ jsonrpc: '2.0', id: 6, result: { content: [] } }]);
  const failed = await sendAnswered(jsonResponse({ jsonrpc: '2.0', id: 'a', error: { code: -32602, message: 'no' } }), call('a'));
  assert.is(failed.error, undefined);
});

json('2026-07-28: a JSON reply with another id fails the request at once', async () => {
  const { error } = await sendAnswered(jsonResponse({ jsonrpc: '2.0', id: 'other', result: {} }), modernCall('m1'));
  isProtocolError(error, /no response to request "m1"/);
  const ok = await sendAnswered(jsonResponse({ jsonrpc: '2.0', id: 'm2', result: {} }), modernCall('m2'));
  assert.is(ok.error, undefined);
});

json.run();
