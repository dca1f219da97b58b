// A client transport reads what its server sends up to 16 MiB by default (four times a server's
// bound: servers inflate text, see DEFAULT_CLIENT_MAX_MESSAGE_BYTES), and a lower bound set by
// the caller still drops a longer line and says which option. The HTTP side is in
// host-large-result.test.ts (a 5.9 MB escaped reply).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createStdioClientTransport } from 'mcpwire/client';

const size = suite('stdio client: inbound line size');

/** A child that writes a 6 MB notification line, then a small one, then waits for stdin to end. */
const script = `process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x'.repeat(6 * 1024 * 1024) } }) + '\\n');
process.stdout.write('{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"small"}}\\n');
process.stdin.resume();`;

/** Start a transport on the child; resolves with what it delivered and reported once the small line came. */
async function read(maxLineBytes?: number): Promise<{ received: Array<{ params: { data: string } }>; errors: Error[] }> {
  const transport = createStdioClientTransport({ command: process.execPath, args: ['-e', script], stderr: 'ignore', ...(maxLineBytes ? { maxLineBytes } : {}) });
  const received: Array<{ params: { data: string } }> = [];
  const errors: Error[] = [];
  let wake: (() => void) | undefined;
  await transport.start({
    onMessage: (value) => { received.push(value as { params: { data: string } }); wake?.(); },
    onError: (error) => { errors.push(error); },
    onClose: () => {},
  });
  try {
    while (!received.some((m) => m.params.data === 'small')) await new Promise<void>((resolve) => { wake = resolve; });
  } finally {
    await transport.close();
  }
  return { received, errors };
}

size('by default a 6 MB line from the server is delivered whole', async () => {
  const { received, errors } = await read();
  assert.is(received.length, 2);
  assert.is(received[0]!.params.data.length, 6 * 1024 * 1024);
  assert.equal(errors, []);
});

size('maxLineBytes set to 4 MiB drops it, reports it naming the option, and delivers the next line', async () => {
  const { received, errors } = await read(4 * 1024 * 1024);
  assert.equal(received.map((m) => m.params.data), ['small']);
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /4194304 bytes \(maxLineBytes\)/);
});

size.run();
