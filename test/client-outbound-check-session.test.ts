// The client's check before it sends (checkOutbound: a method the server did not declare is
// refused locally, MCP_ERR_CAPABILITY) remembers the method it let through last, with the
// session's capabilities, version and era, so a call does not repeat its table lookups (bench h).
// What it remembers lets that method alone through: any other is checked again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server/server.ts';
import { createClient } from '../client/client.ts';
import { createMemoryPair } from '../transport/memory.ts';

const test = suite('client: the check before a call, remembered for the method let through last');

test('tools/call let through again and again; prompts/get, undeclared, still refused between the calls', async () => {
  const server = createServer({ name: 'tools', version: '1' });
  server.tool({ name: 'echo' }, async () => 'hi');
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy' });
  const [a, b] = createMemoryPair();
  await server.connect(a);
  await client.connect(b);
  try {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) assert.equal((await client.callTool('echo', {})).content, [{ type: 'text', text: 'hi' }]);
      const failure = await client.getPrompt('p').then(() => undefined, (e: unknown) => e as Error & { code?: string });
      assert.is(failure?.code, 'MCP_ERR_CAPABILITY', failure?.message);
      assert.match(String(failure?.message), /the server did not declare the prompts capability needed for prompts\/get/);
    }
  } finally {
    await client.close();
  }
});

test.run();
