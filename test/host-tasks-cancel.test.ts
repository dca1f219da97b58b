// A task an earlier host run left is cancelled from the next run: `cancel N` sends
// tasks/cancel, the server stops the task (no booking is made), and `status` / `history` say
// so; cancelling it again says it already ended.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const test = suite('host: cancel a task from the next run');
test.before(async () => { dir = await tempDir('mcpwire-host-tasks-cancel-'); });
test.after(async () => {
  await killAll();
  await dir.remove();
});

for (const era of ['legacy-first', 'modern'] as const) {
  test(`${era}: cancel N of a remembered task stops it on the server`, async () => {
    const state = join(dir.path, `server-${era}`);
    const hostArgs = (url: string) => ['--url', url, '--state', join(dir.path, `host-${era}`), '--tasks', 'auto', '--era', era];
    const server = await startServer({ state, stepMs: 20 });
    const first = spawnHost(hostArgs(server.url));
    const c1 = conversation(first);
    await c1.expect(/Type "help"/, 'travel_agent destination=Rome');
    await c1.expect(/runs as task/);
    await c1.expect(/Answer\?/);
    first.kill('SIGINT');
    await c1.expect(/\[d\]etach/, 'd');
    await c1.expect(/#1 travel_agent detached/, 'quit');
    assert.is(await first.exited(), 0);

    const second = spawnHost(hostArgs(server.url));
    const c2 = conversation(second);
    await c2.expect(/\(task\) #1 travel_agent[^\n]*input_required[^\n]*"cancel 1" to cancel/);
    await c2.expect(/Type "help"/, 'cancel 1');
    await c2.expect(/⊘ #1 travel_agent: task \S+ cancelled/, 'history 1');
    await c2.expect(/#1 travel_agent \{"destination":"Rome"\}[^\n]*\n {2}cancelled/, 'status');
    await c2.expect(/(No calls yet|Calls:)/);
    await c2.expect(/server 127\.0\.0\.1:\d+: ready/, 'cancel 1');
    await c2.expect(/✗ there is no call #1; type status/, 'quit');
    assert.is(await second.exited(), 0);
    assert.not.match(second.out(), /\(task\) #1[^\n]*\n[^\n]*server 127/, 'status lists no task once it is cancelled');
    const booked = await readdir(join(state, 'agents', 'bookings')).catch(() => [] as string[]);
    const records = await Promise.all(booked.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await (await import('node:fs/promises')).readFile(join(state, 'agents', 'bookings', n), 'utf8'))));
    assert.ok(records.every((r) => r.status !== 'booked'), 'nothing booked');
    await server.stop();
  });
}

test.run();
