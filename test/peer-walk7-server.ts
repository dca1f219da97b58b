/**
 * The seventh peer walk's server (session 29), for peers' clients in other processes: lists with
 * caching hints (`caching` 60 s public) and a tool that counts the 2026-07-28 `tools/list`
 * requests it received (by `Mcp-Method`), a tool that adds a tool (list_changed), and an
 * agent-like tool: progress, a question, a sampling request, progress. `stdio` serves both eras
 * on stdin/stdout; `http [cut]` listens on a loopback port and prints `listening on URL`.
 * Test-only (test/interop-python/py_client_walk7.py).
 */
import { createServer } from 'mcpwire/server';
import { servePeer } from './support/peer-serve.ts';

const server = createServer({ name: 'walk7', version: '1.0.0' });
let lists = 0;
let resumes = 0;
let added = 0;
server.tool({ name: 'lists', description: 'How many 2026-07-28 tools/list requests came over HTTP.' }, () => String(lists));
server.tool({ name: 'resumes', description: 'How many GETs carried Last-Event-ID.' }, () => String(resumes));
server.tool({ name: 'touch', description: 'Adds a tool: the tool list changes.' }, () => {
  added += 1;
  server.tool({ name: `added${added}`, description: 'Added by touch.' }, () => 'new');
  return `added${added}`;
});
const GO = { type: 'object', properties: { go: { type: 'boolean' } }, required: ['go'] } as const;
server.tool({ name: 'agent', description: 'An agent turn: progress, a question, a sampling request, progress.', inputSchema: { type: 'object', properties: { steps: { type: 'integer' } }, required: ['steps'] } },
  async (args: { steps: number }, ctx) => {
    await ctx.progress(1, args.steps, 'planning');
    const answer = await ctx.elicit({ message: 'Go on?', requestedSchema: GO }, { key: 'go' });
    if (answer.action !== 'accept' || answer.content?.go !== true) return 'stopped';
    const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'plan?' } }], maxTokens: 20 }, { key: 'plan' });
    for (let i = 2; i <= args.steps; i++) await ctx.progress(i, args.steps, `step ${i}`);
    return `agent: ${(reply.content as { text?: string }).text ?? '?'}`;
  });

// `http cut`: every 2025-11-25 stream is ended after 300 ms and polled back (retry 200 ms).
const cut = process.argv[3] === 'cut';
await servePeer(server, process.argv.slice(2, 3), {
  ...(cut ? { maxConnectionMs: 300, retryMs: 200 } : {}),
  modern: { caching: { ttlMs: 60_000, scope: 'public' } },
  onRequest: (method, header) => {
    if (header('mcp-method') === 'tools/list') lists += 1;
    if (method === 'GET' && header('last-event-id') !== null) resumes += 1;
  },
});
