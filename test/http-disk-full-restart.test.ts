// A call whose response the store could not keep (disk full) ended: its result went on the
// live stream unstored (faults26: it was -32603 before, the outcome of a tool that ran lost),
// and a restart must not take it for interrupted and run it again (a tool with side effects
// runs once; faults6's leftover). A client resuming its stream after the restart from before
// the result gets a -32603 when the store could keep that smaller record in its place (and
// the live result carried that record's id, so a client that read it resumes past it), else
// 410: nothing of the stream's end is in its history, and "nothing more" (204) would hide the
// lost result from a client that missed it live.
// Two handlers on one directory stand for the process before and after the restart.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore, type SessionEventStore } from 'mcpwire/transport';
import { fullDiskFs } from './support/full-disk-fs.ts';
import { makeFixture, messagesOf, readEvents, type Fixture, type SseEventRead } from './http-fixture.ts';

const VERSION = '2025-11-25';
const headers = (sid: string) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': VERSION });
const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'charge', arguments: {} } };

/** One server process: `charge` counts its runs (its side effect) and answers 64 KiB, once released when `gated`. */
function serverProcess(store: SessionEventStore, runs: { count: number }, gated = true) {
  const errors: string[] = [];
  let release: (() => void) | undefined;
  const f = makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0, onError: (e) => errors.push(e.message) }, (server) => {
    server.tool({ name: 'charge', description: 'Charges a card once.', inputSchema: { type: 'object' } }, async () => {
      runs.count++;
      if (gated) await new Promise<void>((resolve) => { release = resolve; });
      return 'x'.repeat(64 * 1024);
    });
  });
  const started = async () => {
    while (!release) await new Promise((r) => setImmediate(r));
    return release;
  };
  return { f, errors, started };
}

/** `p`, or a rejection naming `what` after 10 s. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer!: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within 10 s`)), 10_000); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(timer); }
}

/**
 * Restart on `dir` and resume the stream from `primingId`: the runs after the restart, and
 * the messages the resume got (none for a 204).
 */
async function restartAndResume(dir: string, sid: string, primingId: string, runs: { count: number }) {
  const store = await createFileEventStore({ dir, fsync: 'always', onError: () => { /* damage is asserted elsewhere */ } });
  const after = serverProcess(store, runs, false);
  try {
    assert.is(await after.f.handler.restore(), 1);
    const resumed = await after.f.get({ ...headers(sid), 'last-event-id': primingId });
    const messages = resumed.status === 204 || resumed.status === 410 ? [] : messagesOf(await within(readEvents(resumed), 'the resumed stream'));
    return { status: resumed.status, messages };
  } finally {
    await after.f.close();
    await store.close();
  }
}

/** The first process: starts the call, reads its priming event, lets `fill` run, releases it; the call's messages after the priming. */
async function callThroughFullDisk(before: ReturnType<typeof serverProcess>, fill: () => Promise<void>): Promise<{ sid: string; priming: SseEventRead; events: SseEventRead[]; live: Array<Record<string, any>> }> {
  const sid = await before.f.initialize(VERSION);
  const res = await before.f.post(call, headers(sid));
  assert.is(res.status, 200);
  const reading = readEvents(res);
  const release = await before.started();
  await fill();
  release();
  const events = await within(reading, 'the live stream');
  return { sid, priming: events[0]!, events, live: messagesOf(events) };
}

const real = suite('restart after a response the full disk could not keep (a real tmpfs)');
let mountPoint: string | undefined;
let skipReason: string | undefined;
const dirs: string[] = [];

real.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-full-restart-'));
  dirs.push(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'pipe' });
    mountPoint = dir;
  } catch (error) {
    skipReason = `mount -t tmpfs failed (${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n')[0]})`;
  }
});

real('the call is not run again; the resumed stream gives the -32603 and ends', async () => {
  if (!mountPoint) {
    console.log(`  skipped: ${skipReason}`);
    return;
  }
  const dir = join(mountPoint, 'events');
  const runs = { count: 0 };
  const store = await createFileEventStore({ dir, fsync: 'always', onError: () => { /* reported to the handler too */ } });
  const before = serverProcess(store, runs);
  const fillers: string[] = [];
  let first: Awaited<ReturnType<typeof callThroughFullDisk>>;
  try {
    first = await callThroughFullDisk(before, async () => {
      // Fill the device page by page, then give one page back: a short record fits, 64 KiB does not.
      for (let i = 0; ; i++) {
        const path = join(mountPoint!, `filler-${i}`);
        try {
          await writeFile(path, Buffer.alloc(4096, 120));
          fillers.push(path);
        } catch {
          await unlink(path).catch(() => { /* never made */ });
          break;
        }
      }
      await unlink(fillers.pop()!);
    });
  } finally {
    await before.f.close(); // the process ends, the disk still full
    await store.close().catch(() => { /* a close on a full disk may fail; the restart reads what is there */ });
    await Promise.all(fillers.map((p) => unlink(p))); // the operator frees space, then restarts
  }
  const last = first.live.at(-1)!;
  assert.is(last.id, 1);
  // Before: -32603 "The response could not be stored" live: the charge ran, its result was lost.
  assert.is(last.result?.content?.[0]?.text?.length, 64 * 1024, 'the result reaches the live stream');
  const liveId = first.events.at(-1)!.id;
  assert.ok(liveId, 'under the id of the error record kept in its place');
  assert.ok(before.errors.some((m) => /the response to request 1 could not be stored \(.*no space left.*\): it was sent on the live connection only; a client resuming from before it gets an error in its place/.test(m)), before.errors.join(' | '));
  assert.is(runs.count, 1);

  const { messages } = await restartAndResume(dir, first.sid, first.priming.id!, runs);
  assert.is(runs.count, 1, 'the call ran once: the restart did not take it for interrupted');
  assert.equal(messages.map((m) => m.error?.code), [-32603], 'a client that lost the live result resumes to the error in its place, then the end');
  assert.match(String(messages[0]?.error?.message), /could not be stored \(MCP_ERR_STORE\).*sent only on the connection open when it was made/);
  const past = await restartAndResume(dir, first.sid, liveId!, runs);
  assert.equal(past.messages, [], 'a client that read the live result resumes past it: one response, not two');
  assert.is(runs.count, 1);
});

real.after(async () => {
  if (mountPoint) execFileSync('umount', ['-l', mountPoint]);
});

const seam = suite('restart after a response the store could not keep (every write failing)');

seam('a graceful restart once space is back does not run the call again; the resume ends the stream', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-full-restart-'));
  dirs.push(dir);
  const state = { full: false };
  let metaRefused!: () => void;
  const sessionSaveRefused = new Promise<void>((r) => { metaRefused = r; });
  // The session's record is the last write of the call's end.
  const fullDisk = fullDiskFs(state, (b) => { if (Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes('"t":"m"')) metaRefused(); });
  const runs = { count: 0 };
  const store = await createFileEventStore({ dir, fs: fullDisk, fsync: 'always', onError: () => { /* reported to the handler too */ } });
  const before = serverProcess(store, runs);
  let first: Awaited<ReturnType<typeof callThroughFullDisk>>;
  try {
    first = await callThroughFullDisk(before, async () => { state.full = true; });
    // Nothing of the call's end could be written: not the response, not its error, not the session's record.
    await within(sessionSaveRefused, 'a save of the session after the call');
    state.full = false; // space is back before the process is stopped
  } finally {
    await before.f.close();
    await store.close();
  }
  // Before: -32603 live. Now the result, with no event id (nothing could be stored in its place).
  assert.is(first.live.at(-1)?.result?.content?.[0]?.text?.length, 64 * 1024);
  assert.is(first.events.at(-1)?.id, undefined);
  assert.is(runs.count, 1);

  const { status, messages } = await restartAndResume(dir, first.sid, first.priming.id!, runs);
  assert.is(runs.count, 1, 'the call ran once');
  assert.is(status, 410, 'nothing of the stream\'s end stored after the priming event: a gap, not "nothing more"');
  assert.equal(messages, []);
});

seam.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

real.run();
seam.run();
