// `mcpwire serve --stdio` whose client closes its end of the server's stdout (EPIPE) with
// requests in flight: the failure is said once, with how many answers it dropped. Before, every
// answer still owed printed its own line ("could not send the response to request N"), and the
// failure itself was never named.
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
