// A stdio server that floods its client with requests and never reads the answers must not
// grow the client without bound: past `maxBufferedBytes` of answers waiting unread on the
// server's stdin, the client stops reading the server's stdout until they drain (the pipe
// then holds the server back), as the server side does for a client that never reads.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, TransportHandlers } from '../../protocol/index.ts';
import { createStdioClientTransport, type StdioClientTransport } from './client.ts';

const floodServer = fileURLToPath(new URL('./fixtures/ping-flood-server.mjs', import.meta.url));
const TOTAL = 200_000;

/** Handlers that answer every ping at once, as a client session does, and count what came. */
function answering(transport: () => StdioClientTransport) {
  const state = { pings: 0, others: [] as unknown[], errors: [] as Error[], onOther: () => {}, onPing: () => {} };
  const handlers: TransportHandlers = {
    onMessage(m) {
      const message = m as JsonRpcMessage & { id?: number; method?: string };
      if (message.method === 'ping') {
        state.pings++;
        state.onPing();
        transport().send({ jsonrpc: '2.0', id: message.id!, result: {} }).catch((e: Error) => state.errors.push(e));
      } else {
        state.others.push(m);
        state.onOther();
      }
    },
    onClose() {},
    onError: (e) => state.errors.push(e),
  };
  return { state, handlers };
}

/** Resolves with `event`, or rejects after `ms` saying what did not happen. */
function within<T>(event: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms); });
  return Promise.race([event, late]).finally(() => clearTimeout(timer));
}

/** Resolves once `count()` has not changed for `quietMs` (bounded by `maxMs`). */
async function settled(count: () => number, quietMs = 300, maxMs = 20_000): Promise<number> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  while (Date.now() < deadline) {
    const now = count();
    if (now === last) return now;
    last = now;
    await new Promise<void>((resolve) => setTimeout(resolve, quietMs));
  }
  return count();
}

const test = suite('stdio client: a server flooding requests');

test('a server that never reads its answers is read no further once maxBufferedBytes of them wait', async () => {
  const transport = createStdioClientTransport({ command: process.execPath, args: [floodServer, String(TOTAL), 'deaf'], maxBufferedBytes: 64 * 1024, closeGraceMs: 200 });
  const { state, handlers } = answering(() => transport);
  // The first request is awaited before the quiet wait: on a loaded machine the server may
  // take longer than the quiet window to start, and a count still at 0 would look settled.
  const first = new Promise<void>((resolve) => { state.onPing = resolve; });
  await transport.start(handlers);
  try {
    await within(first, 30_000, 'no request came from the server');
    const read = await settled(() => state.pings);
    assert.ok(read < TOTAL / 2, `read ${read} of ${TOTAL} requests while none of the answers was taken`);
    assert.ok(read > 0);
  } finally {
    await transport.close();
  }
});

test('a server that reads its answers gets every one, however many it asks at once', async () => {
  const transport = createStdioClientTransport({ command: process.execPath, args: [floodServer, String(TOTAL)], maxBufferedBytes: 64 * 1024 });
  const { state, handlers } = answering(() => transport);
  const told = new Promise<void>((resolve) => { state.onOther = resolve; });
  await transport.start(handlers);
  await told;
  assert.is(state.pings, TOTAL);
  assert.match(JSON.stringify(state.others[0]), /all answered/);
  await transport.close();
});

test('maxBufferedBytes must be a non-negative number', () => {
  assert.throws(() => createStdioClientTransport({ command: process.execPath, maxBufferedBytes: -1 }), /maxBufferedBytes/);
});

test.run();
