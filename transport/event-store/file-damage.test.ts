// File store recovery from damage (issue #10 item 4): an event is complete or it does not
// exist. A damaged last event is a reported gap, never skipped silently; a duplicated line
// never breaks replays; altered records fail their checksum; unreadable, foreign and odd
// files named like logs are set aside or skipped, never deleted silently, never fatal.
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import { EPOCH_STRIDE } from './log-epochs.ts';
import { nodeLogFs, type LogFs } from './log-fs.ts';
import type { EventStore } from './types.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-damage-'));
  dirs.push(dir);
  return dir;
}

const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });
const response = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: `done ${i}` }] } });

async function outcome(store: EventStore, id: string, session?: string): Promise<string> {
  const seen: unknown[] = [];
  try {
    await store.replayAfter(id, (_id, m) => void seen.push(m), session);
    return `ok ${seen.length}`;
  } catch (error) {
    const e = error as { code?: string; reason?: string; message: string };
    return e.code === 'MCP_ERR_RESUME' ? `refused ${e.reason}` : `error ${e.code}: ${e.message}`;
  }
}

/** A session with one stream of 3 progress events and a response; the store is closed. */
async function writeStream(dir: string): Promise<{ start: string; ids: string[]; path: string }> {
  const store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await store.openStream(key);
  const ids = [await store.append(key, note(1)), await store.append(key, note(2)), await store.append(key, note(3)), await store.append(key, response(4))];
  await store.close();
  const [name] = await readdir(dir);
  return { start, ids, path: join(dir, name!) };
}

async function editLines(path: string, edit: (lines: string[]) => void): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  edit(lines);
  await writeFile(path, lines.join('\n'));
}

const lastEvent = suite('a damaged last event (the response) is a reported gap, never skipped silently');

for (const [label, damage] of [
  ['garbled bytes', (line: string) => line.slice(0, 60) + '\u0000\u0000garbage' + line.slice(70)],
  ['an altered value that is still JSON', (line: string) => line.replace('done 4', 'DONE 9')],
] as const) {
  lastEvent(`${label}: a resume from before it is refused (410), a resume from it is served`, async () => {
    const dir = await tempDir();
    const { start, ids, path } = await writeStream(dir);
    await editLines(path, (lines) => {
      const i = lines.findIndex((l) => l.includes('done 4'));
      lines[i] = damage(lines[i]!);
    });
    const errors: McpError[] = [];
    const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
    assert.is(errors.length, 1, 'the damage is reported');
    assert.match(errors[0]!.message, /event 4 of a stream .* is damaged/);
    assert.is(await outcome(store, start, 's'), 'refused evicted');
    assert.is(await outcome(store, ids[2]!, 's'), 'refused evicted', 'the client that missed the response hears of the gap');
    // A client that saw it is not told "not issued"; nothing carries the stream on and it has
    // no end record, so what followed may be lost: a gap (file-cut-tail.test.ts).
    assert.is(await outcome(store, ids[3]!, 's'), 'refused evicted');
    const next = await store.append({ sessionId: 's', streamId: 'p1' }, note(5));
    // Not 4 (the damaged event's), nor 5: read back from its log, the stream goes on under a
    // new epoch's seqs, past any its previous process may have sent (log-epochs.ts).
    assert.is(Number(next.split('.')[1]), 4 + EPOCH_STRIDE + 1, 'the damaged seq is not issued again');
    await store.close();
    assert.ok((await readFile(path, 'utf8')).includes(label.startsWith('garbled') ? 'garbage' : 'DONE 9'), 'the damaged line is kept');
  });
}

lastEvent('a last line damaged beyond recognition: an id just past the end is a gap, not "never issued"', async () => {
  const dir = await tempDir();
  const { ids, path } = await writeStream(dir);
  await editLines(path, (lines) => {
    const i = lines.findIndex((l) => l.includes('done 4'));
    lines[i] = 'x'.repeat(lines[i]!.length);
  });
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.is(errors.length, 1);
  assert.is(await outcome(store, ids[3]!, 's'), 'refused evicted');
  assert.is(await outcome(store, ids[1]!, 's'), 'ok 1');
  await store.close();
});

lastEvent('a record altered while the store runs is refused on replay (410), not replayed', async () => {
  const dir = await tempDir();
  const store = await createFileEventStore({ dir, fsync: 'never', onError: (e) => assert.unreachable(e.message) });
  const key = { sessionId: 's', streamId: 'p1' };
  const start = await store.openStream(key);
  const ids = [await store.append(key, note(1)), await store.append(key, response(2))];
  const [name] = await readdir(dir);
  await editLines(join(dir, name!), (lines) => {
    const i = lines.findIndex((l) => l.includes('done 2'));
    lines[i] = lines[i]!.replace('done 2', 'evil 2');
  });
  assert.is(await outcome(store, start, 's'), 'refused evicted');
  assert.is(await outcome(store, ids[0]!, 's'), 'refused evicted');
  assert.is(await outcome(store, ids[1]!, 's'), 'ok 0');
  await store.close();
});

lastEvent.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const duplicates = suite('a duplicated line never breaks replays');

duplicates('a repeated event line is reported once at start, and every replay still serves each event once', async () => {
  const dir = await tempDir();
  const { start, ids, path } = await writeStream(dir);
  await editLines(path, (lines) => {
    const i = lines.findIndex((l) => l.includes('"progress":2'));
    lines.splice(i + 1, 0, lines[i]!); // event 2 twice in a row
    const j = lines.findIndex((l) => l.includes('done 4'));
    lines.splice(j + 1, 0, lines[j]!); // and the response twice at the end
  });
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /repeated event 2/);
  for (let round = 0; round < 3; round++) {
    const seen: string[] = [];
    await store.replayAfter(start, (id) => void seen.push(id), 's');
    assert.equal(seen, ids);
    assert.is(await outcome(store, ids[1]!, 's'), 'ok 2');
  }
  await store.close();
});

duplicates.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const files = suite('odd files in the state directory never stop the store from starting');

files('a directory named like a log or a compaction file is reported and left alone', async () => {
  const dir = await tempDir();
  const { start, ids } = await writeStream(dir);
  await mkdir(join(dir, 'zz.log'));
  await mkdir(join(dir, 'zz.log.tmp'));
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  assert.is(errors.length, 2);
  assert.ok(errors.every((e) => /not a regular file/.test(e.message)));
  assert.is(await outcome(store, start, 's'), `ok ${ids.length}`);
  await store.close();
  assert.ok((await readdir(dir)).includes('zz.log'));
});

files('a log that cannot be opened is set aside as .corrupt with a message, never deleted', async () => {
  const dir = await tempDir();
  const { path } = await writeStream(dir);
  await writeFile(join(dir, 'other.log'), 'x');
  await writeFile(join(dir, 'other.log.corrupt'), 'set aside by an earlier start');
  const denied: LogFs = {
    ...nodeLogFs,
    async open(p, flags, mode) {
      if (p === path) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return nodeLogFs.open(p, flags, mode);
    },
  };
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, fs: denied, onError: (e) => errors.push(e) });
  await store.close();
  const names = (await readdir(dir)).sort();
  const base = path.slice(dir.length + 1);
  assert.equal(names, [`${base}.corrupt`, 'other.log.corrupt', 'other.log.corrupt.1'].sort());
  assert.equal(await readFile(join(dir, 'other.log.corrupt'), 'utf8'), 'set aside by an earlier start', 'an earlier file set aside is never overwritten');
  assert.is(errors.length, 2);
  assert.ok(errors.some((e) => /cannot be opened \(EACCES\); renamed to .*\.corrupt/.test(e.message)));
});

files('a log that fails to read midway is set aside with a message', async () => {
  const dir = await tempDir();
  const { path } = await writeStream(dir);
  const failing: LogFs = {
    ...nodeLogFs,
    async open(p, flags, mode) {
      const real = await nodeLogFs.open(p, flags, mode);
      if (p !== path) return real;
      return { ...real, read: () => Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })), stat: () => real.stat(), chmod: (m: number) => real.chmod(m), close: () => real.close(), truncate: (n: number) => real.truncate(n), datasync: () => real.datasync() } as never;
    },
  };
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, fs: failing, onError: (e) => errors.push(e) });
  assert.equal(await store.loadSessions(), []);
  await store.close();
  assert.equal(await readdir(dir), [`${path.slice(dir.length + 1)}.corrupt`]);
  assert.match(errors[0]!.message, /cannot be read \(EIO\)/);
});

files('a log unreadable by permissions is set aside (skipped when running as root)', async () => {
  if (process.getuid?.() === 0) {
    console.log('  skipped: running as root, file permissions do not stop reads (the EACCES case above uses the fake file system)');
    return;
  }
  const dir = await tempDir();
  const { path } = await writeStream(dir);
  await chmod(path, 0);
  const errors: McpError[] = [];
  const store = await createFileEventStore({ dir, onError: (e) => errors.push(e) });
  await store.close();
  assert.equal(await readdir(dir), [`${path.slice(dir.length + 1)}.corrupt`]);
  assert.is(errors.length, 1);
});

files.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const legacy = suite('logs written before checksums still load');

legacy('a version 1 log without checksums replays, accepts appends, and compacts into checksummed lines', async () => {
  const dir = await tempDir();
  const token = 'AAAAAAAAAAAAAAAAAAAAAA';
  const lines = [
    '{"t":"h","v":1,"session":"old"}',
    '{"t":"m","v":{"protocolVersion":"2025-06-18"}}',
    `{"t":"s","k":"${token}","s":"p1","base":0}`,
    ...[1, 2, 3].map((n) => `{"k":"${token}","n":${n},"m":${JSON.stringify(note(n))}}`),
  ];
  const path = join(dir, 'legacy.log');
  await writeFile(path, lines.join('\n') + '\n');
  const opts = { dir, compactAfterBytes: 1, onError: (e: McpError) => assert.unreachable(e.message) };
  let store = await createFileEventStore(opts);
  assert.equal(await store.loadSessions(), [{ sessionId: 'old', meta: { protocolVersion: '2025-06-18' } }]);
  assert.is(await outcome(store, `${token}.0`, 'old'), 'ok 3');
  await store.append({ sessionId: 'old', streamId: 'p1' }, note(4)); // past compactAfterBytes: compacts
  assert.is(await outcome(store, `${token}.1`, 'old'), 'ok 3');
  await store.close();
  const text = await readFile(path, 'utf8');
  assert.ok(text.split('\n').filter(Boolean).every((l) => /,"c":"[0-9a-f]{8}"\}$/.test(l)), text);
  store = await createFileEventStore(opts);
  assert.is(await outcome(store, `${token}.0`, 'old'), 'ok 4');
  await store.close();
});

legacy.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

lastEvent.run();
duplicates.run();
files.run();
legacy.run();
