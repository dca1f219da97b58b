// 2025-11-25 basic/lifecycle, version negotiation on the client side: a server that answers
// initialize with a version this client does not speak is left (the client SHOULD disconnect),
// with MCP_ERR_VERSION and no notifications/initialized; a supported older version is used.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

/** A scripted server that answers initialize with `version`; what it heard, and whether it was closed. */
async function scripted(version: string) {
  const [c, s] = createMemoryPair();
  const heard: string[] = [];
  const state = { closed: false };
  await s.start({
    onMessage: (m) => {
      const msg = m as { id?: number; method?: string };
      if (msg.method) heard.push(msg.method);
      if (msg.method === 'initialize') {
        void s.send({ jsonrpc: '2.0', id: msg.id!, result: { protocolVersion: version, capabilities: { tools: {} }, serverInfo: { name: 'scripted', version: '1' } } });
      }
    },
    onClose: () => { state.closed = true; },
    onError() {},
  });
  return { transport: c, heard, state };
}

const negotiate = suite('client: the version the server answers');

negotiate('an unsupported version ends the connection with MCP_ERR_VERSION; initialized is never sent', async () => {
  const f = await scripted('2024-01-01');
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy' });
  const error = await client.connect(f.transport).then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(error?.code, 'MCP_ERR_VERSION');
  assert.match(error!.message, /"2024-01-01"/);
  assert.equal(f.heard, ['initialize']);
  assert.ok(f.state.closed, 'the transport was closed');
});

negotiate('a supported older version is taken, then initialized is sent', async () => {
  const f = await scripted('2025-03-26');
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy' });
  await client.connect(f.transport);
  assert.is(client.protocolVersion, '2025-03-26');
  for (let i = 0; i < 20 && f.heard.length < 2; i++) await new Promise((r) => setImmediate(r));
  assert.equal(f.heard, ['initialize', 'notifications/initialized']);
  await client.close();
});

negotiate.run();
