// The stdio client loads the routing of a line over maxLineBytes on the first such line
// (issue #20: it stays out of the client's start). What the server's stdout carries meanwhile
// is held in order and routed once the load is done: nothing lost, nothing reordered. This file
// is its own process, so its first oversize line is the one that starts the load.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer, type Transport } from '../../protocol/index.ts';
import { createStdioClientTransport } from './client.ts';

const server = fileURLToPath(new URL('./fixtures/oversize-reply-server.mjs', import.meta.url));
const test = suite('stdio client: the lines that arrive while the oversize routing loads');

test('two lines over the limit and one under it, in one chunk, during the load: each routed, in the order they came', async () => {
  const seen: string[] = [];
  const transport = createStdioClientTransport({ command: process.execPath, args: [server, 'lines'], closeGraceMs: 200, maxLineBytes: 1_000 });
  // What the transport hands the peer, in the order it does.
  const tapped: Transport = {
    start: (h) => transport.start({
      onClose: (error) => h.onClose(error),
      onMessage: (payload, ...rest) => { seen.push(`message: ${JSON.stringify(payload)}`); h.onMessage(payload, ...rest); },
      onError: (error) => { seen.push(`error: ${error.message}`); h.onError(error); },
      onRequestFailed: (id, error, method) => { seen.push(`failed ${id}: ${(error as Error & { code?: string }).code}: ${error.message}`); h.onRequestFailed?.(id, error, method); },
    }),
    send: (message, options) => transport.send(message, options),
    close: () => transport.close(),
  };
  const peer = createPeer({ onError: () => undefined });
  let noted!: () => void;
  const answered = new Promise<void>((resolve) => { noted = resolve; });
  peer.onNotification('notifications/answer' as never, (() => noted()) as never);
  await peer.connect(tapped);
  try {
    const failure = await (peer.request as (m: string, p: unknown, o: unknown) => Promise<unknown>)('anything', {}, { timeoutMs: 10_000 })
      .then(() => undefined, (e: unknown) => e as Error & { code?: string });
    await answered;
    assert.is(failure?.code, 'MCP_ERR_MESSAGE_TOO_LARGE', failure?.message);
    // The id comes after the result: only the whole line, scanned after the load, names it.
    assert.equal(seen, [
      'error: dropped an inbound notification: the message of 2066 bytes exceeds the limit of 1000 bytes (maxLineBytes)',
      'failed 1: MCP_ERR_MESSAGE_TOO_LARGE: the answer to request 1 exceeds the limit of 1000 bytes (maxLineBytes)',
      'message: {"jsonrpc":"2.0","method":"notifications/answer","params":{"after":true}}',
    ]);
  } finally {
    await transport.close();
  }
});

test.run();
