// The 2026-07-28 server over stdio makes a request's AbortSignal only when someone reads it
// (as HTTP does): `notifications/cancelled` still aborts a handler that read its signal before
// the cancel, one that reads it only after sees it aborted, and one that asks for input after
// the cancel sends no question; a call that never reads its signal makes no AbortController.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { createStdioServerTransport } from '../transport/stdio/server.ts';
import { serveEras } from '../server/index.ts';
import { envelope, testServer } from './modern-kit.ts';

/** A promise and the function that settles it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

interface Seen { aborted: boolean; reason: unknown }

/** A stdio server whose tools report what their signal showed, written and read as JSON lines. */
function stdioServer() {
  const server = testServer();
  const started = deferred();
  const gate = deferred();
  const seen = deferred<Seen>();
  const asked = deferred<string>();
  server.tool({ name: 'read_first', description: 'Reads its signal, then waits for it to abort.' }, async (_a, ctx) => {
    const signal = ctx.signal;
    started.resolve();
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    seen.resolve({ aborted: signal.aborted, reason: signal.reason });
    return 'late';
  });
  server.tool({ name: 'read_later', description: 'Waits for the test, then reads its signal.' }, async (_a, ctx) => {
    started.resolve();
    await gate.promise;
    seen.resolve({ aborted: ctx.signal.aborted, reason: ctx.signal.reason });
    return 'late';
  });
  server.tool({ name: 'ask_later', description: 'Waits for the test, then asks.' }, async (_a, ctx) => {
    started.resolve();
    await gate.promise;
    try {
      await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: {} } }, { key: 'who' });
      asked.resolve('answered');
    } catch (error) {
      asked.resolve(`refused: ${(error as Error).message}`);
    }
    return 'late';
  });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  void serveEras(server, createStdioServerTransport({ stdin, stdout }));
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  createInterface({ input: stdout }).on('line', (line) => { const w = waiters.shift(); if (w) w(line); else lines.push(line); });
  const next = async () => JSON.parse(await new Promise<string>((resolve) => { const l = lines.shift(); if (l !== undefined) resolve(l); else waiters.push(resolve); }));
  const write = (message: unknown) => { stdin.write(`${JSON.stringify(message)}\n`); };
  const call = (id: string, name: string) => write({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, _meta: envelope({ elicitation: {} }) } });
  const cancel = (id: string) => write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id } });
  /** A tools/list answered: every line before it has been read (lines are read in order). */
  const roundTrip = async (id: string) => {
    write({ jsonrpc: '2.0', id, method: 'tools/list', params: { _meta: envelope() } });
    return next();
  };
  /** Call `tool`, cancel it once it runs, and let it go on once the cancel has been read. */
  const cancelWhileRunning = async (id: string, tool: string) => {
    call(id, tool);
    await started.promise;
    cancel(id);
    assert.is((await roundTrip(`probe-${id}`)).id, `probe-${id}`); // the cancel line has been handled
    gate.resolve();
  };
  return { started, seen, asked, call, cancel, cancelWhileRunning, roundTrip, next, end: () => stdin.end() };
}

/** The handler saw its signal aborted by the cancel, and the cancelled call got no response. */
async function sawCancel(s: ReturnType<typeof stdioServer>): Promise<void> {
  const seen = await s.seen.promise;
  assert.ok(seen.aborted, 'the signal is aborted');
  assert.match(String((seen.reason as Error).message), /cancelled/);
  assert.is((await s.roundTrip('after')).id, 'after', 'the cancelled call got no response');
  s.end();
}

const cancel = suite('stdio 2026-07-28: the signal made on first read');

cancel('a handler that read its signal before the cancel sees it abort, and no response follows', async () => {
  const s = stdioServer();
  s.call('c-1', 'read_first');
  await s.started.promise;
  s.cancel('c-1');
  await sawCancel(s);
});

cancel('a handler that reads its signal only after the cancel sees it aborted, with the cancel as reason', async () => {
  const s = stdioServer();
  await s.cancelWhileRunning('c-2', 'read_later');
  await sawCancel(s);
});

cancel('a handler that asks after the cancel (never having read its signal) sends no question', async () => {
  const s = stdioServer();
  await s.cancelWhileRunning('c-3', 'ask_later');
  assert.match(await s.asked.promise, /^refused: .*cancelled/);
  assert.is((await s.roundTrip('after')).id, 'after', 'no input_required and no response for the cancelled call');
  s.end();
});

cancel('a call that never reads its signal makes no AbortController', async () => {
  const s = stdioServer();
  assert.is((await s.roundTrip('warm')).id, 'warm');
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class Counted extends Original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    s.call('plain', 'echo');
    const answer = await s.next();
    assert.is(answer.id, 'plain');
    assert.equal(answer.result.content, [{ type: 'text', text: 'echo: ' }]);
    assert.is((await s.roundTrip('list')).id, 'list');
  } finally {
    globalThis.AbortController = Original;
  }
  assert.is(made, 0, 'AbortControllers made for two calls that never read their signal');
  s.end();
});

cancel.run();
