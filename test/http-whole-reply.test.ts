// An SSE reply that is complete before its head is written (a quick call) goes out in one
// piece with a Content-Length, over the Node adapter and the web one; a reply still being
// written (progress while the tool runs) stays a chunked stream. The events are the same
// either way: a priming event with an id, then the response.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { registerDemoTools } from '../examples/demo/tools.ts';
import { messagesOf, readEvents } from './http-fixture.ts';

const whole = suite('http: a complete SSE reply in one piece');

function setup() {
  const server = createServer({ name: 'whole-reply', version: '1.0.0' });
  registerDemoTools(server);
  return createMcpHttpHandler(server, { disableHostChecks: true, keepAliveMs: 0 });
}

const INIT = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Parse SSE text into events (blank-line separated; `id:` and `data:` lines). */
function events(text: string): Array<{ id?: string; data: string }> {
  return text.split('\n\n').filter((b) => b !== '').map((block) => {
    const lines = block.split('\n');
    const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
    return id === undefined ? { data } : { id, data };
  });
}

whole('Node adapter: a quick call has a Content-Length and no chunks; a streaming one is chunked; both carry priming + response', async () => {
  const handler = setup();
  const running = await listen(handler, { port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${running.port}/mcp`;
  try {
    const init = await request(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(INIT) });
    assert.is(init.headers['content-type'], 'text/event-stream');
    await init.body.text();
    const sid = String(init.headers['mcp-session-id']);
    const session = { ...HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    (await request(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).body.dump();

    const quick = await request(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }) });
    const quickText = await quick.body.text();
    assert.is(quick.statusCode, 200);
    assert.is(quick.headers['content-type'], 'text/event-stream');
    assert.is(quick.headers['transfer-encoding'], undefined, 'not chunked');
    assert.is(Number(quick.headers['content-length']), Buffer.byteLength(quickText));
    const quickEvents = events(quickText);
    assert.is(quickEvents.length, 2);
    assert.is(quickEvents[0]!.data, '', 'a priming event first');
    assert.ok(quickEvents[0]!.id && quickEvents[1]!.id, 'both events have ids');
    assert.equal(JSON.parse(quickEvents[1]!.data).result.content[0].text, 'hi');

    // A tool that waits between steps: the head goes out before the reply is complete.
    const slow = await request(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'count', arguments: { steps: 2, delayMs: 20 }, _meta: { progressToken: 'p' } } }) });
    const slowText = await slow.body.text();
    assert.is(slow.headers['transfer-encoding'], 'chunked');
    assert.is(slow.headers['content-length'], undefined);
    const slowEvents = events(slowText);
    assert.equal(slowEvents.map((e) => (e.data === '' ? 'priming' : JSON.parse(e.data).method ?? 'response')), ['priming', 'notifications/progress', 'notifications/progress', 'response']);
  } finally {
    await handler.close();
    await running.close();
  }
});

whole('web adapter: a quick call\'s body is the same events, read whole', async () => {
  const handler = setup();
  try {
    const init = await handler.handle(new Request('http://127.0.0.1:3000/mcp', { method: 'POST', headers: HEADERS, body: JSON.stringify(INIT) }));
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    const session = { ...HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    await handler.handle(new Request('http://127.0.0.1:3000/mcp', { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) }));
    const res = await handler.handle(new Request('http://127.0.0.1:3000/mcp', { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'web' } } }) }));
    assert.is(res.headers.get('content-type'), 'text/event-stream');
    const all = await readEvents(res, Number.POSITIVE_INFINITY);
    assert.is(all[0]!.data, '', 'a priming event first');
    assert.is(messagesOf(all)[0]!.result.content[0].text, 'web');
  } finally {
    await handler.close();
  }
});

whole.run();
