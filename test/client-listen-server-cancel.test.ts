// 2026-07-28 basic/patterns/cancellation: "A server MUST send notifications/cancelled
// referencing a subscriptions/listen request ID when it tears down that subscription stream."
// Over stdio nothing else ends the listen: the client takes the notification as the end of
// the subscription and listens again (as after a dropped stream), without cancelling back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

type Raw = { id?: string | number; method?: string; params?: Record<string, unknown> };
const SUB = 'io.modelcontextprotocol/subscriptionId';

const cancel = suite('client: a server tears a listen down with notifications/cancelled');

cancel('the listen is listened again, and no cancel is sent back', async () => {
  const [clientEnd, serverEnd] = createMemoryPair();
  const written: Raw[] = [];
  const listens: Array<string | number> = [];
  let relisten!: () => void;
  const second = new Promise<void>((r) => { relisten = r; });
  serverEnd.start({
    onMessage: (m) => {
      const msg = m as Raw;
      written.push(msg);
      if (msg.method === 'server/discover') {
        void serverEnd.send({ jsonrpc: '2.0', id: msg.id!, result: { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'm', version: '1' } } });
      } else if (msg.method === 'subscriptions/listen') {
        listens.push(msg.id!);
        void serverEnd.send({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: { toolsListChanged: true }, _meta: { [SUB]: msg.id } } });
        if (listens.length === 2) relisten();
      }
    },
    onClose: () => {},
    onError: () => {},
  });
  const client = createClient({ name: 'c', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(clientEnd);
  const drops: string[] = [];
  const listening = client.listen({ toolsListChanged: true }, { onDrop: (e) => drops.push(e.message) }, { initialDelayMs: 1 });
  try {
    await listening.acknowledged;
    const first = listening.subscriptionId!;
    await serverEnd.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: first, reason: 'shutting down' } });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([second.then(() => 'listened again'), new Promise((r) => { timer = setTimeout(() => r('still waiting on the torn-down listen'), 2_000); })]);
    clearTimeout(timer);
    assert.is(outcome, 'listened again');
    assert.is.not(listening.subscriptionId, first);
    assert.match(drops[0] ?? '', /shutting down/);
    assert.is(written.filter((m) => m.method === 'notifications/cancelled').length, 0, 'the client did not cancel the listen the server ended');
  } finally {
    await client.close();
    await listening.close();
  }
});

cancel.run();
