// Usage errors name the flag the user typed and what is wrong with it. `serve --port -1` said
// "Option '--port' argument is ambiguous. Did you forget to specify the option argument...",
// and `serve --stdio --port 3000` served stdio with the port silently ignored (walk, session 13).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseCommandArgs } from './args.ts';
import { serveCommand } from './serve.ts';
import { usageError } from '../test/support/usage-error.ts';

const usage = suite('mcpwire serve and the other commands: usage errors');

const flags = { port: { type: 'string' }, 'allowed-hosts': { type: 'string' }, yes: { type: 'boolean', short: 'y' } } as const;

usage('a value that starts with "-" names the flag and the way to pass it', async () => {
  assert.is(await usageError(() => parseCommandArgs(['--port', '-1'], flags)), '--port needs a value, got the flag-like "-1" (a value starting with "-" is written --port=-1)');
  assert.is(await usageError(() => parseCommandArgs(['--allowed-hosts', '--port', '3'], flags)), '--allowed-hosts needs a value before --port');
  assert.equal(parseCommandArgs(['--port=-1'], flags).values.port, '-1', 'the = form passes the value on, for the command to judge');
});

usage('an HTTP option with --stdio is refused, naming it', async () => {
  assert.is(await usageError(() => serveCommand(['--stdio', '--port', '3000'])), '--port goes with --http, not --stdio');
  assert.is(await usageError(() => serveCommand(['--stdio', '--json-response', '--path', '/x'])), '--path, --json-response go with --http, not --stdio');
});

usage('the ping flags go with --stdio, the timeout with the interval, both positive integers', async () => {
  assert.is(await usageError(() => serveCommand(['--http', '--ping-interval-ms', '1000'])), '--ping-interval-ms goes with --stdio, not --http (the HTTP server pings no session)');
  assert.is(await usageError(() => serveCommand(['--stdio', '--ping-timeout-ms', '1000'])), '--ping-timeout-ms goes with --ping-interval-ms');
  assert.is(await usageError(() => serveCommand(['--stdio', '--ping-interval-ms', '0'])), '--ping-interval-ms must be a positive integer, got "0"');
});

usage('--allowed-hosts refuses a value no client can send as Host, by name, before listening', async () => {
  for (const bad of ['a b', 'http://api.example', 'api.example/x', 'user@api.example', 'api.example:port']) {
    assert.is(await usageError(() => serveCommand(['--http', '--port', '0', '--allowed-hosts', bad])),
      `--allowed-hosts takes host names like api.example or api.example:8443, got "${bad}"`);
  }
});

usage('a port in use or a host that is not this machine\'s is refused naming the flag (it said only "listen EADDRINUSE")', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const inUse = await Promise.resolve(serveCommand(['--http', '--port', String(port)])).then(() => 'served', (e: Error) => e.message);
    assert.is(inUse, `--port ${port}: 127.0.0.1:${port} is already in use (choose another port, or --port 0 for any free one)`);
  } finally {
    taken.close();
  }
  const badHost = await Promise.resolve(serveCommand(['--http', '--port', '0', '--host', '999.1.1.1'])).then(() => 'served', (e: Error) => e.message);
  assert.match(badHost, /^--host 999\.1\.1\.1: not an address of this machine/);
});

usage('a port fetch blocks (6000) is served with a warning saying who cannot connect (it listened without a word)', async () => {
  const said: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => { said.push(String(chunk)); return true; }) as typeof process.stderr.write;
  try {
    // A host that is not this machine's: the warning is written before the listen fails.
    await Promise.resolve(serveCommand(['--http', '--port', '6000', '--host', '999.1.1.1'])).catch(() => undefined);
    await Promise.resolve(serveCommand(['--http', '--port', '6001', '--host', '999.1.1.1'])).catch(() => undefined);
  } finally {
    process.stderr.write = write;
  }
  assert.equal(said, ["mcpwire serve: port 6000 is one the fetch standard blocks: browsers and fetch-based clients (Node's fetch, so mcpwire host and the SDKs on Node) never connect to it; curl and clients without that list do. Choose another --port for them\n"]);
});

usage('a --state that cannot be made is refused naming the flag before any store opens in it (the task store said only "EROFS: read-only file system, mkdir ...")', async () => {
  if (!existsSync('/proc/self')) return; // the path that cannot be made
  const message = await usageError(() => serveCommand(['--stdio', '--fixtures', '--state', '/proc/self/mcpwire-state']));
  assert.match(message, /^--state \/proc\/self\/mcpwire-state cannot be created: ENOENT/);
});

usage.run();
