// The stdio server transport's hold on process.stdout (guardStdout): taken at start, shared by
// two transports, put back by the last to close; never taken for another stdout stream or
// with guardStdout: false. The end-to-end case (a tool's console.log) is test/stdio-console-log.test.ts.
import { PassThrough } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TransportHandlers } from '../../protocol/index.ts';
import { createStdioServerTransport, type StdioServerTransportOptions } from './server.ts';

const handlers: TransportHandlers = { onMessage: () => {}, onClose: () => {}, onError: () => {} };
const test = suite('stdio server transport: the hold on process.stdout');
const ownBefore = Object.hasOwn(process.stdout, 'write');
const writeBefore = process.stdout.write;

async function started(options: StdioServerTransportOptions = {}) {
  const transport = createStdioServerTransport({ stdin: new PassThrough(), onDiagnostic: () => {}, ...options });
  await transport.start(handlers);
  return transport;
}

test('taken at start (not at creation), shared by two transports, put back by the last to close', async () => {
  const made = createStdioServerTransport({ stdin: new PassThrough() });
  assert.is(process.stdout.write, writeBefore, 'creating a transport changes nothing');
  const a = await started();
  const b = await started();
  try {
    assert.is.not(process.stdout.write, writeBefore, 'held while open');
    await a.close();
    assert.is.not(process.stdout.write, writeBefore, 'still held by the second');
  } finally {
    await b.close();
    await made.close();
  }
  assert.is(process.stdout.write, writeBefore);
  assert.is(Object.hasOwn(process.stdout, 'write'), ownBefore, 'no own property left behind');
});

test('another stdout stream, or guardStdout: false: process.stdout is left alone', async () => {
  const other = await started({ stdout: new PassThrough() });
  const off = await started({ guardStdout: false });
  try {
    assert.is(process.stdout.write, writeBefore);
  } finally {
    await other.close();
    await off.close();
  }
});

test('a write replaced by someone else while held is kept at close', async () => {
  const t = await started();
  const theirs = ((..._args: unknown[]) => true) as typeof process.stdout.write;
  try {
    process.stdout.write = theirs;
  } finally {
    await t.close();
  }
  try {
    assert.is(process.stdout.write, theirs);
  } finally {
    process.stdout.write = writeBefore;
    if (!ownBefore) delete (process.stdout as { write?: unknown }).write;
  }
});

test.run();
