// Small API gaps: client.sessionId is readable; close({ terminate: false }) leaves the HTTP
// session on the server (no DELETE) so a later client rejoins it; ctx.progressToken tells a
// tool whether progress was asked for.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { listen } from 'mcpwire/transport';

async function start() {
  const server = createServer({ name: 'keep', version: '1' });
  server.tool({ name: 'token' }, (_args, ctx) => `token=${ctx.progressToken === undefined ? 'none' : 'given'}`);
  const handler = createMcpHttpHandler(server, { disableHostChecks: true });
  const listening = await listen(handler, { port: 0 });
  return { handler, url: `http://127.0.0.1:${listening.port}/mcp`, close: async () => { await handler.close(); await listening.close(); } };
}

const text = (r: { content: Array<{ type: string; text?: string }> }) => r.content.map((c) => c.text ?? '').join('');

const keep = suite('client: session id and closing without ending the session');

keep('close({ terminate: false }) keeps the session; a new client rejoins it by id; close() ends it', async () => {
  const s = await start();
  try {
    const first = createClient({ name: 'a', version: '1' });
    await first.connect(createHttpClientTransport({ url: s.url }));
    const id = first.sessionId;
    assert.type(id, 'string');
    const version = first.protocolVersion!;
    await first.close({ terminate: false });
    assert.is(s.handler.sessionCount, 1, 'the session outlives the client');
    const second = createClient({ name: 'a', version: '1' }, { reinitializeOnExpiry: false });
    await second.connect(createHttpClientTransport({ url: s.url, sessionId: id! }), { rejoin: { protocolVersion: version } });
    assert.is(second.sessionId, id);
    assert.is(text(await second.callTool('token', {})), 'token=none');
    await second.close();
    assert.is(s.handler.sessionCount, 0, 'a plain close DELETEs the session');
  } finally { await s.close(); }
});

keep('ctx.progressToken is set only when the caller asked for progress', async () => {
  const s = await start();
  const client = createClient({ name: 'a', version: '1' });
  try {
    await client.connect(createHttpClientTransport({ url: s.url }));
    assert.is(text(await client.callTool('token', {}, { onProgress: () => {} })), 'token=given');
    assert.is(text(await client.callTool('token', {})), 'token=none');
  } finally { await client.close(); await s.close(); }
});

keep('sessionId is undefined before connecting', () => {
  assert.is(createClient({ name: 'a', version: '1' }).sessionId, undefined);
});

keep.run();
