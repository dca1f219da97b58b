// Over stdio a 2025-11-25 server's question carries nothing that names the call it belongs
// to. SDK 2.4's McpServer does not cancel its elicitation when the client cancels the call,
// so the host's form stayed open until the session closed (the callback's signal never
// aborted). With exactly one call of ours pending, the client now takes the question to be
// that call's: it aborts once the call ends, as over HTTP (test/client-ask-ends-with-call.test.ts),
// and the callback's answer still goes back. With two pending it cannot tell which: the
// question stays open while either runs, and aborts once both have ended (before, it stayed
// open until the session closed).
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setupAsk, within } from './support/ask-stdio.ts';

const fixture = fileURLToPath(new URL('../transport/stdio/fixtures/never-cancels-server.mjs', import.meta.url));
const test = suite('client over stdio: a question asked while one call is pending ends with that call');

const setup = () => setupAsk(fixture);

test('the one pending call aborted: the form\'s signal aborts, and its answer still reaches the server', async () => {
  const s = setup();
  try {
    await s.client.connect(s.transport);
    const controller = new AbortController();
    const askedOnce = s.nextAsk();
    const call = s.client.callTool('ask', {}, { signal: controller.signal }).then(() => 'answered', (e: Error & { code?: string }) => e.code);
    await within(askedOnce, 10_000, 'the question reached onElicit');
    assert.is(s.asked[0]!.ctx.relatedRequestId, undefined, 'stdio does not tell; nothing is claimed');
    controller.abort();
    assert.is(await call, 'MCP_ERR_ABORTED');
    const reason = await within(s.asked[0]!.aborted, 5_000, 'the form\'s signal aborted once its call was given up');
    assert.match(String((reason as Error).message), /tools\/call \d+, which this request was asked for, has ended/);
    await within(s.answered, 5_000, 'the server got the form\'s answer');
    assert.match(s.stderr(), /answer q\d+ \{"action":"cancel"\}/);
  } finally {
    await s.client.close();
  }
});

test('two calls pending: one ending does not abort the question, both ending do', async () => {
  const s = setup();
  try {
    await s.client.connect(s.transport);
    const holding = new AbortController();
    const hold = s.client.callTool('hold', {}, { signal: holding.signal }).then(() => 'answered', (e: Error & { code?: string }) => e.code);
    const askedOnce = s.nextAsk();
    const asking = new AbortController();
    const call = s.client.callTool('ask', {}, { signal: asking.signal }).then(() => 'answered', (e: Error & { code?: string }) => e.code);
    await within(askedOnce, 10_000, 'the question reached onElicit');
    holding.abort();
    assert.is(await hold, 'MCP_ERR_ABORTED');
    // The abort of `hold` ran its course (its rejection above came after it): the form is still open.
    assert.is(s.asked[0]!.ctx.signal.aborted, false);
    asking.abort();
    assert.is(await call, 'MCP_ERR_ABORTED');
    const reason = await within(s.asked[0]!.aborted, 5_000, 'the form\'s signal aborted once both calls were given up');
    assert.match(String((reason as Error).message), /tools\/call \d+ has ended, the last of the requests of ours pending when this one was asked/);
    assert.is(s.asked[0]!.ctx.relatedRequestId, undefined, 'still not claimed to be either\'s');
    await within(s.answered, 5_000, 'the server got the form\'s answer');
  } finally {
    await s.client.close();
  }
});

test.run();
