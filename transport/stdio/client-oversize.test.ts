// A line from the server over `maxLineBytes` is routed by what it was, as the server side
// does: a response fails the request it answers at once (MCP_ERR_MESSAGE_TOO_LARGE), even
// when the line never ends; a request is answered -32600 with its id. Before, the client
// only reported the line to onError and the request waited out its timeout.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer } from '../../protocol/index.ts';
import { createStdioClientTransport } from './client.ts';

const server = fileURLToPath(new URL('./fixtures/oversize-reply-server.mjs', import.meta.url));
const test = suite('stdio client: an inbound line over maxLineBytes');
/** The fixture's lines are 5 MB: over a 4 MiB bound (the client's default is 16 MiB). */
const maxLineBytes = 4 * 1024 * 1024;

async function peerOn(mode: string) {
  const errors: Error[] = [];
  const notes: unknown[] = [];
  const transport = createStdioClientTransport({ command: process.execPath, args: [server, mode], closeGraceMs: 200, maxLineBytes });
  const peer = createPeer({ onError: (e) => errors.push(e) });
  peer.onNotification('notifications/answer' as never, ((params: unknown) => void notes.push(params)) as never);
  await peer.connect(transport);
  return { peer, transport, errors, notes };
}

for (const mode of ['whole', 'endless'] as const) {
  test(`a response over the limit (${mode === 'whole' ? 'the line ends' : 'the line never ends'}): the request fails at once with MCP_ERR_MESSAGE_TOO_LARGE`, async () => {
    const { peer, transport } = await peerOn(mode);
    try {
      const started = Date.now();
      const failure = await (peer.request as (m: string, p: unknown, o: unknown) => Promise<unknown>)('anything', {}, { timeoutMs: 12_000 }).then(() => undefined, (e: unknown) => e as Error & { code?: string });
      assert.is(failure?.code, 'MCP_ERR_MESSAGE_TOO_LARGE', failure?.message);
      // Named by its method, not only by an id the caller never saw.
      assert.match(failure!.message, /^anything: the answer to request \d+ exceeds the limit of 4194304 bytes \(maxLineBytes\)$/);
      assert.ok(Date.now() - started < 10_000, `after ${Date.now() - started} ms`);
    } finally {
      await transport.close();
    }
  });
}

test('a request over the limit is answered -32600 with its id', async () => {
  const { peer, transport, notes } = await peerOn('request');
  try {
    const told = new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (notes.length > 0) { clearInterval(timer); resolve(); }
        else if (Date.now() - started > 10_000) { clearInterval(timer); reject(new Error('no answer reached the server in 10 s')); }
      }, 20);
    });
    await transport.send({ jsonrpc: '2.0', method: 'go' });
    await told;
    const answer = notes[0] as { id?: unknown; error?: { code?: number } };
    assert.is(answer.id, 'big-1');
    assert.is(answer.error?.code, -32600);
  } finally {
    await peer.close?.();
    await transport.close();
  }
});

test.run();
