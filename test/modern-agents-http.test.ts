// The travel agent over HTTP to a raw 2026-07-28 client (issue #13 item 8): the same
// `mcpwire serve --http --agents` that 2025 hosts use answers a stateless tools/call with an
// InputRequiredResult for its confirmation form; the retry (new id, inputResponses, the echoed
// requestState) books the trip. Progress arrives on the call's own SSE stream; every message
// validates against the 2026-07-28 schema. A real process on 127.0.0.1 (run `npm run build` first).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageValidator } from '../conformance/index.ts';
import { killed, startServe } from './serve-process.ts';
import { envelope } from './modern-kit.ts';

const v = createMessageValidator('2026-07-28');
let ids = 0;

/** POST one modern tools/call; returns every message the server sent (SSE events or one JSON body). */
async function call(url: string, params: Record<string, unknown>, meta: Record<string, unknown> = {}): Promise<any[]> {
  const message = { jsonrpc: '2.0', id: `t-${++ids}`, method: 'tools/call', params: { ...params, _meta: envelope({ elicitation: {} }, meta) } };
  assert.equal(v.validate(message, 'client-to-server'), []);
  const res = await fetch(url, {
    method: 'POST', body: JSON.stringify(message),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': String(params.name) },
  });
  const text = await res.text();
  const messages = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? text.split('\n\n').map((b) => b.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n')).filter(Boolean).map((d) => JSON.parse(d))
    : [JSON.parse(text)];
  for (const m of messages) assert.equal(v.validate(m, 'server-to-client'), [], JSON.stringify(m));
  assert.ok(messages.every((m) => m.method === undefined || m.method.startsWith('notifications/')), 'no server-to-client request on the stream');
  return messages;
}

const travel = suite('travel_agent over HTTP, 2026-07-28 client');

travel('the confirmation is an InputRequiredResult; the retry books the trip', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-agents-modern-'));
  const server = await startServe(['--agents', '--step-ms', '0', '--state', dir]);
  try {
    // Dates a year ahead of today: the agent refuses trips in the past.
    const year = new Date().getUTCFullYear() + 1;
    const args = { destination: 'lisbon', travellers: 2, dates: `${year}-05-01/${year}-05-05` };
    const first = await call(server.url, { name: 'travel_agent', arguments: args }, { progressToken: 'trip' });
    const asked = first[first.length - 1].result;
    assert.is(asked.resultType, 'input_required');
    assert.ok(first.some((m) => m.method === 'notifications/progress'), 'progress came on the call\'s own stream');
    const [key, input] = Object.entries(asked.inputRequests as Record<string, any>)[0]!;
    assert.is(input.method, 'elicitation/create');
    const fare = input.params.requestedSchema.properties.fareClass;
    const fareClass = fare.enum?.[0] ?? fare.oneOf?.[0]?.const;
    const second = await call(server.url, { name: 'travel_agent', arguments: args, inputResponses: { [key]: { action: 'accept', content: { confirm: true, fareClass } } }, requestState: asked.requestState });
    const done = second[second.length - 1].result;
    assert.is(done.resultType, 'complete');
    assert.not.ok(done.isError, JSON.stringify(done.content));
    assert.match(JSON.stringify(done.content), /[Bb]ooked/);
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

travel.run();
