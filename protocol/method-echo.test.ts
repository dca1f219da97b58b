// An unknown method's name is quoted in the -32601 message, but a huge one is cut: a peer
// cannot make the peer engine echo megabytes back (issue #10, item 12).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer } from './peer.ts';
import { recorder } from './fixtures/recorder.ts';
import { MAX_QUOTED_METHOD_CHARS, quoteMethod, type JsonRpcMessage } from './jsonrpc.ts';
import type { SideMaps } from './methods.ts';


const echo = suite('an unknown method name is echoed in full only when short');

echo('a short unknown method is quoted whole', async () => {
  const r = recorder();
  await createPeer<SideMaps>({ onError: () => {} }).connect(r.transport);
  r.deliver({ jsonrpc: '2.0', id: 1, method: 'tools/nope' });
  await new Promise((resolve) => setImmediate(resolve));
  const reply = r.sent[0] as { error: { code: number; message: string } };
  assert.is(reply.error.code, -32601);
  assert.is(reply.error.message, 'Method not found: tools/nope');
});

echo('a 1 MB method name is cut to the limit and its length is told', async () => {
  const r = recorder();
  await createPeer<SideMaps>({ onError: () => {} }).connect(r.transport);
  const method = 'x'.repeat(1_000_000);
  r.deliver({ jsonrpc: '2.0', id: 2, method });
  await new Promise((resolve) => setImmediate(resolve));
  const reply = r.sent[0] as { id: number; error: { code: number; message: string } };
  assert.is(reply.id, 2);
  assert.is(reply.error.code, -32601);
  assert.ok(reply.error.message.length < MAX_QUOTED_METHOD_CHARS + 100, `message of ${reply.error.message.length} characters`);
  assert.match(reply.error.message, /\(1000000 characters\)$/);
});

echo('quoteMethod keeps names up to the limit', () => {
  const name = 'y'.repeat(MAX_QUOTED_METHOD_CHARS);
  assert.is(quoteMethod(name), name);
  assert.is(quoteMethod(`${name}z`), `${name}... (${MAX_QUOTED_METHOD_CHARS + 1} characters)`);
});

echo.run();
