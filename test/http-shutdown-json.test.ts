// SIGTERM (the handler's close()) while a 2026-07-28 call is owed a JSON reply (it sent no
// notification, so no SSE stream opened). Session 32 (faults23's and faults24's leftover): the
// POST was never answered; over a socket the client got a cut connection, in process its
// promise never settled, and the handler ran on. Now it gets the 503 a 2025 call owed a JSON
// reply gets (a JSON-RPC error with its id, `Retry-After`), and the handler its abort. A POST
// that comes after close() gets 503 at once instead of starting a call. In process, and once
// over a loopback socket (the Node adapter must write the 503 before the connections close).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeFixture, untilAbortedFixture } from './http-fixture.ts';
import { envelope } from './modern-kit.ts';
import { within } from './tasks-fixture.ts';

const test = suite('HTTP server shut down while a 2026-07-28 call is owed a JSON reply');

const MODERN = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'wait' };

function call(id: number) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'wait', arguments: {}, _meta: envelope({}) } };
}

/** A server whose `wait` tool runs until aborted, answering JSON (no notification). */
const waitingServer = () => untilAbortedFixture('wait', false);

async function expectShutdownReply(res: Response, id: number | null): Promise<void> {
  assert.is(res.status, 503);
  assert.is(res.headers.get('content-type'), 'application/json');
  assert.is(res.headers.get('retry-after'), '1');
  const body = await res.json() as { id: unknown; error: { code: number; message: string } };
  assert.is(body.id, id);
  assert.is(body.error.code, -32603);
  assert.match(body.error.message, /shutting down/);
}

test('the call still running gets a 503 with a JSON-RPC error naming its id, and its handler is aborted', async () => {
  const { f, running, aborted } = waitingServer();
  const reply = f.post(call(9), MODERN);
  await within(running, 5_000, 'the tool starting');
  await f.close();
  await expectShutdownReply(await within(reply, 5_000, 'the reply of the call owed at close'), 9);
  assert.match(String(await within(aborted, 5_000, 'the handler\'s abort')), /shutting down/);
});

test('a 2026-07-28 POST after close() gets 503 and runs nothing', async () => {
  let ran = 0;
  const f = makeFixture({}, (server) => server.tool({ name: 'wait' }, () => { ran++; return 'ran'; }));
  await f.close();
  const res = await within(f.post(call(10), MODERN), 5_000, 'the reply after close');
  assert.is(res.status, 503);
  assert.is(res.headers.get('retry-after'), '1');
  assert.is(ran, 0);
});

test('over a loopback socket, the 503 reaches the client before the connections close', async () => {
  const via = process.env.MCPWIRE_FIXTURE_VIA;
  process.env.MCPWIRE_FIXTURE_VIA = 'socket';
  try {
    const { f, running } = waitingServer();
    const reply = f.post(call(11), MODERN);
    await within(running, 5_000, 'the tool starting');
    await f.close();
    await expectShutdownReply(await within(reply, 5_000, 'the reply of the call owed at close'), 11);
  } finally {
    if (via === undefined) delete process.env.MCPWIRE_FIXTURE_VIA;
    else process.env.MCPWIRE_FIXTURE_VIA = via;
  }
});

test.run();
