// 2026-07-28 basic/patterns/mrtr: a call whose caller aborts while the client is answering the
// server's input requests (a form a person has not filled in yet) rejects at once, as in the
// 2025-11-25 era, with MCP_ERR_ABORTED saying it was cancelled during the input round; it did
// not settle until the form was answered, then said "aborted before it was sent" (peerwalk2:
// an SDK-style host's form that ignores the signal kept the cancelled call pending). Loopback.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { walk2Server } from './support/peer-walk2.ts';

const abort = suite('modern: abort during an input round');

abort('the call rejects when aborted, without waiting for the form; the next call works', async () => {
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0, host: '127.0.0.1' });
  holder.handler = createMcpHttpHandler(walk2Server(), { keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  let release: (() => void) | undefined;
  let asked!: () => void;
  const formShown = new Promise<void>((resolve) => { asked = resolve; });
  let formSignal: AbortSignal | undefined;
  const client = createClient({ name: 'abort', version: '1' }, {
    era: 'modern', eraCache: false,
    // A form the person has not answered yet, and that does not watch the signal.
    onElicit: (params, ctx) => {
      formSignal = ctx.signal;
      if (String((params as { message: string }).message) === 'First?' && release === undefined) {
        asked();
        return new Promise((resolve) => { release = () => resolve({ action: 'decline' }); });
      }
      return { action: 'accept', content: { name: String((params as { message: string }).message).replace('?', '') } };
    },
  });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
    const controller = new AbortController();
    const call = client.callTool('twice', {}, { signal: controller.signal }).then(() => undefined, (error: Error & { code?: unknown }) => error);
    await formShown;
    controller.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([call, new Promise<'pending'>((resolve) => { timer = setTimeout(() => resolve('pending'), 3_000); })]);
    clearTimeout(timer);
    assert.ok(outcome !== 'pending', 'the aborted call still waited for the form 3 s later');
    assert.instance(outcome, Error);
    const error = outcome as Error & { code?: unknown };
    assert.is(error.code, 'MCP_ERR_ABORTED', error.message);
    assert.match(error.message, /tools\/call aborted while the client answered the server's input requests/);
    assert.is(formSignal?.aborted, true, 'the form was told through its signal');
    release!();
    const next = await client.callTool('twice', {});
    assert.equal(next.content, [{ type: 'text', text: 'First+Second' }]);
  } finally {
    release?.();
    await client.close();
    await holder.handler!.close();
    await listening.close();
  }
});

abort.run();
