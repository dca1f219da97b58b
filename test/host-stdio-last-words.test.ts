// A stdio server killed by a signal (hostwalk4's leftover, session 22): the host said "is down:
// server process ... was killed by SIGKILL (its last words: probe pid 123)", quoting the line
// the server printed at start-up, which says nothing about why it ended. Only what a server
// said after it started counts as its last words; with none, the line names the signal alone.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createConnection } from '../host/connection.ts';
import type { Connection } from '../host/connection-types.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const noop = () => undefined;

/** A connection to the probe server (it says its pid on stderr at start-up), not restarted when it dies. */
function probe(): { conn: Connection; pid: Promise<number>; down: Promise<string> } {
  let gotPid!: (pid: number) => void;
  let gotDown!: (text: string) => void;
  const pid = new Promise<number>((r) => { gotPid = r; });
  const down = new Promise<string>((r) => { gotDown = r; });
  const conn = createConnection({
    spec: { name: 'probe', kind: 'stdio', command: process.execPath, args: ['--conditions=mcpwire-source', '--import', 'tsx', join(root, 'test/stdio-probe-server.ts')], env: {}, cwd: root },
    store: createMemoryResumeStore(), logLevel: 'info', callTimeoutMs: 60_000,
    restart: { initialDelayMs: 500, maxDelayMs: 500, maxAttempts: 0, stableMs: 30_000 },
    events: {
      elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop,
      notice: (text) => { if (/ is down: /.test(text)) gotDown(text); },
      debug: (text) => { const m = /^probe stderr: probe pid (\d+)$/.exec(text); if (m) gotPid(Number(m[1])); },
    },
  });
  return { conn, pid, down };
}

const words = suite('host: the last words of a stdio server that was killed');

words('killed -9 with nothing said after start-up: the signal, and no start-up line quoted as last words', async () => {
  const { conn, pid, down } = probe();
  try {
    await conn.tools();
    process.kill(await pid, 'SIGKILL');
    const line = await down;
    assert.match(line, /^probe is down: server process "[^"]+" was killed by SIGKILL; not restarted/);
    assert.not.match(line, /last words|probe pid/, line);
  } finally {
    await conn.close(false);
  }
});

words('killed -9 after it said something: that line is quoted, not its start-up line', async () => {
  const { conn, pid, down } = probe();
  try {
    await conn.tools();
    const ran = await conn.call('warn', {}, { signal: new AbortController().signal, onProgress: noop });
    assert.is((ran.content[0] as { text: string }).text, 'warned');
    process.kill(await pid, 'SIGKILL');
    const line = await down;
    assert.match(line, /was killed by SIGKILL \(its last words: probe: memory runs low\); not restarted/);
  } finally {
    await conn.close(false);
  }
});

words.run();
