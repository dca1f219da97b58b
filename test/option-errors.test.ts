// Options given wrong fail where they are given, naming the option. A server's `pageSize: 0`
// used to surface at its clients as "tools/list did not end after 1000 pages", a `pageSize`
// of -5 or "10" as "Invalid cursor for tools"; a client's `era: 'new'` was taken for legacy.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer } from '../server/index.ts';
import { createClient } from '../client/index.ts';
import { createMemoryPair } from '../transport/index.ts';

const INFO = { name: 'o', version: '1' };
const named = (name: string) => (e: unknown) => e instanceof RangeError && e.message.startsWith(`${name} must be`);

const options = suite('options: a wrong value is a RangeError naming the option');

options('createServer pageSize: positive integers only', () => {
  for (const pageSize of [0, -5, 1.5, '10', Number.NaN]) {
    assert.throws(() => createServer(INFO, { pageSize: pageSize as number }), named('pageSize'), String(pageSize));
  }
});

options('createClient maxPages, maxInputRequests: positive integers; maxInputRounds: 0 or more', () => {
  for (const name of ['maxPages', 'maxInputRounds', 'maxInputRequests'] as const) {
    for (const value of [name === 'maxInputRounds' ? -1 : 0, -1, 2.5, '3']) {
      assert.throws(() => createClient(INFO, { [name]: value as number }), named(name), `${name} ${String(value)}`);
    }
  }
  // maxInputRounds 0: a client that answers no input round (mcpwire check's bare client).
  void createClient(INFO, { maxInputRounds: 0 });
});

options('createClient era: one of the four choices', () => {
  assert.throws(() => createClient(INFO, { era: 'new' as 'auto' }),
    (e: unknown) => e instanceof RangeError && e.message === `era must be one of 'auto', 'legacy-first', 'legacy', 'modern', got "new"`);
});

options('createMcpHttpHandler: byte and count bounds positive integers, timings numbers of ms', () => {
  const server = createServer(INFO);
  const bad: Array<[string, unknown]> = [
    ['maxBodyBytes', '4mb'], ['maxBodyBytes', -1], ['maxOutboundMessageBytes', 0], ['maxSessions', 0], ['maxPendingServerRequests', 1.5],
    ['maxBufferedBytes', 0], ['maxBufferedBytesTotal', Number.NaN], ['sessionIdleMs', Number.NaN], ['sessionIdleMs', 0],
    ['keepAliveMs', -5], ['jsonSseAfterMs', -1], ['maxConnectionMs', '1s'], ['retryMs', -1],
  ];
  for (const [name, value] of bad) {
    assert.throws(() => createMcpHttpHandler(server, { [name]: value }), named(name), `${name} ${String(value)}`);
  }
  // The documented special values stay valid: 0 turns keep-alive comments off, Infinity keeps JSON replies JSON.
  for (const good of [{ keepAliveMs: 0 }, { jsonSseAfterMs: Infinity }, { sessionIdleMs: Infinity }, { retryMs: 0 }]) void createMcpHttpHandler(server, good).close();
});

options('valid values still serve: pageSize 1 pages one tool at a time, the client follows every page', async () => {
  const server = createServer(INFO, { pageSize: 1 });
  for (const name of ['a', 'b', 'c']) server.tool({ name }, () => name);
  const [serverSide, clientSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient(INFO, { maxPages: 3, era: 'legacy' });
  await client.connect(clientSide);
  assert.equal((await client.listTools()).map((t) => t.name), ['a', 'b', 'c']);
  await client.close();
});

options.run();
