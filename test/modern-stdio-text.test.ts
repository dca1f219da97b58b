// The 2026-07-28 server over stdio on the path HTTP takes: the line's text rides the call, so a
// multi round trip's first round makes the text its requestState MAC covers only if the handler
// asks (from the line as sent, whatever the handler did to its arguments), and a result is
// written as the dispatcher's text (no shaped copy, then a JSON.stringify of it) with the
// transport's ledger still told the request was answered.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { createStdioServerTransport } from '../transport/stdio/server.ts';
import { serveEras } from '../server/index.ts';
import { envelope, testServer } from './modern-kit.ts';

const ELICIT = { message: 'Name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
const CAPS = { elicitation: {} };
const SENT = { text: 'as sent', nested: { n: 1, list: ['a', 'b'] }, drop: true };
const CHANGED = { text: 'changed', nested: { n: 2, list: ['a', 'b', 'c'] }, added: 'new' };
/** A key no code of ours names: seen by JSON.stringify only if the params are made into text. */
const MARK = 'zz-marked-key-7f3a';

/** A stdio server speaking 2026-07-28, its lines written and read as JSON. */
function stdioServer(endGraceMs?: number) {
  const server = testServer();
  server.tool({ name: 'quick', description: 'Answers at once.' }, async (args: Record<string, unknown>) => `got ${Object.keys(args).length}`);
  server.tool({ name: 'change_then_ask', inputSchema: { type: 'object' } }, async (args: Record<string, any>, ctx) => {
    args.text = 'changed';
    args.nested.n = 2;
    args.nested.list.push('c');
    delete args.drop;
    args.added = 'new';
    const r = await ctx.elicit(ELICIT, { key: 'who' });
    return `${String(r.content?.name)} ${JSON.stringify(args)}`;
  });
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
  server.tool({ name: 'slow', description: 'Answers once released.' }, async () => {
    await released;
    return 'done';
  });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => { ended = resolve; });
  void serveEras(server, createStdioServerTransport({ stdin, stdout, ...(endGraceMs === undefined ? {} : { endGraceMs }) }), { onEnd: () => ended() });
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  createInterface({ input: stdout }).on('line', (line) => { const w = waiters.shift(); if (w) w(line); else lines.push(line); });
  const next = () => new Promise<string>((resolve) => { const l = lines.shift(); if (l !== undefined) resolve(l); else waiters.push(resolve); });
  let ids = 0;
  const call = async (name: string, params: Record<string, unknown>) => {
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: ++ids, method: 'tools/call', params: { name, ...params, _meta: envelope(CAPS) } })}\n`);
    return next();
  };
  return { call, stdin, end, release: () => release(), next };
}

const test = suite('2026-07-28 over stdio: the line\'s text rides the call');

test('a call that never asks makes no MAC text of its params; its answer is the shaped message\'s text', async () => {
  const s = stdioServer();
  await s.call('quick', { arguments: { warm: 1 } }); // the dispatcher loaded and warmed up
  const stringify = JSON.stringify;
  const seen: unknown[] = [];
  JSON.stringify = ((value: unknown, ...rest: unknown[]) => {
    seen.push(value);
    return (stringify as (...a: unknown[]) => string)(value, ...rest);
  }) as typeof JSON.stringify;
  let line: string;
  try {
    line = await s.call('quick', { arguments: { [MARK]: { deep: 'value' } } });
  } finally {
    JSON.stringify = stringify;
  }
  assert.not.ok(seen.includes(MARK), 'the params were made into canonical text (a JSON.stringify per key)');
  const message = JSON.parse(line) as Record<string, any>;
  assert.is(line, JSON.stringify(message), 'members in the order JSON.stringify(message) writes them');
  assert.equal(Object.keys(message.result), ['content', 'resultType', '_meta']);
  assert.is(message.result.content[0].text, 'got 1');
  assert.ok(message.result._meta['io.modelcontextprotocol/serverInfo']);
  s.stdin.end();
});

test('a handler that changes its arguments before it asks: the state binds them as sent', async () => {
  const s = stdioServer();
  const first = JSON.parse(await s.call('change_then_ask', { arguments: structuredClone(SENT) })) as Record<string, any>;
  assert.is(first.result?.resultType, 'input_required', JSON.stringify(first));
  const answer = { who: { action: 'accept', content: { name: 'Ada' } } };
  const changed = JSON.parse(await s.call('change_then_ask', { arguments: CHANGED, inputResponses: answer, requestState: first.result.requestState })) as Record<string, any>;
  assert.is(changed.error?.data?.reason, 'other-request', JSON.stringify(changed));
  const done = JSON.parse(await s.call('change_then_ask', { arguments: structuredClone(SENT), inputResponses: answer, requestState: first.result.requestState })) as Record<string, any>;
  assert.is(done.result?.content[0].text, `Ada ${JSON.stringify(CHANGED)}`, JSON.stringify(done));
  s.stdin.end();
});

test('stdin ends while a call runs: its answer is written as text, then the transport closes at once', async () => {
  const s = stdioServer(600_000); // were the answer not counted, the close would wait this long
  s.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 'slow-1', method: 'tools/call', params: { name: 'slow', _meta: envelope(CAPS) } })}\n`);
  s.stdin.end();
  await new Promise((resolve) => setImmediate(resolve));
  s.release();
  const line = await s.next();
  assert.is((JSON.parse(line) as Record<string, any>).result.content[0].text, 'done');
  const closed = await Promise.race([s.end.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, 5_000, false))]);
  assert.ok(closed, 'the transport closed once the owed answer was written');
});

test.run();
