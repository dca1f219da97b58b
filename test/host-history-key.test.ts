// The idempotency key the host sends with a call (so that a repeat is done once) is not the
// person's: it is left out of every line that names the call (call-args.ts), and `history N`
// showed it nowhere at all, not even to a person debugging a repeat (hostwalk14's leftover,
// asked of hostwalk18: keep it where such a person looks). `--verbose` shows it in `history N`,
// at the REPL and in `--exec`; without it, nothing of it.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCallHistory } from '../host/history.ts';
import { killAll, spawnHost, tempDir } from './host-harness.ts';

const KEY = 'host-bfb3bf56-6a7c-4c6e-9f4f-f93267be3a69';
const fail = (error: Error) => { throw error; };
let dir: { path: string; remove(): Promise<void> };
let state: string;

const key = suite('host: the idempotency key in history N, with --verbose only');

key.before(async () => {
  dir = await tempDir('mcpwire-history-key-');
  state = join(dir.path, 'host');
  const history = createCallHistory({ file: join(state, 'history.json'), onError: fail });
  await history.load();
  const call = history.begin({ server: 'http http://127.0.0.1:9/mcp', serverName: 'agents', tool: 'travel_agent', args: { destination: 'Lisbon', idempotencyKey: KEY } });
  history.update(call, { status: 'done', endedAt: Date.now(), result: { content: [{ type: 'text', text: 'Booked: London → Lisbon' }] } });
  await history.flush();
});
key.after(async () => {
  await killAll();
  await dir.remove();
});

// Port 9: no server is needed to read the record, and none is reached.
const url = 'http://127.0.0.1:9/mcp';

key('--exec "history 1": the key with --verbose, on its own line under the status; not without', async () => {
  const plain = spawnHost(['--url', url, '--state', state, '--exec', 'history 1']);
  plain.end();
  assert.is(await plain.exited(), 0, plain.err());
  assert.match(plain.out(), /^#1 travel_agent \{"destination":"Lisbon"\} on agents\n {2}done · started/);
  assert.not.match(plain.out() + plain.err(), /idempotency|host-bfb3/);
  const verbose = spawnHost(['--url', url, '--state', state, '--exec', 'history 1', '--verbose']);
  verbose.end();
  assert.is(await verbose.exited(), 0, verbose.err());
  assert.match(verbose.out(), new RegExp(`^#1 travel_agent \\{"destination":"Lisbon"\\} on agents\\n {2}done · started [^\\n]*\\n {2}idempotency key ${KEY} \\(a repeat sent with it returns this call's first result\\)\\n {2}Booked`));
});

key('at the REPL, "history 1" with --verbose shows the key; without, not', async () => {
  for (const verbose of [false, true]) {
    const host = spawnHost(['--url', url, '--state', state, ...(verbose ? ['--verbose'] : [])]);
    host.send('history 1');
    host.send('quit');
    host.end();
    await host.exited();
    assert.match(host.out(), /#1 travel_agent \{"destination":"Lisbon"\} on agents\n/);
    if (verbose) assert.match(host.out(), new RegExp(` {2}idempotency key ${KEY} `));
    else assert.not.match(host.out(), /idempotency|host-bfb3/);
  }
});

key.run();
