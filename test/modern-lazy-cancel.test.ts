// The 2026-07-28 HTTP path makes a request's AbortSignal only when someone needs it (a stream
// opens, a handler reads ctx.signal): a handler that had not looked at its signal when the
// client closed the stream still sees it aborted when it looks, and one that asks for input
// after the close sends no question (its input call fails with the cancellation).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer, type McpHttpHandler } from '../server/index.ts';
import { envelope } from './modern-kit.ts';

const URL_ = 'http://127.0.0.1/mcp';

function headersFor(name: string): Record<string, string> {
  return {
    'content-type': 'application/json', accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name,
  };
}

/** A deferred the test resolves once the client has closed the stream. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

interface Seen { aborted?: boolean; inputError?: string }

function setup(closed: Promise<void>, seen: Seen): McpHttpHandler {
  const server = createServer({ name: 'lazy-cancel', version: '1.0.0' });
  // Streams progress (the response becomes SSE), waits for the test, then looks at its signal.
  server.tool({ name: 'late_look' }, async (_args, ctx) => {
    await ctx.progress(1);
    await closed;
    seen.aborted = ctx.signal.aborted;
    return 'done';
  });
  // Streams progress, waits for the test, then asks for input without ever reading its signal.
  server.tool({ name: 'late_ask' }, async (_args, ctx) => {
    await ctx.progress(1);
    await closed;
    try {
      await ctx.elicit({ message: 'still there?', requestedSchema: { type: 'object', properties: {} } });
    } catch (error) {
      seen.inputError = (error as Error).message;
    }
    return 'done';
  });
  return createMcpHttpHandler(server, { eras: 'modern', disableHostChecks: true });
}

/** POST a call of `name` that asks for progress, read its first event, close the stream. */
async function callAndClose(h: McpHttpHandler, name: string): Promise<void> {
  const message = { jsonrpc: '2.0', id: name, method: 'tools/call', params: { name, _meta: envelope({ elicitation: {} }, { progressToken: 1 }) } };
  const res = await h.handle(new Request(URL_, { method: 'POST', headers: headersFor(name), body: JSON.stringify(message) }));
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  assert.match(new TextDecoder().decode((await reader.read()).value), /notifications\/progress/);
  await reader.cancel();
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setImmediate(r));
}

const Lazy = suite('2026-07-28 HTTP: a signal made late still tells of an earlier close');

Lazy('a handler that reads ctx.signal only after the client closed the stream sees it aborted', async () => {
  const seen: Seen = {};
  const closed = gate();
  const h = setup(closed.opened, seen);
  await callAndClose(h, 'late_look');
  closed.open();
  await until(() => seen.aborted !== undefined);
  assert.is(seen.aborted, true);
  await h.close();
});

Lazy('a handler that asks for input after the client closed the stream gets the cancellation, not a question', async () => {
  const seen: Seen = {};
  const closed = gate();
  const h = setup(closed.opened, seen);
  await callAndClose(h, 'late_ask');
  closed.open();
  await until(() => seen.inputError !== undefined);
  assert.match(seen.inputError ?? '', /closed the response stream/);
  await h.close();
});

Lazy.run();
