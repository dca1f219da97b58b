// `mcpwire host` had no ping flag, though the client pings when asked (2025-11-25
// basic/utilities/ping: implementations SHOULD ping periodically, at a configurable frequency):
// a server that hangs, alive but not reading, held the host's calls until their timeout. Now
// `--ping-interval-ms` reaches the connection's client, and a server that leaves the pings
// unanswered counts as down. A stdio server that answers the handshake, then nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createConnection } from './connection.ts';

const ping = suite('host: a server that stops answering pings is down');

/** Answers initialize, then reads on and answers nothing. */
const HANGS = 'require("node:readline").createInterface({ input: process.stdin }).on("line", (l) => { const m = JSON.parse(l);'
  + ' if (m.method === "initialize") console.log(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "hangs", version: "1" } } })); })';

ping('two pings unanswered: "is down", naming the pings; not restarted with restarts off', async () => {
  const notices: string[] = [];
  let down!: () => void;
  const isDown = new Promise<void>((r) => { down = r; });
  const noop = () => undefined;
  const conn = createConnection({
    spec: { name: 'hangs', kind: 'stdio', command: process.execPath, args: ['-e', HANGS], env: {}, cwd: undefined },
    store: createMemoryResumeStore(), logLevel: 'info', callTimeoutMs: 60_000,
    ping: { intervalMs: 100, timeoutMs: 200 },
    restart: { initialDelayMs: 500, maxDelayMs: 500, maxAttempts: 0, stableMs: 30_000 },
    events: {
      elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, debug: noop,
      notice: (text) => { notices.push(text); if (text.startsWith('hangs is down')) down(); },
    },
  });
  try {
    await conn.ensure();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((r) => { timer = setTimeout(r, 10_000); });
    await Promise.race([isDown, bound]).finally(() => clearTimeout(timer));
    assert.ok(notices.length > 0, 'no notice within 10 s: the pings never went out');
    assert.match(notices[0]!, /^hangs is down: .*ping.*; not restarted; "list" tries again$/);
    assert.is(conn.state, 'down');
  } finally {
    await conn.close(false);
  }
});

ping.run();
