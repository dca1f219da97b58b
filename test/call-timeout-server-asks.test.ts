// A call's timeout against a server that asks on the call's stream (2025-11-25
// basic/lifecycle: timeouts; basic/utilities/progress): the clock stops while the client
// answers (a human may take minutes) and runs on from where it stopped, so only progress
// (with resetTimeoutOnProgress) gives a call a fresh window. Before, each answered request
// restarted the idle window: a server asking without end held the call for maxTotalTimeoutMs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike } from 'mcpwire/client';
import { McpError } from 'mcpwire/protocol';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { within } from './tasks-fixture.ts';
import { URL_BASE } from './http-fixture.ts';

const asks = suite('call timeout: a server asking on the call\'s stream');

async function connected(onElicitMs: number) {
  const server = createServer({ name: 'asker', version: '1' });
  let rounds = 0;
  server.tool({ name: 'ask_forever', description: 'Lists roots until cancelled.' }, async (_args, ctx) => {
    // A turn of the event loop per round, as a server across a socket would give.
    while (!ctx.signal.aborted) { await ctx.listRoots(); rounds++; await new Promise((r) => setImmediate(r)); }
    return 'stopped';
  });
  server.tool({ name: 'ask_once', description: 'Asks the user, then answers.' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'sure?', requestedSchema: { type: 'object', properties: {} } });
    return answer.action;
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'] });
  const fetch: FetchLike = (url, init) => handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  const client = createClient({ name: 't', version: '1' }, {
    onRoots: () => [],
    onElicit: async () => { await new Promise((r) => setTimeout(r, onElicitMs)); return { action: 'accept', content: {} }; },
  });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch, openStandaloneStream: false }));
  return { client, rounds: () => rounds, close: async () => { await client.close(); await handler.close(); } };
}

asks('a server sending requests without end cannot hold a call past its timeout', async () => {
  const { client, rounds, close } = await connected(0);
  try {
    const started = Date.now();
    const outcome = await within(client.callTool('ask_forever', {}, { timeoutMs: 300 }).then(
      () => 'answered', (e: unknown) => e), 5000, 'the call to time out');
    assert.instance(outcome, McpError);
    assert.is((outcome as McpError).code, 'MCP_ERR_TIMEOUT');
    assert.ok(rounds() > 5, `the server kept asking (${rounds()} rounds)`);
    assert.ok(Date.now() - started < 4000, 'timed out near its 300 ms, not at the end of the flood');
  } finally {
    await close();
  }
});

asks('an elicitation answered after longer than the timeout does not time the call out', async () => {
  const { client, close } = await connected(500);
  try {
    const result = await within(client.callTool('ask_once', {}, { timeoutMs: 300 }), 5000, 'the call');
    assert.equal(result.content, [{ type: 'text', text: 'accept' }]);
  } finally {
    await close();
  }
});

asks.run();
