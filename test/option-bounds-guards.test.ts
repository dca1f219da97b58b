// Options of the Host/Origin guard and the stdio server transport that were taken unchecked
// (apiwalk6's leftovers, session 32). Before: `allowedHosts: 'localhost'` (a string, not a list)
// failed inside the guard as "values.map is not a function", naming no option, and
// `allowedOrigins: ['http://a', 5]` failed on the first request; `maxLineBytes: 0` refused every
// line and `endGraceMs: -1` closed at once after stdin ended, both silently; the memory event
// store took `maxEventsPerStream: 0` (every event evicted at once) and `ttlMs: -1` as given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { createMcpHttpHandler, createServer } from '../server/index.ts';
import { createMemoryEventStore, createStdioServerTransport } from '../transport/index.ts';
import { createHostGuard } from '../transport/http/index.ts';

const refused = (kind: typeof RangeError | typeof TypeError, message: string) => (e: unknown) => e instanceof kind && e.message === message;

const guards = suite('allowedHosts / allowedOrigins: a list of strings, else a TypeError naming the option');

guards('createMcpHttpHandler refuses a string or a list holding a non-string, where it is given', () => {
  const server = createServer({ name: 'g', version: '1' });
  assert.throws(() => createMcpHttpHandler(server, { allowedHosts: 'localhost' as unknown as string[] }),
    refused(TypeError, 'allowedHosts must be an array of strings, got "localhost"'));
  assert.throws(() => createMcpHttpHandler(server, { allowedHosts: ['localhost'], allowedOrigins: ['http://localhost', 5] as unknown as string[] }),
    refused(TypeError, 'allowedOrigins must be an array of strings, got ["http://localhost",5]'));
  const handler = createMcpHttpHandler(server, { allowedHosts: ['localhost:3000'], allowedOrigins: ['http://localhost:3000'] });
  assert.type(handler.close, 'function');
  void handler.close();
});

guards('createHostGuard refuses a missing, a string and a mixed list', () => {
  assert.throws(() => createHostGuard({} as unknown as { allowedHosts: string[] }),
    refused(TypeError, 'createHostGuard: allowedHosts is required (defaultAllowedHosts(host, port) gives the usual ones)'));
  assert.throws(() => createHostGuard({ allowedHosts: 'localhost' as unknown as string[] }),
    refused(TypeError, 'allowedHosts must be an array of strings, got "localhost"'));
  assert.throws(() => createHostGuard({ allowedHosts: ['localhost'], allowedOrigins: [null] as unknown as string[] }),
    refused(TypeError, 'allowedOrigins must be an array of strings, got [null]'));
  const guard = createHostGuard({ allowedHosts: ['localhost:3000'] });
  assert.is(guard({ host: 'localhost:3000' }), undefined);
  assert.is(guard({ host: 'evil.example' })?.status, 403);
});

guards.run();

const stdio = suite('stdio server: maxLineBytes and endGraceMs checked where given');

stdio('a zero, negative, fractional or string bound is a RangeError naming it; 0 grace is allowed', async () => {
  const streams = () => ({ stdin: new PassThrough(), stdout: new PassThrough() });
  assert.throws(() => createStdioServerTransport({ ...streams(), maxLineBytes: 0 }),
    refused(RangeError, 'maxLineBytes must be a positive integer, got 0'));
  assert.throws(() => createStdioServerTransport({ ...streams(), maxLineBytes: '1024' as unknown as number }),
    refused(RangeError, 'maxLineBytes must be a positive integer, got "1024"'));
  assert.throws(() => createStdioServerTransport({ ...streams(), endGraceMs: -1 }),
    refused(RangeError, 'endGraceMs must be a non-negative integer, got -1'));
  assert.throws(() => createStdioServerTransport({ ...streams(), endGraceMs: 1.5 }),
    refused(RangeError, 'endGraceMs must be a non-negative integer, got 1.5'));
  const transport = createStdioServerTransport({ ...streams(), endGraceMs: 0, maxLineBytes: 1024 });
  await transport.close();
});

stdio.run();

const store = suite('memory event store: its bounds checked where given');

store('a zero, negative or string bound is a RangeError naming it; Infinity means no bound where it can', () => {
  assert.throws(() => createMemoryEventStore({ maxEventsPerStream: 0 }), refused(RangeError, 'maxEventsPerStream must be a positive integer or Infinity, got 0'));
  assert.throws(() => createMemoryEventStore({ ttlMs: -1 }), refused(RangeError, 'ttlMs must be a positive integer or Infinity, got -1'));
  assert.throws(() => createMemoryEventStore({ maxBytes: '1mb' as unknown as number }), refused(RangeError, 'maxBytes must be a positive integer or Infinity, got "1mb"'));
  assert.throws(() => createMemoryEventStore({ maxBytesPerStream: 0.5 }), refused(RangeError, 'maxBytesPerStream must be a positive integer or Infinity, got 0.5'));
  assert.throws(() => createMemoryEventStore({ maxStreams: 0 }), refused(RangeError, 'maxStreams must be a positive integer, got 0'));
  assert.throws(() => createMemoryEventStore({ maxStreams: Infinity }), refused(RangeError, 'maxStreams must be a positive integer, got Infinity'));
  const kept = createMemoryEventStore({ ttlMs: Infinity, maxBytes: Infinity, maxEventsPerStream: 5, maxStreams: 3 });
  assert.type(kept.openStream, 'function');
});

store.run();
