// Disk full behind the Streamable HTTP server (issue #10 item 3): a call that needs a write
// fails with 507 and a JSON-RPC error (or, mid-stream, an error response for that call), the
// session keeps serving what needs no write, and once space returns calls work again
// without a restart. Never a 500. The file store's writes fail through its fake-fs seam.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore, type SessionEventStore } from 'mcpwire/transport';
import { fullDiskFs } from './support/full-disk-fs.ts';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

const VERSION = '2025-11-25';
const state = { full: false };
const fullDisk = fullDiskFs(state);

let dir = '';
let store: SessionEventStore;
let fixture: Fixture;
let session = '';
const serverErrors: string[] = [];
let release: (() => void) | undefined;
let step: (() => void) | undefined;
let progressFailed = false;

const headers = () => ({ 'mcp-session-id': session, 'mcp-protocol-version': VERSION });
const callTool = (id: number, name: string, args: Record<string, unknown> = {}) =>
  fixture.post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }, headers());

const test = suite('the HTTP server on a full disk');

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpwire-http-full-'));
  store = await createFileEventStore({ dir, fs: fullDisk, onError: (e) => serverErrors.push(e.message) });
  fixture = makeFixture({ eventStore: store, onError: (e) => serverErrors.push(e.message) }, (server) => {
    server.tool({ name: 'gated', description: 'Answers when the test says so.', inputSchema: { type: 'object' } }, async () => {
      await new Promise<void>((resolve) => { release = resolve; });
      return 'released';
    });
    server.tool({ name: 'stepped', description: 'Reports one step when the test says so, then answers.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      await new Promise<void>((resolve) => { step = resolve; });
      for (let i = 1; i <= 3; i++) await ctx.progress(i, 3, `step ${i}`).catch((e: unknown) => { progressFailed = true; throw e; });
      return 'stepped once';
    });
  });
  session = await fixture.initialize(VERSION);
});

test('a call made while the disk is full gets 507 with a JSON-RPC error, not 500', async () => {
  const before = await callTool(1, 'echo', { text: 'before' });
  assert.is(before.status, 200);
  const earlier = await readEvents(before);
  assert.is(messagesOf(earlier).at(-1)?.result?.content?.[0]?.text, 'before');

  state.full = true;
  for (let i = 0; i < 3; i++) {
    const res = await callTool(10 + i, 'echo', { text: 'during' });
    assert.is(res.status, 507, `attempt ${i}`);
    const body = (await res.json()) as { jsonrpc: string; error: { code: number; message: string } };
    assert.is(body.jsonrpc, '2.0');
    assert.is(body.error.code, -32603);
    assert.match(body.error.message, /MCP_ERR_STORE|no space left/);
  }

  // What needs no write keeps working: a notification, and a resume of stored history.
  const note = await fixture.post({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }, headers());
  assert.is(note.status, 202);
  const resume = await fixture.get({ ...headers(), 'last-event-id': earlier[0]!.id! });
  assert.is(resume.status, 200);
  assert.is(messagesOf(await readEvents(resume)).at(-1)?.result?.content?.[0]?.text, 'before');

  state.full = false;
  const after = await callTool(20, 'echo', { text: 'after' });
  assert.is(after.status, 200);
  assert.is(messagesOf(await readEvents(after)).at(-1)?.result?.content?.[0]?.text, 'after', 'works again without a restart');
});

test('a disk that fills during a call: its result still reaches the live stream, unstored, then calls work again', async () => {
  const res = await callTool(30, 'gated');
  assert.is(res.status, 200);
  const reading = readEvents(res);
  while (!release) await new Promise((r) => setImmediate(r));
  state.full = true;
  release();
  const events = await reading;
  const last = messagesOf(events).at(-1)!;
  // Before: -32603 "The response could not be stored": the tool ran, its outcome was lost.
  assert.is(last.id, 30);
  assert.is(last.result?.content?.[0]?.text, 'released');
  assert.is(events.at(-1)!.id, undefined, 'not resumable: no event id (nothing could be stored in its place)');
  assert.ok(serverErrors.some((m) => /the response to request 30 could not be stored \(.*no space left.*\): it was sent on the live connection only; a client resuming from before it gets nothing for it/.test(m)), serverErrors.join(' | '));
  state.full = false;
  const after = await callTool(31, 'echo', { text: 'again' });
  assert.is(after.status, 200);
  assert.is(messagesOf(await readEvents(after)).at(-1)?.result?.content?.[0]?.text, 'again');
  assert.ok(serverErrors.some((m) => /no space left on the device/.test(m)), 'the operator is told why');
});

test('an initialize refused 507 on a full disk keeps no session and leaves no file behind', async () => {
  const files = async () => (await readdir(dir)).sort();
  const before = await files();
  const sessions = fixture.handler.sessionCount;
  state.full = true;
  try {
    for (let i = 0; i < 5; i++) {
      const res = await fixture.post({ jsonrpc: '2.0', id: 40 + i, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'full', version: '1' } } });
      assert.is(res.status, 507, `attempt ${i}`);
      await res.text();
    }
  } finally {
    state.full = false;
  }
  // Before: each refused initialize kept its session and an empty log file, without bound.
  assert.is(fixture.handler.sessionCount, sessions, 'no session kept');
  assert.equal(await files(), before, 'no log file left');
});

test('a progress notification the full disk cannot keep goes live unstored; the tool is not failed for it', async () => {
  const res = await fixture.post({ jsonrpc: '2.0', id: 35, method: 'tools/call', params: { name: 'stepped', arguments: {}, _meta: { progressToken: 'p35' } } }, headers());
  assert.is(res.status, 200);
  const reading = readEvents(res);
  while (!step) await new Promise((r) => setImmediate(r));
  const reportsBefore = serverErrors.length;
  state.full = true;
  step();
  const events = await reading;
  await fixture.handler.close(); // its writes settled: every report of this call is in (the last test)
  state.full = false;
  const messages = messagesOf(events);
  // Before: the progress's failed append rejected `ctx.progress()`, the tool threw, and the
  // client got -32603 for a call whose work was done.
  assert.equal(messages.map((m) => m.method ?? m.id), ['notifications/progress', 'notifications/progress', 'notifications/progress', 35]);
  assert.equal(events.slice(1).map((e) => e.id), [undefined, undefined, undefined, undefined], 'not resumable');
  assert.is(messages[3]!.result?.content?.[0]?.text, 'stepped once');
  assert.is(progressFailed, false, "the tool's progress() did not throw");
  // One line for the refused notifications, one for the response; not one per progress, nor for the stream's end.
  const reports = serverErrors.slice(reportsBefore);
  assert.is(reports.length, 2, reports.join(' | '));
  assert.match(reports[0]!, /^a notification could not be stored \(.*\): it was sent on the live connection only; a resume misses it \(later ones on this stream are not reported\)$/);
  assert.match(reports[1]!, /^the response to request 35 could not be stored/);
});

test.after(async () => {
  await fixture.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test.run();
