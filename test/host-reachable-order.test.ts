// `npm start`: after a kill -9 of the demo's server the host printed `✓ agents is reachable
// again` before the demo's own `the agents server runs again (pid N)`: two notices of one
// event in the wrong order (hostwalk12's leftover; under load the demo's line, written once it
// had read the server's "listening" line and saved its pid, lost the race). The connection now
// holds its notice until whoever restarts the server (`serverRestarting`) has told its line.
// In process: the server goes away under a running call and listens again on its port.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { createHttpServerHandler } from '../transport/http/server.ts';
import { createConnection } from '../host/connection.ts';

const order = suite('host: "reachable again" comes after the restarter says the server runs again');

/** Resolves once `test` holds for `notices`, polled on each notice (bounded by the caller's timeout). */
function waitFor(notices: string[], listeners: Array<() => void>, test: (n: string[]) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => { if (test(notices)) resolve(); };
    listeners.push(check);
    check();
  });
}

order('the notice waits for serverRestarting, then comes once', async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let started!: () => void;
  const running = new Promise<void>((r) => { started = r; });
  const server = createServer({ name: 'order', version: '1' });
  server.tool({ name: 'work', description: 'waits to be released' }, async (_args, ctx) => {
    await ctx.progress(1, 2, 'started');
    await released;
    return 'done';
  });
  const handler = createHttpServerHandler({ keepAliveMs: 0, connect: async (t) => { await server.connect(t); } });
  let listening = await listen(handler, { port: 0 });
  const port = listening.port;
  const notices: string[] = [];
  const listeners: Array<() => void> = [];
  let told!: () => void;
  let restarting: Promise<void> | undefined;
  const noop = () => undefined;
  const conn = createConnection({
    spec: { name: 'agents', kind: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {} },
    store: createMemoryResumeStore(), logLevel: 'info', callTimeoutMs: 60_000,
    serverRestarting: () => restarting,
    events: {
      elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, debug: noop,
      notice: (text) => { notices.push(text); for (const l of listeners) l(); },
    },
  });
  const timer = setTimeout(() => { throw new Error(`timed out; notices: ${JSON.stringify(notices)}`); }, 20_000);
  try {
    await conn.ensure();
    // Its first event shown: the stream has an id to resume from.
    const call = conn.call('work', {}, { signal: new AbortController().signal, onProgress: () => started() });
    call.catch(() => undefined); // awaited below; a failed assertion first must not leave it unhandled
    await running;
    // The server goes away (its connections cut), as a kill -9 does; the restarter is at work.
    restarting = new Promise<void>((r) => { told = r; });
    await listening.close();
    await waitFor(notices, listeners, (n) => n.some((t) => t.startsWith('lost contact with agents')));
    listening = await listen(handler, { port });
    // The host's stream gets through again (the connection no longer says it lost contact);
    // the notice waits for the restarter's line.
    while (conn.lostContact !== undefined) await new Promise((r) => setTimeout(r, 20));
    assert.not.ok(notices.some((t) => t.includes('reachable again')), `said before the restarter: ${JSON.stringify(notices)}`);
    told();
    await waitFor(notices, listeners, (n) => n.some((t) => t.includes('reachable again')));
    assert.is(notices.filter((t) => t === 'agents is reachable again; resuming').length, 1, JSON.stringify(notices));
    release();
    assert.is(await call.then((r) => (r.content[0] as { text: string }).text), 'done');
  } finally {
    clearTimeout(timer);
    release();
    await conn.close(false);
    await handler.close();
    await listening.close();
  }
});

order.run();
