// An answer is used once and the person asked once per question, across server and host
// restarts: a server that dies right after getting the answer re-runs the call on restart.
// mcpwire's server saves each answer with the call and its re-run takes it from there; a
// server that asks the same question again gets the host's answer on record instead (the
// host's half is unit-tested in host/history.test.ts). Either way, one question, one answer.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { all, conversation, killAll, spawnHost, tempDir, track, type Proc, answerModel } from './host-harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: { path: string; remove(): Promise<void> };

/** test/ask-server.ts on `state`, waiting for its URL. */
async function askServer(state: string, port = 0): Promise<{ proc: Proc; url: string; port: number }> {
  const proc = track(spawn(process.execPath, ['--conditions=mcpwire-source', '--import', 'tsx', join(root, 'test/ask-server.ts'), state, String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }));
  const m = await proc.waitFor(/listening on (http:\/\/127\.0\.0\.1:(\d+)\/mcp)/, { stream: 'stderr', timeoutMs: 20_000 });
  return { proc, url: m[1]!, port: Number(m[2]) };
}

/**
 * Whether the host's resume store holds a call with a position on the call's own stream (an
 * `inflight` entry with `lastEventId`; the record's top-level `lastEventId` is the standalone
 * stream's, which says nothing about the call).
 */
async function storedPosition(hostState: string): Promise<boolean> {
  const files = await readdir(join(hostState, 'tokens')).catch(() => []);
  for (const f of files) {
    const text = await readFile(join(hostState, 'tokens', f), 'utf8').catch(() => '');
    if (callPositionIn(tryParse(text))) return true;
  }
  return false;
}

function tryParse(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

/** Whether `value` holds, at any depth, an `inflight` list with an entry that has a `lastEventId`. */
function callPositionIn(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const inflight = (value as { inflight?: unknown }).inflight;
  if (Array.isArray(inflight) && inflight.some((r) => typeof (r as { lastEventId?: unknown })?.lastEventId === 'string')) return true;
  return Object.values(value).some(callPositionIn);
}

const once = suite('host: each question asked once across restarts');

once.before(async () => { dir = await tempDir('mcpwire-host-once-'); });
once.after(async () => {
  await killAll();
  await dir.remove();
});

once('a form answered just before the server died: the re-run gets the same answer, the person is not asked again', async () => {
  const state = join(dir.path, 'server-a');
  let server = await askServer(state);
  const host = spawnHost(['--url', server.url, '--state', join(dir.path, 'host-a')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'confirm_once');
  await c.expect(/Answer\?/, 'a');
  await c.expect(/Go \(yes\/no\)/, 'yes');
  await c.expect(/Send\?/, '');
  assert.is(await server.proc.exited(), 1, 'the server died after the answer');
  server = await askServer(state, server.port);
  await c.expect(/confirmed: accept \{"go":true\}/, 'quit', 30_000);
  assert.is(await host.exited(), 0);
  assert.is(all(host.out(), /Answer\?/).length, 1, 'asked once');
});

once('a model request approved just before the server died: the re-run gets the earlier answer, no second approval', async () => {
  const state = join(dir.path, 'server-b');
  let server = await askServer(state);
  const host = spawnHost(['--url', server.url, '--state', join(dir.path, 'host-b')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'summarise_once');
  await answerModel(c, 'y');
  assert.is(await server.proc.exited(), 1, 'the server died after the answer');
  server = await askServer(state, server.port);
  await c.expect(/model said: /, 'quit', 30_000);
  assert.is(await host.exited(), 0);
  assert.is(all(host.out(), /\[Y\/n\]/).length, 1, 'approved once');
});

once('the host is killed too: the re-run completes with the answer given, nobody is asked again', async () => {
  const state = join(dir.path, 'server-c');
  const hostState = join(dir.path, 'host-c');
  let server = await askServer(state);
  const first = spawnHost(['--url', server.url, '--state', hostState]);
  const c1 = conversation(first);
  await c1.expect(/Type "help"/, 'confirm_once');
  await c1.expect(/Answer\?/, 'a');
  await c1.expect(/Go \(yes\/no\)/, 'no');
  await c1.expect(/Send\?/, 'y');
  assert.is(await server.proc.exited(), 1);
  await c1.expect(/lost contact with/);
  // kill -9 once the host has stored the call's place on its stream after the answer (it writes on its own time).
  // (A file another process writes: read every 20 ms, for up to 15 s, as a loaded machine may need.)
  const deadline = Date.now() + 15_000;
  while (!(await storedPosition(hostState))) {
    assert.ok(Date.now() < deadline, 'the host stored where the call is');
    await new Promise((r) => setTimeout(r, 20));
  }
  first.kill('SIGKILL');
  await first.exited();
  server = await askServer(state, server.port);
  const second = spawnHost(['--url', server.url, '--state', hostState, '--yes']);
  const c2 = conversation(second);
  await c2.expect(/#1 confirm_once resumed/);
  await c2.expect(/confirmed: accept \{"go":false\}/, 'quit', 30_000);
  assert.is(await second.exited(), 0);
  assert.not.match(second.out(), /Answer\?|\(--yes\) accepted/, 'not asked, and --yes did not answer for the person');
});

once.run();
