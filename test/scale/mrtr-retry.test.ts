// Issue #18: a 2026-07-28 multi round-trip request whose retry lands on another instance:
// every instance seals `requestState` with the key shared through Redis, so the retry opens
// there and the handler is re-run with the recorded answer (2026-07-28: InputRequiredResult).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'ask_user' };
const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
  'io.modelcontextprotocol/clientInfo': { name: 'scale-test', version: '1' },
};

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: an MRTR retry on another instance');
  const send = async (message: Record<string, unknown>) => {
    const res = await fetch(cluster.proxy.url, { method: 'POST', headers: HEADERS, body: JSON.stringify(message) });
    return { status: res.status, body: await res.json() as Record<string, any>, backend: cluster.proxy.served.at(-1)!.backend };
  };
  const params = { name: 'ask_user', arguments: { question: 'Which city?' } };

  test('round one on A, the retry on B completes; replaying the state fails', async () => {
    const first = await send({ jsonrpc: '2.0', id: 'm-1', method: 'tools/call', params: { ...params, _meta: meta } });
    assert.is(first.status, 200);
    assert.is(first.body.result?.resultType, 'input_required', JSON.stringify(first.body));
    const [key] = Object.keys(first.body.result.inputRequests);
    const retry = { ...params, inputResponses: { [key!]: { action: 'accept', content: { answer: 'Lima' } } }, requestState: first.body.result.requestState, _meta: meta };
    const second = await send({ jsonrpc: '2.0', id: 'm-2', method: 'tools/call', params: retry });
    assert.is.not(second.backend, first.backend, 'the retry went to the other instance');
    assert.is(second.status, 200);
    assert.match(JSON.stringify(second.body.result?.content), /Lima/);
    // The same state again, on the instance that issued it (it never saw it used): refused.
    const replay = await send({ jsonrpc: '2.0', id: 'm-3', method: 'tools/call', params: retry });
    assert.is(replay.backend, first.backend);
    assert.is(replay.body.error?.code, -32602, JSON.stringify(replay.body));
    assert.is(replay.body.error?.data?.reason, 'replayed');
  });

  test.after(() => cluster.stop());
  test.run();
}
