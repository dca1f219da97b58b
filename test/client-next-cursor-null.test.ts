// 2026-07-28 server/utilities/pagination: clients "Don't make any determination based on cursor
// value other than whether a non-null value was provided (e.g. an empty string is a valid cursor
// and thus MUST NOT be treated as the end of results)". A `nextCursor: null` (which servers that
// serialise an unset field as null send) ends the list; "" asks for the next page. Before, our
// client failed `listTools` on null with "a nextCursor that is not a string", in both eras.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

type Raw = { id?: string | number; method?: string; params?: { cursor?: unknown } };

/** A scripted server of `era` whose tools/list pages are: first page, cursor "" -> second page with `last` as nextCursor. */
async function run(era: 'modern' | 'legacy', last: unknown) {
  const [clientEnd, serverEnd] = createMemoryPair();
  const cursors: unknown[] = [];
  const stamp = era === 'modern' ? { resultType: 'complete' } : {};
  serverEnd.start({
    onMessage: (m) => {
      const msg = m as Raw;
      const answer = (result: Record<string, unknown>) => void serverEnd.send({ jsonrpc: '2.0', id: msg.id!, result: { ...result, ...stamp } });
      if (msg.method === 'server/discover') {
        if (era === 'modern') answer({ supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'm', version: '1' } });
        else void serverEnd.send({ jsonrpc: '2.0', id: msg.id!, error: { code: -32601, message: 'Method not found' } });
      } else if (msg.method === 'initialize') {
        answer({ protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'l', version: '1' } });
      } else if (msg.method === 'tools/list') {
        const cursor = msg.params?.cursor;
        cursors.push(cursor);
        const tool = (name: string) => ({ name, inputSchema: { type: 'object' } });
        if (cursor === undefined) answer({ tools: [tool('first')], nextCursor: '' });
        else answer({ tools: [tool('second')], nextCursor: last });
      }
    },
    onClose: () => {},
    onError: () => {},
  });
  const client = createClient({ name: 'c', version: '1' }, { era: 'auto' });
  await client.connect(clientEnd);
  try {
    const names = (await client.listTools()).map((t) => t.name);
    return { names, cursors };
  } finally {
    await client.close();
  }
}

const pages = suite('client: the end of a paginated list');

for (const era of ['legacy', 'modern'] as const) {
  pages(`${era}: "" is a cursor to follow; null ends the list`, async () => {
    const { names, cursors } = await run(era, null);
    assert.equal(names, ['first', 'second']);
    assert.equal(cursors, [undefined, ''], 'the empty cursor was sent back; nothing after null');
  });

  pages(`${era}: a nextCursor that is neither a string nor null is still refused`, async () => {
    try {
      await run(era, 5);
      assert.unreachable('a numeric cursor was taken');
    } catch (error) {
      assert.match((error as Error).message, /nextCursor that is not a string/);
    }
  });
}

pages.run();
