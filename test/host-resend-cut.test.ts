// `npm start`, a booking started a moment before the demo's kill -9: its POST was cut before
// the server said anything (no event id, nothing to resume) and the call failed at once with
// `cannot reach agents (connection reset); is it running?`, while the demo was restarting the
// server (hostwalk13's leftover). A call the person typed now gets an idempotency key when its
// tool takes one; cut before any answer it is sent again once the server is back when that
// cannot do a thing twice (a key, or a read-only tool), and otherwise the line says what is
// known and how to run it again. In process: the server goes away under the call (its
// connections cut) and listens again on its port, as the demo's restart does.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { createHttpServerHandler } from '../transport/http/server.ts';
import { createCallHistory } from '../host/history.ts';
import { createHost } from '../host/host.ts';
import { createReplCommands } from '../host/repl-commands.ts';
import { createPaint } from '../host/progress-view.ts';
import { DEFAULT_RESTART_POLICY } from '../host/restarts.ts';
import { createLocalSummariser } from '../host/sampling.ts';
import type { Terminal } from '../host/terminal.ts';
import { tempDir } from './host-harness.ts';

const cut = suite('host: a call cut before the server said anything');

function createTestTerminal() {
  const printed: string[] = [];
  const term = {
    tty: false, paint: createPaint(false), columns: 200, rows: undefined, asking: false,
    start() {}, setLive() {}, close() {}, ask: async () => undefined,
    print: (text: string) => { printed.push(text); },
  } as unknown as Terminal;
  return { term, printed };
}

/**
 * A server whose tools each go away under their first call (the server restarts: its
 * connections cut, it listens again): `book` books once per key, `peek` only reads, `change`
 * neither. `runs` counts each tool's runs, `booked` the bookings made.
 */
async function bouncingServer() {
  const runs = { book: 0, peek: 0, change: 0 };
  const booked = new Set<string>();
  let hang!: () => void;
  const hung = new Promise<void>((r) => { hang = r; });
  let restarting: Promise<void> | undefined;
  const server = createServer({ name: 'agents', version: '1' });
  const handler = createHttpServerHandler({ keepAliveMs: 0, connect: async (t) => { await server.connect(t); } });
  let listening = await listen(handler, { port: 0 });
  const port = listening.port;
  async function bounce(): Promise<void> {
    let told!: () => void;
    restarting = new Promise<void>((r) => { told = r; });
    await listening.close();
    listening = await listen(handler, { port });
    told();
    restarting = undefined;
  }
  /** Goes away under its first run: the side effect (if any) happened, the answer never comes. */
  async function firstGoesAway(tool: keyof typeof runs): Promise<void> {
    if (++runs[tool] > 1) return;
    void bounce();
    await hung;
  }
  server.tool({
    name: 'book', description: 'books once per key',
    inputSchema: { type: 'object', properties: { destination: { type: 'string' }, idempotencyKey: { type: 'string' } }, required: ['destination'] },
  }, async (args: { destination: string; idempotencyKey?: string }) => {
    const key = args.idempotencyKey ?? `unkeyed-${runs.book}`;
    const again = booked.has(key);
    booked.add(key);
    await firstGoesAway('book');
    return again ? `already booked ${args.destination}` : `booked ${args.destination}`;
  });
  server.tool({ name: 'peek', description: 'only reads', annotations: { readOnlyHint: true } }, async () => {
    await firstGoesAway('peek');
    return 'seen';
  });
  server.tool({ name: 'change', description: 'changes something, no key' }, async () => {
    await firstGoesAway('change');
    return 'changed';
  });
  return {
    runs, booked, port,
    restarting: () => restarting,
    async close() {
      hang();
      await handler.close();
      await listening.close();
    },
  };
}

async function withHost(run: (h: { host: ReturnType<typeof createHost>; printed: string[]; srv: Awaited<ReturnType<typeof bouncingServer>> }) => Promise<void>,
  restarting?: () => Promise<void> | undefined) {
  const srv = await bouncingServer();
  const dir = await tempDir('mcpwire-resend-cut-');
  const { term, printed } = createTestTerminal();
  const history = createCallHistory({ file: join(dir.path, 'history.json'), onError: (e) => { throw e; } });
  const host = createHost({
    specs: [{ name: 'agents', kind: 'http', url: `http://127.0.0.1:${srv.port}/mcp`, headers: {} }], store: createMemoryResumeStore(), term, yes: false,
    provider: createLocalSummariser(), logLevel: 'info', callTimeoutMs: 60_000, verbose: false, openUrl: undefined,
    roots: [], history, pageLines: 20, restart: DEFAULT_RESTART_POLICY, serverRestarting: restarting ?? srv.restarting, reconnectAttempts: 5,
  });
  const timer = setTimeout(() => { throw new Error(`timed out; printed:\n${printed.join('\n')}`); }, 20_000);
  try {
    await run({ host, printed, srv });
  } finally {
    clearTimeout(timer);
    await host.stop();
    await srv.close();
    await dir.remove();
  }
}

async function typed(host: ReturnType<typeof createHost>, name: string, args: Record<string, unknown>) {
  const found = await host.findTool(name);
  assert.ok(found, `${name} is listed`);
  const call = host.start(found!.conn, name, args, { tool: found!.tool });
  await call.done;
  return call;
}

cut('a booking gets a key, is sent again once the server is back, and books once', async () => {
  await withHost(async ({ host, printed, srv }) => {
    const call = await typed(host, 'book', { destination: 'Tokyo' });
    const text = printed.join('\n');
    assert.is(call.status, 'done', text);
    assert.is(srv.runs.book, 2, text);
    assert.is(srv.booked.size, 1, `booked once: ${[...srv.booked].join(', ')}`);
    assert.match((call.result?.content[0] as { text: string }).text, /already booked Tokyo/);
    assert.match(text, /↻ #1 book: agents went away before answering; sent again \(it has an idempotency key\)/);
    assert.is(printed.filter((l) => l.includes('sent again')).length, 1, text);
    // The key is the host's: not shown on the call's line.
    assert.match(text, /▶ #1 book \{"destination":"Tokyo"\}/);
    assert.not.match(text, /idempotencyKey/);
  });
});

cut('a read-only call is sent again', async () => {
  await withHost(async ({ host, printed, srv }) => {
    const call = await typed(host, 'peek', {});
    assert.is(call.status, 'done', printed.join('\n'));
    assert.is(srv.runs.peek, 2);
    assert.match(printed.join('\n'), /↻ #1 peek: agents went away before answering; sent again \(it only reads\)/);
  });
});

cut('any other call is not sent again, and the line says why and how to run it again', async () => {
  await withHost(async ({ host, printed, srv }) => {
    const call = await typed(host, 'change', {});
    const text = printed.join('\n');
    assert.is(call.status, 'failed', text);
    assert.is(srv.runs.change, 1);
    assert.match(text, /✗ #1 change failed: agents went away before answering \([^)]+\); change may or may not have run, so it was not sent again \(it may change something and has no idempotency key\); to run it again, type: change/);
  });
});

cut('the lost-contact line does not promise to keep a call cut before any answer', async () => {
  // It said "calls are kept and resume when it is back" for every call in flight (hostwalk14's
  // leftover): this one had no event to resume from, and was then sent again or failed.
  for (const tool of ['change', 'peek'] as const) {
    await withHost(async ({ host, printed }) => {
      await typed(host, tool, {});
      const text = printed.join('\n');
      assert.not.match(text, /kept and resume/, text);
      assert.match(text, new RegExp(`⚠ lost contact with agents \\([^)]+\\); ${tool} had no answer yet, so there is nothing of it to resume: see its line below`), text);
      assert.is(printed.filter((l) => l.includes('lost contact')).length, 1, text);
    });
  }
});

cut('cancelled while it waits for the server to be back: it ends cancelled, not sent again', async () => {
  // A restart that never ends: only the person's cancel ends the wait.
  let waiting!: () => void;
  const waited = new Promise<void>((r) => { waiting = r; });
  await withHost(async ({ host, printed, srv }) => {
    const found = await host.findTool('peek');
    const call = host.start(found!.conn, 'peek', {}, { tool: found!.tool });
    await waited;
    call.controller.abort();
    await call.done;
    assert.is(call.status, 'cancelled', printed.join('\n'));
    assert.is(srv.runs.peek, 1);
    assert.not.match(printed.join('\n'), /sent again/);
  }, () => { waiting(); return new Promise<void>(() => undefined); });
});

cut('status, while it waits for the server to be back, does not say the call resumes', async () => {
  // `status` said "lost contact (...); calls resume when it is back" for the server as a whole
  // while the lost-contact line had said there was nothing of this call to resume (hostwalk15's
  // leftover).
  let waiting!: () => void;
  const waited = new Promise<void>((r) => { waiting = r; });
  await withHost(async ({ host, printed }) => {
    const found = await host.findTool('peek');
    const call = host.start(found!.conn, 'peek', {}, { tool: found!.tool });
    await waited;
    printed.length = 0;
    await createReplCommands(host, { leave: async () => {}, script: true }).run({ kind: 'builtin', name: 'status', rest: '' });
    const text = printed.join('\n');
    // Cut before any answer, it waits to be sent again: not on record, nothing of it resumes.
    assert.match(text, /server agents: lost contact \([^)]+\), 2025-11-25/, text);
    assert.not.match(text, /resume/, text);
    call.controller.abort();
    await call.done;
  }, () => { waiting(); return new Promise<void>(() => undefined); });
});

cut.run();
