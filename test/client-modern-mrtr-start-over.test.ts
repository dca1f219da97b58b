// A 2026-07-28 input round whose requestState the server refuses as no longer usable
// (basic/patterns/mrtr: the server enforces single use and a TTL): the client starts the
// request over once, as a new request without requestState, and the person is asked again;
// refused again, the call fails naming both refusals. Before, the refusal went to the caller:
// a retry the server consumed before its answer was lost (the client re-issues a lost retry)
// and a form answered after the state's TTL both failed the call. Scripted and real servers,
// loopback only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createHttpClientTransport, type ClientOptions, type McpClient } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { systemTimers } from '../protocol/correlation.ts';
import { rpcError, scripted, type Script } from './modern-script.ts';

const form = { method: 'elicitation/create', params: { mode: 'form', message: 'Colour?', requestedSchema: { type: 'object', properties: { colour: { type: 'string' } } } } };

async function scriptedClient(script: Script, options: ClientOptions = {}): Promise<{ client: McpClient; calls: () => Record<string, any>[] }> {
  const { fetch, seen } = scripted(script);
  const client = createClient({ name: 'start-over', version: '1' }, { era: 'modern', eraCache: false, ...options });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3001/mcp', fetch }));
  return { client, calls: () => seen.filter((s) => s.body.method === 'tools/call').map((s) => ({ id: s.body.id, ...s.body.params })) };
}

/** A server that asks once per request and refuses the first `refusals` retries with `reason`. */
function refusing(reason: unknown, refusals: number): Script {
  let states = 0;
  let refused = 0;
  return (s) => {
    if (s.body.method !== 'tools/call') return undefined;
    const params = s.body.params!;
    if (params.requestState === undefined) return { resultType: 'input_required', inputRequests: { c: form }, requestState: `S${++states}` };
    if (refused++ < refusals) return rpcError(400, s.body.id, -32602, `Invalid params: requestState refused (${String(reason)})`, reason === undefined ? undefined : { reason });
    return { content: [{ type: 'text', text: `${params.inputResponses.c.content.colour} with ${params.requestState}` }] };
  };
}

const scriptedSuite = suite('client: an input round whose requestState is refused, scripted');

for (const reason of ['expired', 'replayed', 'invalid_request_state']) {
  scriptedSuite(`refused as ${reason}: the request starts over once without requestState, the person is asked again, the call completes`, async () => {
    const answers = ['green', 'blue'];
    const asked: string[] = [];
    const { client, calls } = await scriptedClient(refusing(reason, 1), {
      onElicit: async (params) => { asked.push(params.message); return { action: 'accept', content: { colour: answers.shift()! } }; },
    });
    const result = await client.callTool('paint', { wall: 1 });
    assert.equal(result.content, [{ type: 'text', text: 'blue with S2' }], 'the started-over request\'s own state and answer');
    assert.equal(asked, ['Colour?', 'Colour?'], 'asked again');
    const sent = calls();
    assert.is(sent.length, 4);
    assert.equal(sent.map((p) => p.requestState), [undefined, 'S1', undefined, 'S2']);
    assert.not.ok('inputResponses' in sent[2]!, 'the new request carries nothing of the refused round');
    assert.equal(sent[2]!.arguments, { wall: 1 }, 'the original params');
    assert.is(new Set(sent.map((p) => p.id)).size, 4, 'each request has its own id');
    await client.close();
  });
}

scriptedSuite('refused again after starting over: the call fails with the server\'s error naming both refusals; started over only once', async () => {
  const { client, calls } = await scriptedClient(refusing('expired', 5), { onElicit: async () => ({ action: 'accept', content: { colour: 'red' } }) });
  const error = await client.callTool('paint').then(() => undefined, (e: Error & { code?: unknown; data?: any }) => e);
  assert.ok(error, 'the call fails');
  assert.is(error!.name, 'RpcError');
  assert.is(error!.code, -32602);
  assert.equal(error!.data, { reason: 'expired' }, 'the server\'s data kept');
  assert.match(error!.message, /^tools\/call failed: the server refused its requestState as expired \(.*\) after the request had been started over once because it refused an earlier one as expired/);
  assert.equal(calls().map((p) => p.requestState), [undefined, 'S1', undefined, 'S2']);
  await client.close();
});

scriptedSuite('a state refused as changed, malformed or another request\'s, or without a reason, fails the call as before', async () => {
  for (const reason of ['tampered', 'malformed', 'other-request', undefined]) {
    const { client, calls } = await scriptedClient(refusing(reason, 1), { onElicit: async () => ({ action: 'accept', content: { colour: 'red' } }) });
    const error = await client.callTool('paint').then(() => undefined, (e: Error & { code?: unknown; data?: any }) => e);
    assert.is(error?.code, -32602, String(reason));
    assert.is(error!.data?.reason, reason);
    assert.is(calls().length, 2, `${String(reason)}: not started over`);
    await client.close();
  }
});

scriptedSuite('a retry without requestState refused as replayed is not started over (nothing of the server\'s was lost)', async () => {
  const { client, calls } = await scriptedClient((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    if (!s.body.params!.inputResponses) return { resultType: 'input_required', inputRequests: { c: form } };
    return rpcError(400, s.body.id, -32602, 'refused', { reason: 'replayed' });
  }, { onElicit: async () => ({ action: 'accept', content: { colour: 'red' } }) });
  const error = await client.callTool('paint').then(() => undefined, (e: Error & { code?: unknown }) => e);
  assert.is(error?.code, -32602);
  assert.is(calls().length, 2);
  await client.close();
});

/** A real modern server on loopback whose `tools/call` number `drop` (1-based) is handled but its answer never sent: the connection is cut. */
async function realServer(options: { drop?: number; now?: () => number } = {}) {
  const mcp = createServer({ name: 'paint', version: '1' });
  const runs: string[] = [];
  mcp.tool({ name: 'paint', description: 'Paints a wall the colour the person picks (not safe to repeat).' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Colour?', requestedSchema: { type: 'object', properties: { colour: { type: 'string' } } } });
    runs.push(String(answer.content?.colour));
    return `painted ${String(answer.content?.colour)}`;
  });
  const handler = createMcpHttpHandler(mcp, {
    eras: 'modern', disableHostChecks: true,
    ...(options.now ? { modern: { timers: { ...systemTimers, now: options.now } } } : {}),
  });
  let calls = 0;
  const node = createNodeServer((req, res) => {
    if (req.headers['mcp-method'] === 'tools/call' && ++calls === options.drop) {
      // The server consumes the state and runs the tool, then dies before its answer leaves.
      res.writeHead = (() => { req.socket.destroy(); return res; }) as typeof res.writeHead;
    }
    handler.node(req, res);
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(node.address() as AddressInfo).port}/mcp`, runs, calls: () => calls,
    close: async () => { node.closeAllConnections(); await new Promise<void>((resolve) => node.close(() => resolve())); await handler.close(); },
  };
}

const real = suite('client: an input round whose requestState is refused, a real server');

real('a retry the server consumed before its answer was lost: the re-issue is refused as replayed, the call starts over and completes', async () => {
  const server = await realServer({ drop: 2 });
  const answers = ['green', 'blue'];
  const client = createClient({ name: 'start-over', version: '1' }, { era: 'modern', eraCache: false, onElicit: async () => ({ action: 'accept', content: { colour: answers.shift()! } }) });
  try {
    await client.connect(createHttpClientTransport({ url: server.url }));
    const result = await client.callTool('paint');
    assert.equal(result.content, [{ type: 'text', text: 'painted blue' }]);
    // 1: asked; 2: consumed and run (answer lost); 3: the re-issue, replayed; 4: started over, asked; 5: done.
    assert.is(server.calls(), 5);
    assert.equal(server.runs, ['green', 'blue'], 'the lost run and the new one: the person chose again');
    assert.equal(answers, [], 'asked twice');
  } finally {
    await client.close();
    await server.close();
  }
});

real('a form answered after the state\'s TTL: refused as expired, the call starts over and completes', async () => {
  let clock = Date.now();
  const server = await realServer({ now: () => clock });
  let asked = 0;
  const client = createClient({ name: 'start-over', version: '1' }, {
    era: 'modern', eraCache: false,
    onElicit: async () => {
      // The first form is answered eleven minutes later (the default TTL is ten).
      if (asked++ === 0) clock += 11 * 60_000;
      return { action: 'accept', content: { colour: 'green' } };
    },
  });
  try {
    await client.connect(createHttpClientTransport({ url: server.url }));
    const result = await client.callTool('paint');
    assert.equal(result.content, [{ type: 'text', text: 'painted green' }]);
    assert.is(asked, 2);
    assert.is(server.calls(), 4, 'asked, expired, started over, done');
    assert.equal(server.runs, ['green'], 'the tool ran once');
  } finally {
    await client.close();
    await server.close();
  }
});

scriptedSuite.run();
real.run();
