import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, McpError, type JsonRpcMessage, type TransportHandlers } from '../protocol/index.ts';
import { createMemoryPair } from './memory.ts';

interface Recorder extends TransportHandlers {
  messages: unknown[];
  closes: (Error | undefined)[];
  errors: Error[];
}

function recorder(): Recorder {
  const r: Recorder = {
    messages: [], closes: [], errors: [],
    onMessage: (m) => r.messages.push(m),
    onClose: (e) => r.closes.push(e),
    onError: (e) => r.errors.push(e),
  };
  return r;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const note = (n: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'n', params: { n } });

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, McpError);
    assert.is((e as McpError).code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

const memory = suite('memory transport pair');

memory('messages arrive in order, asynchronously, both ways', async () => {
  const [a, b] = createMemoryPair();
  const ra = recorder();
  const rb = recorder();
  await a.start(ra);
  await b.start(rb);
  for (let n = 0; n < 100; n++) void a.send(note(n));
  void b.send(note(-1));
  assert.is(rb.messages.length, 0, 'not delivered synchronously');
  assert.is(ra.messages.length, 0, 'not delivered synchronously');
  await tick();
  assert.equal(rb.messages, Array.from({ length: 100 }, (_, n) => note(n)));
  assert.equal(ra.messages, [note(-1)]);
});

memory('messages sent before the peer starts wait for it', async () => {
  const [a, b] = createMemoryPair();
  await a.send(note(1));
  await a.send(note(2));
  await tick();
  const rb = recorder();
  await b.start(rb);
  await a.send(note(3));
  await tick();
  assert.equal(rb.messages, [note(1), note(2), note(3)]);
});

memory('no object is shared between the ends; extra is empty', async () => {
  const [a, b] = createMemoryPair();
  const extras: unknown[] = [];
  const got: unknown[] = [];
  await b.start({ onMessage: (m, extra) => { got.push(m); extras.push(extra); }, onClose() {}, onError() {} });
  const message = { jsonrpc: '2.0' as const, id: 1, method: 'x', params: { nested: { list: [1, 2] } } };
  await a.send(message, { relatedRequestId: 7 });
  message.params.nested.list.push(3);
  await tick();
  assert.equal(got, [{ jsonrpc: '2.0', id: 1, method: 'x', params: { nested: { list: [1, 2] } } }]);
  assert.is.not(got[0], message);
  assert.equal(extras, [undefined]);
  // the receiver's mutation does not reach the sender either
  (got[0] as typeof message).params.nested.list.length = 0;
  assert.equal(message.params.nested.list, [1, 2, 3]);
});

memory('a message that is not serialisable makes send reject', async () => {
  const [a, b] = createMemoryPair();
  const rb = recorder();
  await b.start(rb);
  const cyclic: Record<string, unknown> = { jsonrpc: '2.0', method: 'x' };
  cyclic.params = cyclic;
  try {
    await a.send(cyclic as unknown as JsonRpcMessage);
    assert.unreachable('should reject');
  } catch (e) {
    assert.instance(e, TypeError);
  }
  try {
    await a.send({ jsonrpc: '2.0', method: 'x', params: { big: 1n } });
    assert.unreachable('should reject');
  } catch (e) {
    assert.instance(e, TypeError);
  }
  await tick();
  assert.equal(rb.messages, []);
});

memory('a message over maxMessageBytes rejects with MCP_ERR_MESSAGE_TOO_LARGE', async () => {
  const [a, b] = createMemoryPair({ maxMessageBytes: 100 });
  const rb = recorder();
  await b.start(rb);
  await rejectsWith(a.send({ jsonrpc: '2.0', method: 'x', params: { s: 'é'.repeat(40) } }), LocalErrorCode.MessageTooLarge);
  await a.send({ jsonrpc: '2.0', method: 'x', params: { s: 'e'.repeat(40) } });
  await tick();
  assert.is(rb.messages.length, 1);
  // the default is 4 MiB
  const [c, d] = createMemoryPair();
  await d.start(recorder());
  await rejectsWith(c.send({ jsonrpc: '2.0', method: 'x', params: { s: 'x'.repeat(4 * 1024 * 1024) } }), LocalErrorCode.MessageTooLarge);
  await c.send({ jsonrpc: '2.0', method: 'x', params: { s: 'x'.repeat(4 * 1024 * 1024 - 100) } });
});

memory('closing one end closes both, each onClose exactly once', async () => {
  const [a, b] = createMemoryPair();
  const ra = recorder();
  const rb = recorder();
  await a.start(ra);
  await b.start(rb);
  await a.send(note(1));
  await a.close();
  assert.equal(ra.closes, [undefined]);
  assert.equal(rb.closes, [undefined]);
  assert.equal(rb.messages, [note(1)], 'what was sent before close still arrives, before onClose');
  await a.close();
  await b.close();
  await tick();
  assert.is(ra.closes.length, 1);
  assert.is(rb.closes.length, 1);
});

memory('the closing end drops what it had not yet received', async () => {
  const [a, b] = createMemoryPair();
  const ra = recorder();
  await a.start(ra);
  await b.start(recorder());
  void b.send(note(1));
  await a.close();
  await tick();
  assert.equal(ra.messages, []);
  assert.equal(ra.closes, [undefined]);
});

memory('send after close rejects with MCP_ERR_CLOSED on both ends', async () => {
  const [a, b] = createMemoryPair();
  await a.start(recorder());
  await b.start(recorder());
  await b.close();
  await rejectsWith(a.send(note(1)), LocalErrorCode.Closed);
  await rejectsWith(b.send(note(1)), LocalErrorCode.Closed);
});

memory('a peer that starts after the close gets the earlier messages, then onClose', async () => {
  const [a, b] = createMemoryPair();
  await a.start(recorder());
  await a.send(note(1));
  await a.close();
  const rb = recorder();
  await b.start(rb);
  await tick();
  assert.equal(rb.messages, [note(1)]);
  assert.equal(rb.closes, [undefined]);
  // an end closed before it started cannot start
  const [c] = createMemoryPair();
  await c.close();
  await rejectsWith(c.start(recorder()), LocalErrorCode.Closed);
});

memory('a throwing onMessage is reported via onError and delivery continues', async () => {
  const [a, b] = createMemoryPair();
  const rb = recorder();
  let first = true;
  await b.start({
    ...rb,
    onMessage: (m) => {
      if (first) {
        first = false;
        throw new Error('boom');
      }
      rb.messages.push(m);
    },
  });
  await a.send(note(1));
  await a.send(note(2));
  await tick();
  assert.equal(rb.messages, [note(2)]);
  assert.is(rb.errors[0]?.message, 'boom');
});

memory.run();
