// Issue #18: a session the client deletes through one instance is gone on every instance,
// even one that still holds a copy (2025-11-25 basic/transports: 404 after DELETE).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: DELETE ends the session everywhere');

  test('deleted through one instance, the other answers 404', async () => {
    const session = await openSession(cluster.proxy.url); // initialize on one, initialized on the other: both hold it
    const call = await session.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
    await new SseReader(call).until((m) => m.id === 1);
    const deleted = await fetch(cluster.proxy.url, { method: 'DELETE', headers: { 'mcp-session-id': session.id, 'mcp-protocol-version': '2025-11-25' } });
    assert.is(deleted.status, 200);
    const deletedOn = cluster.proxy.served.at(-1)!.backend;
    for (let i = 0; i < 2; i++) {
      const after = await session.post({ jsonrpc: '2.0', id: 2 + i, method: 'tools/call', params: { name: 'echo', arguments: { text: 'again' } } });
      assert.is(after.status, 404);
      await after.text();
    }
    assert.ok(cluster.proxy.served.slice(-2).some((s) => s.backend !== deletedOn), 'asked the other instance too');
  });

  test.after(() => cluster.stop());
  test.run();
}
