// What a multi round-trip request's requestState binds (2026-07-28 basic/patterns/mrtr: the
// state is bound to the method and the params) is what the client sent, even when the handler
// changed its arguments before it asked. Over HTTP the MAC text is made only when a handler
// asks, from the body as received; in process (no body) it is made before the handler runs.
// Either way the retry with the client's own arguments resumes the call, and a retry carrying
// the arguments as the handler left them is refused as another request's.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer, type McpServer } from '../server/index.ts';
import { Exchange, envelope, request } from './modern-kit.ts';

const ELICIT = { message: 'Your name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
const CAPS = { elicitation: {} };
const SENT = { text: 'as sent', nested: { n: 1, list: ['a', 'b'] }, drop: true };

/** A tool that changes every part of its arguments, deep ones too, then asks (once, or after progress: an SSE reply). */
function changingServer(): McpServer {
  const server = createServer({ name: 'args-signed', version: '1.0.0' });
  const change = (args: Record<string, any>) => {
    args.text = 'changed';
    args.nested.n = 2;
    args.nested.list.push('c');
    delete args.drop;
    args.added = 'new';
  };
  server.tool({ name: 'change_then_ask', inputSchema: { type: 'object' } }, async (args: Record<string, any>, ctx) => {
    change(args);
    const answer = await ctx.elicit(ELICIT, { key: 'who' });
    return `${String(answer.content?.name)} ${JSON.stringify(args)}`;
  });
  server.tool({ name: 'change_stream_ask', inputSchema: { type: 'object' } }, async (args: Record<string, any>, ctx) => {
    change(args);
    await ctx.progress(1);
    const answer = await ctx.elicit(ELICIT, { key: 'who' });
    return `${String(answer.content?.name)} ${JSON.stringify(args)}`;
  });
  return server;
}

const CHANGED = { text: 'changed', nested: { n: 2, list: ['a', 'b', 'c'] }, added: 'new' };
const RESULT = `Ada ${JSON.stringify(CHANGED)}`;
const answer = { who: { action: 'accept', content: { name: 'Ada' } } };

let ids = 0;
/** A 2026-07-28 tools/call POST's JSON-RPC answer (from a JSON body, or an SSE stream's last data event). */
async function post(handle: (r: Request) => Promise<Response>, name: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const message = { jsonrpc: '2.0', id: `s-${++ids}`, method: 'tools/call', params: { name, ...params, _meta: envelope(CAPS, { progressToken: `p-${ids}` }) } };
  const res = await handle(new Request('http://127.0.0.1/mcp', {
    method: 'POST', body: JSON.stringify(message),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name },
  }));
  const text = await res.text();
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return JSON.parse(text) as Record<string, any>;
  const data = text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)) as Record<string, any>);
  return data.at(-1)!;
}

const Http = suite('2026-07-28 MRTR over HTTP: the state binds the arguments as the client sent them');

for (const tool of ['change_then_ask', 'change_stream_ask']) {
  Http(`${tool}: the retry with the sent arguments resumes; one with the changed arguments is refused`, async () => {
    const handler = createMcpHttpHandler(changingServer(), { disableHostChecks: true, eras: 'modern' });
    try {
      const handle = (r: Request) => handler.handle(r);
      const first = await post(handle, tool, { arguments: structuredClone(SENT) });
      assert.is(first.result?.resultType, 'input_required', JSON.stringify(first));
      const changed = await post(handle, tool, { arguments: CHANGED, inputResponses: answer, requestState: first.result.requestState });
      assert.is(changed.error?.code, -32602, JSON.stringify(changed));
      assert.is(changed.error?.data?.reason, 'other-request');
      // The state's nonce is spent only once it opened: the refused retry left it usable.
      const again = await post(handle, tool, { arguments: structuredClone(SENT), inputResponses: answer, requestState: first.result.requestState });
      assert.is(again.result?.resultType, 'complete', JSON.stringify(again));
      assert.is(again.result.content[0].text, RESULT);
    } finally {
      await handler.close();
    }
  });
}

Http('a second question after the retry is sealed over the retry\'s own arguments (no body kept from the first round)', async () => {
  const server = createServer({ name: 'args-signed-twice', version: '1.0.0' });
  server.tool({ name: 'ask_twice', inputSchema: { type: 'object' } }, async (args: Record<string, any>, ctx) => {
    args.text = 'changed';
    const a = await ctx.elicit(ELICIT, { key: 'one' });
    const b = await ctx.elicit(ELICIT, { key: 'two' });
    return `${String(a.content?.name)} ${String(b.content?.name)}`;
  });
  const handler = createMcpHttpHandler(server, { disableHostChecks: true, eras: 'modern' });
  try {
    const handle = (r: Request) => handler.handle(r);
    const sent = { text: 'as sent' };
    const one = await post(handle, 'ask_twice', { arguments: sent });
    const two = await post(handle, 'ask_twice', { arguments: sent, inputResponses: { one: answer.who }, requestState: one.result.requestState });
    assert.is(two.result?.resultType, 'input_required', JSON.stringify(two));
    const done = await post(handle, 'ask_twice', { arguments: sent, inputResponses: { two: answer.who }, requestState: two.result.requestState });
    assert.is(done.result?.content?.[0]?.text, 'Ada Ada', JSON.stringify(done));
  } finally {
    await handler.close();
  }
});

const InProcess = suite('2026-07-28 MRTR in process (no body): the same binding');

InProcess('the retry with the sent arguments resumes; one with the changed arguments is refused', async () => {
  const x = new Exchange(changingServer());
  try {
    const first = await x.result(request('tools/call', { name: 'change_then_ask', arguments: structuredClone(SENT) }, CAPS));
    assert.is(first.resultType, 'input_required');
    const changed = await x.error(request('tools/call', { name: 'change_then_ask', arguments: CHANGED, inputResponses: answer, requestState: first.requestState }, CAPS), 200);
    assert.is(changed.data?.reason, 'other-request');
    const done = await x.result(request('tools/call', { name: 'change_then_ask', arguments: structuredClone(SENT), inputResponses: answer, requestState: first.requestState }, CAPS));
    assert.is(done.content[0].text, RESULT);
  } finally {
    x.dispatcher.close();
  }
});

Http.run();
InProcess.run();
