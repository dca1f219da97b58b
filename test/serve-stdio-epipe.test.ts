// `mcpwire serve --stdio` whose client closes its end of the server's stdout (EPIPE) with
// requests in flight: the failure is said once, with how many answers it dropped. Before, every
// answer still owed printed its own line ("could not send the response to request N"), and the
// failure itself was never named.
// And a client that keeps the pipes open but no longer answers: with --ping-interval-ms (2025-11-25
// basic/utilities/ping, session 30) the server finds it and ends; before, it served on for ever.
// It ends with exit code 3, not 0 (session 31): a supervisor tells it from a closed stdin.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnCli } from './host-harness.ts';

const test = suite('serve --stdio: stdout closed by the client');
test.after(killAll);

test('50 requests in flight when stdout fails: one line naming the failure, one count, exit 0', async () => {
  const serve = spawnCli(['serve', '--stdio', '--fixtures']);
  serve.child.stdout!.destroy(); // the client stops reading
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
  let lines = `${JSON.stringify(init)}\n`;
  for (let id = 2; id <= 50; id++) lines += `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`;
  serve.child.stdin!.write(lines);
  assert.is(await serve.exited(20_000), 0, serve.err());
  const err = serve.err();
  assert.not.match(err, /could not send the response to request/, 'before: one line per answer');
  assert.match(err, /stdout failed \(write EPIPE\): the client stopped reading/);
  assert.ok(err.trim().split('\n').length <= 2, err);
});

test.run();

const ping = suite('serve --stdio --ping-interval-ms: a client that stops answering');
ping.after(killAll);

ping('pings answered keep the session; two unanswered in a row end it, said on stderr, exit 3 (not 0 as when stdin closes)', async () => {
  const serve = spawnCli(['serve', '--stdio', '--ping-interval-ms', '200', '--ping-timeout-ms', '300']);
  serve.send(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }));
  serve.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  for (const id of [1, 2]) {
    await serve.waitFor(new RegExp(`^\\{"jsonrpc":"2.0","id":${id},"method":"ping"\\}$`, 'm'), { stream: 'stdout', timeoutMs: 10_000 });
    serve.send(JSON.stringify({ jsonrpc: '2.0', id, result: {} }));
  }
  // From here the client reads on but answers nothing.
  assert.is(await serve.exited(20_000), 3, serve.err());
  assert.equal(serve.err().trim().split('\n'), [
    'mcpwire serve: ping to the client failed (1 of 2 in a row): no answer within 300 ms',
    'mcpwire serve: the client answered none of 2 pings in a row (each given 300 ms, every 200 ms): the connection is treated as gone and closed',
  ]);
});

ping.run();

// faults23's leftover: stdin ended before any message (started by hand and left with ^D, or a
// client that never spoke): exit 0, as for any closed stdin, but with nothing said it looked like
// a server that did nothing. Now one line says so; a client that spoke and closed stdin gets none.
const empty = suite('serve --stdio: stdin ended before any message');
empty.after(killAll);

empty('one stderr line says no client spoke, exit 0; after a message, nothing said', async () => {
  const silent = spawnCli(['serve', '--stdio']);
  const spoke = spawnCli(['serve', '--stdio']);
  silent.child.stdin!.end();
  spoke.child.stdin!.end(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`);
  assert.is(await silent.exited(20_000), 0, silent.err());
  assert.is(silent.err(), 'mcpwire serve: stdin ended before any message (no client spoke); exiting\n');
  assert.is(await spoke.exited(20_000), 0, spoke.err());
  assert.is(spoke.err(), '');
});

empty.run();
