// A progress token is "a string or integer value" (2025-11-25 basic/utilities/progress, MUST;
// 2026-07-28 basic/patterns/progress the same). A request carrying another kind (1.5) broke the
// rule, but our server then echoed it in notifications/progress, which the schema refuses (and
// which a strict client drops or chokes on). The server now ignores such a token: the request
// runs, with no progress (receivers MAY choose not to send any). An integer token still works.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { createServer as createSourceServer } from '../server/server.ts';
import { Exchange, request } from './modern-kit.ts';
import { rawSession, type Msg } from './raw-legacy-session.ts';

function register(server: { tool: (...a: any[]) => unknown }): void {
  server.tool({ name: 'steps', description: 'd' }, async (_a: unknown, ctx: { progress(p: number, t?: number): Promise<void> }) => {
    for (const i of [1, 2]) await ctx.progress(i, 2);
    return 'ok';
  });
}

const progress = suite('server: progress only for a token that is a string or an integer');

progress('2025-11-25: 1.5 gets the result and no progress; 7 gets its progress; nothing the server sends breaks the schema', async () => {
  const server = createServer({ name: 's', version: '1' });
  register(server as never);
  const s = await rawSession(server, '2025-11-25');
  try {
    assert.equal((await s.call('tools/call', { name: 'steps', arguments: {}, _meta: { progressToken: 1.5 } })).result.content, [{ type: 'text', text: 'ok' }]);
    assert.equal((await s.call('tools/call', { name: 'steps', arguments: {}, _meta: { progressToken: 7 } })).result.content, [{ type: 'text', text: 'ok' }]);
    const sent = s.tap.messages.filter((m) => m.direction === 'server-to-client').map((m) => m.message as Msg);
    assert.equal(sent.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progressToken), [7, 7]);
    const ours = s.tap.violations.filter((v) => v.direction === 'server-to-client');
    assert.is(ours.length, 0, JSON.stringify(ours.slice(0, 2)));
  } finally { await s.close(); await server.close(); }
});

progress('2026-07-28: the same through the dispatcher', async () => {
  const server = createSourceServer({ name: 's', version: '1' });
  register(server as never);
  const x = new Exchange(server);
  await x.send(request('tools/call', { name: 'steps', arguments: {} }, {}, { progressToken: 1.5 }), undefined, true);
  assert.equal(x.notifications, [], 'no progress for 1.5');
  await x.result(request('tools/call', { name: 'steps', arguments: {} }, {}, { progressToken: 3 }));
  assert.equal(x.notifications.map((n) => (n.params as Msg).progressToken), [3, 3]);
});

progress.run();
