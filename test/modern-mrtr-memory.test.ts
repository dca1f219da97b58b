// A 2026-07-28 call suspended for its retry (basic/patterns/mrtr: InputRequiredResult) is kept until
// its retry or its state's TTL, up to maxContinuations (1000) of them. It must keep only what
// it needs: not the answers nobody asked for, not the request's message or body. A client
// sending 60 000 junk inputResponses on each first round had ~13 MB kept per call over HTTP
// (the continuation kept every offered answer; the POST's closures kept the parsed message
// and the request with its body): 1000 of them, a server out of memory.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler, type McpServer } from 'mcpwire/server';
import { createModernDispatcher } from '../server/modern/dispatcher.ts';
import { envelope } from './modern-kit.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A server whose tool asks one question, so each first round suspends. */
function asking(): McpServer {
  const server = createServer({ name: 'asks', version: '1' });
  server.tool({ name: 'ask', description: 'Asks for a confirmation.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
    const reply = await ctx.elicit({ message: 'OK?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } });
    return reply.action;
  });
  return server;
}

/** 60 000 answers to questions nobody asked. */
function junk(): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (let i = 0; i < 60_000; i++) responses[`k${i}`] = { action: 'accept', content: { ok: true } };
  return responses;
}

const params = (inputResponses: Record<string, unknown>) => ({ name: 'ask', arguments: {}, inputResponses, _meta: envelope({ elicitation: { form: {} } }) });

const test = suite('2026-07-28: a suspended call keeps nothing it does not need');

test('the dispatcher: the inputResponses of a first round are let go once the call suspends', async () => {
  const dispatcher = createModernDispatcher(asking());
  // In a function of its own: an async function's frame would keep the object alive.
  const suspend = async (): Promise<WeakRef<object>> => {
    const offered = junk();
    const answer = await dispatcher.handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: params(offered) }, { notify: () => {} });
    assert.is((answer?.message as { result?: { resultType?: string } }).result?.resultType, 'input_required');
    return new WeakRef(offered.k0 as object); // one of them: the call copies the object, not its values
  };
  const responses = await suspend();
  for (let i = 0; i < 3 && responses.deref() !== undefined; i++) {
    await tick();
    gc();
  }
  const kept = responses.deref() !== undefined;
  dispatcher.close();
  assert.not.ok(kept, 'the 60 000 unasked answers are still held by the suspended call');
});

test('over HTTP: ten suspended calls with 3 MB bodies keep a few MB, not ten bodies', async () => {
  const handler = createMcpHttpHandler(asking(), { allowedHosts: ['127.0.0.1:3000'] });
  const offered = junk();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let id = 0; id < 10; id++) {
    const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: params(offered) });
    const res = await handler.handle(new Request('http://127.0.0.1:3000/mcp', {
      method: 'POST', body,
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'ask' },
    }));
    assert.match(await res.text(), /"input_required"/);
  }
  await tick();
  gc();
  const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  await handler.close();
  // Each body parses to ~10 MB of objects; what a suspended call needs is far below 1 MB.
  assert.ok(grown < 12, `the heap grew ${grown.toFixed(1)} MiB for 10 suspended calls`);
});

test.run();
