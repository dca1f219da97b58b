// A server that dies in the middle of writing a response (its last line cut, no newline):
// the call fails with MCP_ERR_CLOSED naming the exit, and onError gets one report naming
// the cause, the output that ended inside a message. Before, the cut line was parsed as a
// message: a parse error, then a -32700 answer written to the dead server's stdin (EPIPE,
// and "could not send an error response"): three reports for one crash.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer } from '../../protocol/index.ts';
import { createStdioClientTransport } from './client.ts';

const server = fileURLToPath(new URL('./fixtures/cut-line-server.mjs', import.meta.url));
const test = suite('stdio client: the server exits in the middle of a line');

test('the call fails naming the exit, and one report names the cut message', async () => {
  // Three runs: the EPIPE raced the exit, so one run could show only part of the noise.
  for (let run = 0; run < 3; run++) {
    const errors: Error[] = [];
    let closed!: (e: Error | undefined) => void;
    const whenClosed = new Promise<Error | undefined>((r) => { closed = r; });
    const transport = createStdioClientTransport({ command: process.execPath, args: [server], closeGraceMs: 200 });
    const peer = createPeer({ onError: (e) => errors.push(e), onClose: (e) => closed(e) });
    await peer.connect(transport);
    const failure = await (peer.request as (m: string, p: unknown, o: unknown) => Promise<unknown>)('anything', {}, { timeoutMs: 10_000 })
      .then(() => undefined, (e: unknown) => e as Error & { code?: string });
    assert.is(failure?.code, 'MCP_ERR_CLOSED', failure?.message);
    assert.match(String(failure?.message), /exited with code 3/);
    assert.match(String((await whenClosed)?.message), /exited with code 3/);
    // The child's 'close' comes after its stdin's last error; the reports of failed writes a tick later.
    await new Promise((r) => setImmediate(r));
    assert.equal(errors.map((e) => e.message).length, 1, errors.map((e) => e.message).join(' | '));
    assert.match(errors[0]!.message, /output ended inside a message/);
    assert.match(errors[0]!.message, /\d+ bytes/);
  }
});

test('a request the server never reads (it exits): the call fails naming the exit, as the close does; no EPIPE report', async () => {
  for (let run = 0; run < 3; run++) {
    const errors: Error[] = [];
    let closed!: (e: Error | undefined) => void;
    const whenClosed = new Promise<Error | undefined>((r) => { closed = r; });
    const transport = createStdioClientTransport({ command: process.execPath, args: [server, 'at-once'], closeGraceMs: 200 });
    const peer = createPeer({ onError: (e) => errors.push(e), onClose: (e) => closed(e) });
    await peer.connect(transport);
    // 8 MiB: more than the pipe holds, so the write is still going when the server exits.
    const failure = await (peer.request as (m: string, p: unknown, o: unknown) => Promise<unknown>)('anything', { pad: 'p'.repeat(8 << 20) }, { timeoutMs: 10_000 })
      .then(() => undefined, (e: unknown) => e as Error & { code?: string });
    assert.is(failure?.code, 'MCP_ERR_CLOSED', failure?.message);
    // The write fails first; the call's error names the exit all the same (faults7's leftover:
    // it said only "the output stream closed before the message was written").
    assert.match(String(failure?.message), /exited with code 3/);
    assert.match(String((await whenClosed)?.message), /exited with code 3/);
    await new Promise((r) => setImmediate(r));
    assert.equal(errors.map((e) => e.message), [], 'the exit is the one cause, told by the call and onClose');
  }
});

test.run();
