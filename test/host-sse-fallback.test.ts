// `mcpwire host --url` against a 2024-11-05 HTTP+SSE server (the official SDK 1.32's
// SSEServerTransport): the host's client falls back from Streamable HTTP by itself, lists
// the tools, calls one with progress and answers its elicitation form.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnHost, tempDir } from './host-harness.ts';
import { startSdkSseServer, type SdkSseServer } from './support/sdk-sse-server.ts';

let dir: { path: string; remove(): Promise<void> };
let server: SdkSseServer;
const host = suite('host --url against an HTTP+SSE (2024-11-05) server');
host.before(async () => {
  dir = await tempDir('mcpwire-host-sse-');
  server = await startSdkSseServer();
});
host.after(async () => {
  await killAll();
  await server.close();
  await dir.remove();
});

async function exec(command: string, input = '') {
  const p = spawnHost(['--url', server.url, '--state', join(dir.path, 'host'), '--exec', command, '--json']);
  p.child.stdin!.end(input);
  const code = await p.exited(30_000);
  return { code, doc: JSON.parse(p.out() || 'null') as Record<string, any> | null, err: p.err() };
}

host('list, a call with progress, a form answered: all over the HTTP+SSE fallback', async () => {
  const list = await exec('list');
  assert.is(list.code, 0, list.err);
  assert.equal(list.doc?.tools.map((t: { name: string }) => t.name).sort(), ['ask', 'count']);
  const count = await exec('count');
  assert.is(count.code, 0, count.err);
  assert.equal(count.doc?.result.content, [{ type: 'text', text: 'counted to 3' }]);
  assert.is(count.doc?.era, 'legacy');
  assert.match(count.err, /step 3/, 'progress reached the host');
  const ask = await exec('ask', 'a\nAda\ny\n');
  assert.is(ask.code, 0, ask.err);
  assert.equal(ask.doc?.result.content, [{ type: 'text', text: 'hello Ada' }]);
  assert.match(ask.err, /Who is travelling\?/);
  assert.ok(server.seen.some((r) => r.method === 'GET' && r.path === '/sse'), 'the host opened the SSE stream');
});

host.run();
