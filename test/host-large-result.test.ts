// `mcpwire host` reads a 1 MB text result from a server that escapes every non-ASCII character,
// as the Python SDK's MCPServer does in 2026-07-28 JSON replies (`\u03b1`, a surrogate pair
// for an emoji) and sends the text twice (content and structuredContent): 1,045,000 bytes of
// text come as 5.9 MB on the wire. The client transport's 4 MiB default refused it, and the
// host had no way to raise it. Found by session 20's peer walk against that server; since
// session 21 the client transports' own default is 16 MiB, so the library reads it too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { listen, type ListeningServer } from 'mcpwire/transport';
import { killAll, spawnHost, tempDir } from './host-harness.ts';
import { BIG } from './support/peer-hard.ts';

const DISCOVER = {
  resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: {} },
  ttlMs: 0, cacheScope: 'private', _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'escaping', version: '1' } },
};

/** JSON with every character past ASCII written as `\uXXXX` (UTF-16 units), as Python's json.dumps does by default. */
const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A 2026-07-28 server with one tool, `big`, answering in escaped JSON. */
async function escapingServer(): Promise<{ url: string; bodyBytes: number; server: ListeningServer }> {
  const reply = asciiJson({ jsonrpc: '2.0', id: 0, result: { resultType: 'complete', content: [{ type: 'text', text: BIG }], structuredContent: { result: BIG }, isError: false } });
  const server = await listen(async (request: Request) => {
    const body = await request.json() as { id: number | string; method: string };
    const answer = (result: unknown, text?: string) => new Response(text ?? JSON.stringify({ jsonrpc: '2.0', id: body.id, result }), { headers: { 'content-type': 'application/json' } });
    if (body.method === 'server/discover') return answer(DISCOVER);
    if (body.method === 'tools/list') return answer({ resultType: 'complete', tools: [{ name: 'big', inputSchema: { type: 'object' } }] });
    if (body.method === 'tools/call') return answer(undefined, reply.replace('"id":0', `"id":${JSON.stringify(body.id)}`));
    return new Response(JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code: -32601, message: 'Method not found' } }), { status: 404, headers: { 'content-type': 'application/json' } });
  }, { port: 0 });
  return { url: `http://127.0.0.1:${server.port}/mcp`, bodyBytes: Buffer.byteLength(reply), server };
}

const large = suite('host: a 1 MB text result sent escaped (5.9 MB on the wire)');
let dir: { path: string; remove(): Promise<void> };
let served: Awaited<ReturnType<typeof escapingServer>>;

large.before(async () => {
  dir = await tempDir('mcpwire-host-large-');
  served = await escapingServer();
});
large.after(async () => {
  await killAll();
  await served.server.close();
  await dir.remove();
});

const run = async (args: string[]) => {
  const p = spawnHost(['--url', served.url, '--era', 'modern', '--state', `${dir.path}/host`, '--exec', 'big', ...args]);
  p.end();
  const code = await p.exited(60_000);
  return { code, out: p.out(), err: p.err() };
};

large('by default the whole text is printed', async () => {
  assert.ok(served.bodyBytes > 4 * 1024 * 1024, `the reply is ${served.bodyBytes} bytes, past a server's 4 MiB default`);
  const r = await run([]);
  assert.is(r.code, 0, r.err.slice(-500));
  assert.is(r.out, `${BIG}\n`);
});

large('--max-message-bytes below the reply: the call fails and the error names the option', async () => {
  const r = await run(['--max-message-bytes', '1000000']);
  assert.is(r.code, 1, r.err.slice(-500));
  assert.match(r.err, /exceeds the limit of 1000000 bytes/);
  assert.match(r.err, /--max-message-bytes/);
});

large('--max-message-bytes must be a whole number', async () => {
  const r = await run(['--max-message-bytes', 'lots']);
  assert.is(r.code, 2);
  assert.match(r.err, /--max-message-bytes must be a whole number of at least 1, got "lots"/);
});

large('the client library reads it by default (16 MiB), and a lower maxEventBytes fails the call naming the option', async () => {
  const client = createClient({ name: 'c', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: served.url }));
  try {
    const result = await client.callTool('big', {});
    assert.equal(result.content, [{ type: 'text', text: BIG }]);
  } finally {
    await client.close();
  }
  const lowered = createClient({ name: 'c', version: '1' }, { era: 'modern', eraCache: false });
  await lowered.connect(createHttpClientTransport({ url: served.url, maxEventBytes: 4 * 1024 * 1024 }));
  try {
    const failure = await lowered.callTool('big', {}).then(() => undefined, (error: Error & { code?: string }) => error);
    assert.is(failure?.code, 'MCP_ERR_MESSAGE_TOO_LARGE');
    assert.match(failure?.message ?? '', /exceeds the limit of 4194304 bytes \(maxEventBytes\)/, failure?.message);
  } finally {
    await lowered.close();
  }
});

large.run();
