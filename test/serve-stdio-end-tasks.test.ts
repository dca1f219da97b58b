// `mcpwire serve --stdio --fixtures`: the client closes stdin (basic/transports, stdio: how a
// client ends the session) while a task it made is still working. The server stayed up for
// as long as the task's tool ran (slow_compute of 100 s: 100 s; one that never ends: for
// ever), serving nobody: the task's owner was the ended connection. Now the server closes
// its tasks runtime as it does on SIGTERM over HTTP, and exits.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnCli } from './host-harness.ts';

const test = suite('serve --stdio: stdin closed while a task works');
test.after(killAll);

test('a task of 100 s working when stdin ends: the server exits 0 within 15 s', async () => {
  const serve = spawnCli(['serve', '--stdio', '--fixtures']);
  serve.send(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { tasks: {} }, clientInfo: { name: 't', version: '1' } } }));
  await serve.waitFor(/"id":0,"result"/, { stream: 'stdout', timeoutMs: 20_000 });
  serve.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  serve.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow_compute', arguments: { seconds: 100 }, task: { ttl: 60_000 } } }));
  await serve.waitFor(/"id":1,"result":\{"task":\{"taskId":"[^"]+","status":"working"/, { stream: 'stdout', timeoutMs: 20_000 });
  serve.end();
  assert.is(await serve.exited(15_000), 0, serve.err());
});

test.run();
