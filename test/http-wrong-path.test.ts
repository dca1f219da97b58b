// A request to a path that is not the endpoint's gets a 404 naming both paths: mounted under an
// express router (`app.use('/api', router)`), the handler sees `/mcp` while the client asked for
// `/api/mcp`, so `path: '/api/mcp'` never matches, and "the MCP endpoint is /api/mcp" alone
// told that client nothing it did not send.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer } from '../server/index.ts';

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };

function post(url: string): Request {
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(INIT) });
}

const wrong = suite('HTTP handler: a request outside the endpoint path');

wrong('404 names the endpoint and the path the handler was given, with the mount hint', async () => {
  const handler = createMcpHttpHandler(createServer({ name: 's', version: '1' }), { path: '/api/mcp' });
  const reply = await handler.handle(post('http://127.0.0.1/mcp'));
  assert.is(reply.status, 404);
  const body = await reply.json() as { error: { code: number; message: string } };
  assert.is(body.error.code, -32600);
  assert.match(body.error.message, 'the MCP endpoint is /api/mcp, and this request\'s path is "/mcp"');
  assert.match(body.error.message, /mounted under a prefix its framework strips/);
  await handler.close();
});

wrong('a long path is cut in the message; the endpoint path itself is served', async () => {
  const handler = createMcpHttpHandler(createServer({ name: 's', version: '1' }));
  const reply = await handler.handle(post(`http://127.0.0.1/${'x'.repeat(5000)}`));
  const message = ((await reply.json()) as { error: { message: string } }).error.message;
  assert.ok(message.length < 400, `${message.length} characters`);
  assert.match(message, /"\/x{99}\.\.\."/);
  assert.is((await handler.handle(post('http://127.0.0.1/mcp'))).status, 200);
  await handler.close();
});

wrong.run();
