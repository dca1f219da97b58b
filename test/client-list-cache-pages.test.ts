// 2026-07-28 server/utilities/caching, "Pagination": each page carries its own ttlMs, servers
// MAY give pages different ones (a shorter TTL for the final page), and a page is stale after
// its own. The client cached a whole list under the first page's ttlMs, so a last page sent
// with `ttlMs: 0` was served from the cache for the first page's minute.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import { scripted, type Seen } from './modern-script.ts';

/** A client of a server whose tools/list has two pages with these TTLs. */
async function twoPages(ttls: [number, number]): Promise<{ client: McpClient; seen: Seen[] }> {
  const { fetch, seen } = scripted((s) => {
    if (s.body.method !== 'tools/list') return undefined;
    const second = s.body.params?.cursor === 'p2';
    const tool = { name: second ? 'b' : 'a', inputSchema: { type: 'object' } };
    return { tools: [tool], ttlMs: ttls[second ? 1 : 0], cacheScope: 'public', ...(second ? {} : { nextCursor: 'p2' }) };
  });
  const client = createClient({ name: 'c', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3001/mcp', fetch }));
  return { client, seen };
}

const lists = (seen: Seen[]) => seen.filter((s) => s.body.method === 'tools/list').length;

const pages = suite('client 2026-07-28: a cached list is fresh only while every page is');

pages('a last page with ttlMs 0 makes the next listTools fetch again', async () => {
  const { client, seen } = await twoPages([60_000, 0]);
  try {
    assert.equal((await client.listTools()).map((t) => t.name), ['a', 'b']);
    await client.listTools();
    assert.is(lists(seen), 4, 'both pages fetched twice');
  } finally {
    await client.close();
  }
});

pages('pages that are all fresh are reused', async () => {
  const { client, seen } = await twoPages([60_000, 30_000]);
  try {
    await client.listTools();
    await client.listTools();
    assert.is(lists(seen), 2, 'fetched once');
  } finally {
    await client.close();
  }
});

pages.run();
