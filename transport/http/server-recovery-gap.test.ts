// Restart recovery over a history damaged in its middle (faults29, found probing `serve
// --state` with a byte flipped in the session log): a call that ended just before a kill -9,
// whose in-flight record the process had not yet saved without it, has its response after the
// damaged event. The history from the start is refused (410), and the call was re-run: its
// tool ran twice and a client resuming after the damage got two responses to one request.
// Now the responses after the gap count: such a call is not run again.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, JsonRpcRequest } from '../../protocol/index.ts';
import { createFileEventStore } from '../event-store/file.ts';
import { recoverInflight } from './server-recovery.ts';
import type { HttpSession } from './server-session.ts';

const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });
const call = (id: number): JsonRpcRequest => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow' } });
const dirs: string[] = [];

/** A stream of `events` in a file store whose `damaged`th event's line is then garbled; the store reopened. */
async function damagedStream(events: JsonRpcMessage[], damaged: number) {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-recovery-gap-'));
  dirs.push(dir);
  const key = { sessionId: 's', streamId: 'p1' };
  const first = await createFileEventStore({ dir, onError: (e) => { throw e; } });
  const start = await first.openStream(key);
  for (const e of events) await first.append(key, e);
  await first.close();
  const path = join(dir, (await readdir(dir))[0]!);
  const lines = (await readFile(path, 'utf8')).split('\n');
  const at = lines.findIndex((l) => l.includes(`"progress":${damaged}`));
  lines[at] = lines[at]!.slice(0, 60) + '\u0000garbage' + lines[at]!.slice(68);
  await writeFile(path, lines.join('\n'));
  const errors: string[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e.message) });
  return { store, token: start.slice(0, start.lastIndexOf('.')), errors };
}

/** Recover one in-flight record naming `requests`; resolves with the requests re-run. */
async function rerun(events: JsonRpcMessage[], requests: JsonRpcRequest[]): Promise<{ rerun: unknown[]; reports: string[] }> {
  const { store, token } = await damagedStream(events, 2);
  const rerun: unknown[] = [];
  const session = { id: 's', resumeInflight: async (record: { requests: JsonRpcRequest[] }) => { rerun.push(...record.requests.map((r) => r.id)); } } as unknown as HttpSession;
  const reports: string[] = [];
  try {
    await recoverInflight(session, { app: undefined, protocolVersion: '2025-11-25', inflight: [{ streamId: 'p1', token, requests }] }, store, (e) => reports.push(e.message));
  } finally {
    await store.close();
  }
  return { rerun, reports };
}

const gap = suite('restart recovery: a history damaged in its middle');

gap('a call whose response follows the damaged event is not run again', async () => {
  const { rerun: ran, reports } = await rerun([note(1), note(2), note(3), { jsonrpc: '2.0', id: 12, result: { content: [] } }, note(5)], [call(12)]);
  assert.equal(ran, [], 'its response is in the history after the gap');
  assert.is(reports.length, 1, 'the unreadable history is still said');
});

gap('a call without a response after it is run again; of two calls, only the unanswered one', async () => {
  assert.equal((await rerun([note(1), note(2), note(3), note(4)], [call(12)])).rerun, [12]);
  assert.equal((await rerun([note(1), note(2), note(3), { jsonrpc: '2.0', id: 12, result: { content: [] } }], [call(12), call(13)])).rerun, [13]);
});

gap.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

gap.run();
