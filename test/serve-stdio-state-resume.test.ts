// `mcpwire serve --stdio --fixtures --state DIR`, killed with SIGKILL while a 2026-07-28 task
// works, started again on DIR: the task is run again at start, as `serve --http` does. It was
// not: it stayed `working` until a request about it came and took it over ("taken over: the
// instance running it stopped"), so a client waiting to be told of its end never was.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, spawnCli } from './host-harness.ts';

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } },
  'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
};
const line = (id: number, method: string, params: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: META } });

const test = suite('serve --stdio --state: unfinished tasks resumed at start');
test.after(killAll);

test('a task cut by kill -9 is resumed by the next start, before any request about it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-stdio-resume-'));
  try {
    const first = spawnCli(['serve', '--stdio', '--fixtures', '--state', dir]);
    first.send(line(1, 'tools/call', { name: 'slow_compute', arguments: { seconds: 1 } }));
    const taskId = (await first.waitFor(/"id":1,"result":\{"taskId":"([^"]+)","status":"working"/, { stream: 'stdout', timeoutMs: 20_000 }))[1]!;
    first.kill('SIGKILL');
    await first.exited(10_000);

    const second = spawnCli(['serve', '--stdio', '--fixtures', '--state', dir]);
    await second.waitFor(/resumed 1 tasks/, { stream: 'stderr', timeoutMs: 20_000 });
    second.send(line(2, 'tasks/get', { taskId }));
    const got = JSON.parse((await second.waitFor(/^\{"jsonrpc":"2.0","id":2,.*$/m, { stream: 'stdout', timeoutMs: 10_000 }))[0]) as { result: { status: string; statusMessage?: string } };
    assert.ok(['working', 'completed'].includes(got.result.status), got.result.status);
    assert.not.match(got.result.statusMessage ?? '', /taken over/, 'resumed at start, not taken over by the request');
    second.end();
    assert.is(await second.exited(15_000), 0, second.err());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
