// One process with a durable store (`serve --state`): the 202 to notifications/initialized
// waits until the session's record no longer says "not initialized yet". Before, the 202 went
// out at once; a crash between it and the save restored the session as not initialized, the
// client never sends the notification again, and every ask of that session then timed out
// (2025-11-25 basic/lifecycle: asks wait for it). The store's save is held back to make the window exact.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore, type SessionEventStore } from 'mcpwire/transport';
import { makeFixture } from './http-fixture.ts';

const headers = (sid: string) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });

const saved = suite('http: the 202 to notifications/initialized follows its save');

saved('with restart recovery, the 202 waits for the record saved as initialized', async () => {
  const inner = createMemoryEventStore();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let heldSaves = 0;
  // A save of the session's record once it no longer says initialized: false waits at the gate.
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key !== 'saveSession') return typeof value === 'function' ? value.bind(target) : value;
      return async (sessionId: string, meta: Record<string, unknown>) => {
        const app = meta.app as { initialized?: unknown } | null;
        if (app && app.initialized === undefined && 'protocolVersion' in app) { heldSaves++; await gate; }
        return target.saveSession(sessionId, meta);
      };
    },
  }) as SessionEventStore;
  const f = makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0 }, () => undefined);
  try {
    const init = await f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    let acked = false;
    const ack = f.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers(sid)).then((r) => { acked = true; return r.status; });
    // A ping on the same session is answered while the save waits: the server is not stuck.
    const ping = await f.post({ jsonrpc: '2.0', id: 1, method: 'ping' }, headers(sid));
    await ping.text();
    assert.is(heldSaves, 1, 'the save of the initialized record is waiting at the gate');
    assert.not.ok(acked, 'no 202 while the record still says not initialized');
    release();
    assert.is(await ack, 202);
  } finally {
    release();
    await f.close();
  }
});

saved.run();
