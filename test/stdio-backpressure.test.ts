// A stdio client that sends requests but never reads stdout: the server stops reading stdin
// once `maxBufferedBytes` of answers wait unread, and goes on when the client reads them.
// Nothing is lost. Found with a hostile client against `mcpwire serve --stdio` that wrote
// 1 MiB echo calls without reading: the server grew past 1.4 GB in six seconds.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { createServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';

const ANSWER_TEXT = 'y'.repeat(16 * 1024);
const CALLS = 200;
const LIMIT = 64 * 1024;

const flow = suite('stdio server: output the client does not read');

flow('reading pauses near maxBufferedBytes of unread answers, then every answer arrives once the client reads', async () => {
  const server = createServer({ name: 'flood', version: '1' });
  let handled = 0;
  server.tool({ name: 'big', description: 'Answers 16 KiB.' }, () => {
    handled++;
    return ANSWER_TEXT;
  });
  const stdin = new PassThrough();
  const stdout = new PassThrough({ highWaterMark: 16 * 1024 });
  await server.connect(createStdioServerTransport({ stdin, stdout, maxBufferedBytes: LIMIT, onDiagnostic: () => {} }));
  stdin.write('{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  // One request per turn of the event loop, as a pipe delivers them.
  for (let id = 1; id <= CALLS; id++) {
    stdin.write(`{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"big"}}\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(handled < CALLS / 2, `the server stopped reading (handled ${handled} of ${CALLS})`);
  assert.ok(stdout.writableLength <= LIMIT + 4 * ANSWER_TEXT.length, `unread output stays near the limit (${stdout.writableLength} bytes)`);
  // The client reads now: every call is answered, in order, none twice.
  const ids: number[] = [];
  let buffered = '';
  await new Promise<void>((resolve) => {
    stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const message = JSON.parse(line) as { id: number; result?: { content: Array<{ text: string }> } };
        if (message.id === 0) continue;
        assert.is(message.result?.content[0]?.text.length, ANSWER_TEXT.length);
        ids.push(message.id);
      }
      if (ids.length === CALLS) resolve();
    });
  });
  assert.equal(ids, Array.from({ length: CALLS }, (_, i) => i + 1));
  stdin.end();
  await server.close();
});

flow('a bad maxBufferedBytes is a RangeError naming it', () => {
  assert.throws(() => createStdioServerTransport({ stdin: new PassThrough(), stdout: new PassThrough(), maxBufferedBytes: -1 }),
    (e: Error) => e instanceof RangeError && /maxBufferedBytes/.test(e.message));
});

flow.run();
