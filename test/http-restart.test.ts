// kill -9 the HTTP server (file event store) while a tool streams 1,000 progress events,
// restart it on the same state directory, resume: the call completes with nothing lost or
// duplicated. In SSE mode and in JSON reply mode (issue #10 item 1: a JSON reply that turned
// to SSE when it streamed is re-run after the restart and answered on the resumed stream;
// one that sends nothing turns after `jsonSseAfterMs`, so it too can be collected).
// Real processes on 127.0.0.1, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagesOf, readEvents } from './http-fixture.ts';
import { killed, openSession, resumeUntil, startServe } from './serve-process.ts';

const MODES = [
  { name: 'SSE replies', args: [] as string[], firstReply: /text\/event-stream/ },
  { name: '--json-response', args: ['--json-response'], firstReply: /application\/json/ },
];

for (const mode of MODES) {
  const restart = suite(`restart (${mode.name}): kill -9 mid-call, restart on the same state, resume`);
  const startServer = (stateDir: string) => startServe(['--state', stateDir, ...mode.args]);

  restart('a 1,000-step progress call completes after a kill -9 with nothing lost or duplicated', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-'));
    let server = await startServer(dir);
    try {
      const { init, headers, call: post } = await openSession(server.url);
      assert.match(init.headers.get('content-type') ?? '', mode.firstReply);

      const call = await post({
        jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: 1000, delayMs: 2 }, _meta: { progressToken: 'run' } },
      });
      assert.match(call.headers.get('content-type') ?? '', /text\/event-stream/, 'a streaming call is answered in SSE');
      const before = await readEvents(call, 301); // the priming event and 300 progress events
      await killed(server.child);

      server = await startServer(dir);
      assert.match(server.log(), /restored 1 sessions/);
      const seen = [...before];
      await resumeUntil(server.url, headers, seen, 1);
      const messages = messagesOf(seen);
      const progress = messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
      assert.is(progress.length, 1000, 'every progress event exactly once');
      assert.ok(progress.every((p, i) => p === i + 1), 'in order');
      const responses = messages.filter((m) => m.id === 1);
      assert.is(responses.length, 1);
      assert.equal(responses[0]!.result.content, [{ type: 'text', text: 'counted to 1000' }]);
    } finally {
      if (server.child.exitCode === null) await killed(server.child);
      await rm(dir, { recursive: true, force: true });
    }
  });

  if (mode.args.includes('--json-response')) {
    restart('a call that sends nothing: its JSON reply turns to SSE after the grace, so its result is collected after a kill -9', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-'));
      let server = await startServer(dir);
      try {
        const { headers, call: post } = await openSession(server.url);
        // No progress token: the tool sends nothing until its result (about 8 s).
        const call = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: 4000, delayMs: 2 } } });
        assert.match(call.headers.get('content-type') ?? '', /text\/event-stream/, 'a reply owed past the grace is SSE');
        const [priming] = await readEvents(call, 1);
        assert.ok(priming?.id, 'the priming event carries an id to resume from');
        await killed(server.child);

        server = await startServer(dir);
        const seen = [priming!];
        await resumeUntil(server.url, headers, seen, 1);
        const responses = messagesOf(seen).filter((m) => m.id === 1);
        assert.is(responses.length, 1, 'the re-run call is answered exactly once');
        assert.equal(responses[0]!.result.content, [{ type: 'text', text: 'counted to 4000' }]);
      } finally {
        if (server.child.exitCode === null) await killed(server.child);
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  restart.run();
}
