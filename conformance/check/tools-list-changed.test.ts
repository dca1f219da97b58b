// `modern.tools-list-stable` / `-order` and a list that changes in time: listings that differ
// after the server announced the change (notifications/tools/list_changed on a listen) are made
// again, not failed as per-connection variation; unannounced differences still fail.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler, type McpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { createRecorder } from './findings.ts';
import { judgeToolsListings, LISTING_TRIES, type ListingPair } from './modern-tools-list.ts';
import { runCheck } from './runner.ts';

const tool = (name: string, description = name) => ({ name, description, inputSchema: { type: 'object' } });
const RULES = ['modern.tools-list-stable', 'modern.tools-list-order'];

const judged = suite('judgeToolsListings');

/** The findings of judging `pairs`, made one by one, and how many were made. */
async function judge(pairs: ListingPair[]) {
  const rec = createRecorder({ only: RULES });
  let made = 0;
  await judgeToolsListings(rec, async () => pairs[made++]!);
  return { findings: rec.findings.map((f) => `${f.id} ${f.outcome}: ${f.detail}`), made };
}

judged('a pair that differs after an announced change is made again; the next alike passes, saying so', async () => {
  const { findings, made } = await judge([
    { first: [tool('a')], second: [tool('a'), tool('late')], announced: true },
    { first: [tool('a'), tool('late')], second: [tool('a'), tool('late')], announced: false },
  ]);
  assert.is(made, 2);
  assert.equal(findings, [
    'modern.tools-list-stable pass: tools/list listed the same 2 tool(s), defined alike, on a second connection (made again: the pair before differed after a change the server announced)',
    'modern.tools-list-order pass: tools/list listed its 2 tool(s) in the same order on a second connection (made again: the pair before differed after a change the server announced)',
  ]);
});

judged('a list that changes and announces it at every pair is skipped after the last try, not failed', async () => {
  const changing = { first: [tool('a')], second: [tool('b')], announced: true };
  const { findings, made } = await judge(Array.from({ length: LISTING_TRIES + 1 }, () => changing));
  assert.is(made, LISTING_TRIES);
  assert.is(findings.length, 2);
  for (const f of findings) assert.match(f, new RegExp(`skip: not judged: the two listings differed in each of ${LISTING_TRIES} tries, and each time the server announced the change`));
});

judged('a difference with no change announced fails at once', async () => {
  const { findings, made } = await judge([{ first: [tool('a')], second: [tool('a', 'other words')], announced: false }]);
  assert.is(made, 1);
  assert.match(findings[0]!, /^modern\.tools-list-stable fail: .*with a defined otherwise/);
});

judged.run();

const served = suite('a server that registers a tool as the check lists');

/**
 * A 2026-07-28 server whose tool list grows by one tool when `grows(n)` says so at its n-th
 * tools/list from the check's bare clients (the listings' own; after answering it): our server
 * announces each registration to its listens.
 */
async function growingServer(grows: (n: number) => boolean) {
  const server = createServer({ name: 'growing', version: '1.0.0' });
  server.tool({ name: 'echo', description: 'Echoes.', annotations: { readOnlyHint: true } }, () => 'echo');
  let handler: McpHttpHandler | undefined;
  let listings = 0;
  const http = await listen(async (request) => {
    const body = request.method === 'POST' ? await request.clone().text() : '';
    const response = await handler!.handle(request);
    if (body.includes('"method":"tools/list"') && body.includes('"mcpwire-check-bare"') && grows(++listings)) {
      server.tool({ name: `late_${listings}`, description: 'Registered while listed.', annotations: { readOnlyHint: true } }, () => 'late');
    }
    return response;
  }, { port: 0 });
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${http.port}`] });
  return { url: `http://127.0.0.1:${http.port}/mcp`, listings: () => listings, close: async () => { await handler!.close(); await http.close(); } };
}

served('a tool registered (and announced) between the two listings passes once listed again', async () => {
  const s = await growingServer((n) => n === 1);
  try {
    const report = await runCheck({ target: { kind: 'http', url: s.url, headers: {} }, timeoutMs: 5_000, specVersion: '2026-07-28', only: RULES });
    const found = report.findings.map((f) => `${f.id} ${f.outcome}: ${f.detail}`);
    assert.equal(found.filter((f) => f.startsWith('modern.tools-list-stable')), ['modern.tools-list-stable pass: tools/list listed the same 2 tool(s), defined alike, on a second connection (made again: the pair before differed after a change the server announced)'], found.join('\n'));
  } finally {
    await s.close();
  }
});

served.run();
