import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { createFileResumeStore, createMemoryResumeStore, resumeFileName, type ResumeRecord } from './resume-store.ts';
import { resumeStoreContract } from './resume-store.contract.ts';
import { McpError } from '../protocol/errors.ts';

const root = await mkdtemp(join(tmpdir(), 'mcpwire-resume-store-'));
let counter = 0;
const freshDir = () => join(root, `store-${++counter}`);

const memory = suite('memory ResumeStore meets the contract');
for (const c of resumeStoreContract(() => createMemoryResumeStore())) memory(c.name, c.run);
memory.run();

const file = suite('file ResumeStore meets the contract');
for (const c of resumeStoreContract(() => createFileResumeStore({ dir: freshDir(), onError: (e) => { throw e; } }))) file(c.name, c.run);
file.run();

const KEY = 'https://mcp.example.com/mcp';
const RECORD: ResumeRecord = {
  sessionId: 'sess-secret',
  protocolVersion: '2025-11-25',
  lastEventId: 'e:9',
  inflight: [{ requestId: 3, method: 'tools/call', params: { name: 't' }, startedAt: 1 }],
};

const durable = suite('file ResumeStore survives restarts and crashes');

durable('a new store instance on the same dir reads what the first wrote', async () => {
  const dir = freshDir();
  await createFileResumeStore({ dir }).set(KEY, RECORD);
  const again = createFileResumeStore({ dir });
  assert.equal(await again.get(KEY), RECORD);
  assert.equal(await again.list(), [KEY]);
});

durable('the file is named by a sha256 prefix and holds the key with the record', async () => {
  const dir = freshDir();
  await createFileResumeStore({ dir }).set(KEY, RECORD);
  const name = `${createHash('sha256').update(KEY).digest('hex').slice(0, 32)}.json`;
  assert.is(resumeFileName(KEY), name);
  assert.equal(await readdir(dir), [name]);
  const body = JSON.parse(await readFile(join(dir, name), 'utf8'));
  assert.is(body.serverKey, KEY);
  assert.equal(body.record, RECORD);
});

durable('a partially written temp file left behind does not corrupt the record', async () => {
  const dir = freshDir();
  const errors: McpError[] = [];
  const store = createFileResumeStore({ dir, onError: (e) => errors.push(e) });
  await store.set(KEY, RECORD);
  // What a writer killed before its rename leaves: a truncated temp file beside the record.
  const leftover = join(dir, `${resumeFileName(KEY)}.4242.abcdef012345.tmp`);
  await writeFile(leftover, '{"version":1,"serverKey":"https://mcp.exa', { mode: 0o600 });
  const restarted = createFileResumeStore({ dir, onError: (e) => errors.push(e) });
  assert.equal(await restarted.get(KEY), RECORD);
  assert.equal(await restarted.list(), [KEY]);
  await restarted.update(KEY, (c) => ({ ...c, lastEventId: 'e:10' }));
  assert.is((await restarted.get(KEY))?.lastEventId, 'e:10');
  assert.equal(errors, []);
});

durable('temp files of writers that died (kill -9 before the rename) are removed when the store opens; a live writer\'s stay', async () => {
  // Each cut write left one, holding a session id, for good (faults8).
  const dir = freshDir();
  await createFileResumeStore({ dir }).set(KEY, RECORD);
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const deadTemp = join(dir, `${resumeFileName(KEY)}.${dead}.abcdef012345.tmp`);
  const liveTemp = join(dir, `${resumeFileName(KEY)}.${process.pid}.0123456789ab.tmp`);
  await writeFile(deadTemp, '{"version":1,"serverKey":"https://mcp.exa', { mode: 0o600 });
  await writeFile(liveTemp, '{"version":1', { mode: 0o600 });
  const errors: McpError[] = [];
  const restarted = createFileResumeStore({ dir, onError: (e) => errors.push(e) });
  assert.equal(await restarted.get(KEY), RECORD);
  assert.equal((await readdir(dir)).sort(), [resumeFileName(KEY), basename(liveTemp)].sort());
  assert.equal(errors, []);
});

durable('writes leave no temp files behind', async () => {
  const dir = freshDir();
  const store = createFileResumeStore({ dir });
  await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`k${i}`, { sessionId: String(i) })));
  const names = await readdir(dir);
  assert.is(names.length, 10);
  assert.ok(names.every((n) => n.endsWith('.json')));
});

durable('concurrent updates to one key from two instances in one process all apply', async () => {
  const dir = freshDir();
  const a = createFileResumeStore({ dir });
  const b = createFileResumeStore({ dir });
  const n = 30;
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      (i % 2 ? a : b).update(KEY, (current) => ({ inflight: [...(current?.inflight ?? []), { requestId: i, method: 'ping', startedAt: i }] })),
    ),
  );
  const ids = (await a.get(KEY))?.inflight?.map((r) => r.requestId);
  assert.equal(ids, Array.from({ length: n }, (_, i) => i));
});

durable.run();

const corrupt = suite('file ResumeStore tolerates corrupt files');

for (const [label, content] of [
  ['truncated JSON', '{"version":1,"serverKey":"x","rec'],
  ['not an object', '42'],
  ['a record of the wrong shape', JSON.stringify({ version: 1, serverKey: KEY, record: { inflight: 'x' } })],
  ['an unknown format version', JSON.stringify({ version: 'two', serverKey: KEY, record: {} })],
  ['a record for another key', JSON.stringify({ version: 1, serverKey: 'https://other.example', record: {} })],
] as const) {
  corrupt(`${label}: reported through onError and treated as absent`, async () => {
    const dir = freshDir();
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, resumeFileName(KEY)), content);
    const errors: McpError[] = [];
    const store = createFileResumeStore({ dir, onError: (e) => errors.push(e) });
    assert.is(await store.get(KEY), undefined);
    assert.ok(errors.length >= 1);
    assert.instance(errors[0], McpError);
    assert.is(errors[0]?.code, 'MCP_ERR_STORE');
    assert.equal(await store.list(), []);
    // A new write replaces the bad file.
    await store.set(KEY, RECORD);
    assert.equal(await store.get(KEY), RECORD);
  });
}

corrupt('a newer mcpwire\'s file is told once and left untouched: no write or delete replaces it', async () => {
  const dir = freshDir();
  await mkdir(dir, { mode: 0o700 });
  const file = join(dir, resumeFileName(KEY));
  const content = JSON.stringify({ version: 2, serverKey: KEY, record: { sessionId: 'newer', more: [1, 2] } });
  await writeFile(file, content);
  const errors: McpError[] = [];
  const store = createFileResumeStore({ dir, onError: (e) => errors.push(e) });
  // A write before any read still finds it.
  await store.set(KEY, RECORD);
  assert.is(await readFile(file, 'utf8'), content);
  assert.is(await store.get(KEY), undefined);
  await store.update(KEY, () => RECORD);
  assert.is(await store.delete(KEY), false);
  assert.is(await readFile(file, 'utf8'), content);
  assert.equal(await store.list(), []);
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /newer mcpwire \(format 2/);
  // Another key in the same folder is stored as usual.
  await store.set('https://other.example/mcp', RECORD);
  assert.equal(await store.get('https://other.example/mcp'), RECORD);
});

corrupt('unrelated files in the dir are ignored by list', async () => {
  const dir = freshDir();
  const store = createFileResumeStore({ dir, onError: (e) => { throw e; } });
  await store.set(KEY, RECORD);
  await writeFile(join(dir, 'README.txt'), 'hello');
  assert.equal(await store.list(), [KEY]);
});

corrupt.run();

const limits = suite('file ResumeStore permissions and limits');

limits('the dir is created 0o700 and files are 0o600', async () => {
  if (process.platform === 'win32') return;
  const dir = join(freshDir(), 'nested');
  await createFileResumeStore({ dir }).set(KEY, RECORD);
  assert.is((await stat(dir)).mode & 0o777, 0o700);
  assert.is((await stat(join(dir, resumeFileName(KEY)))).mode & 0o777, 0o600);
});

limits('an existing dir and records readable by others are made private on first use', async () => {
  if (process.platform === 'win32') return;
  const dir = freshDir();
  await mkdir(dir, { mode: 0o755 });
  await chmod(dir, 0o755); // whatever the umask
  const file = join(dir, resumeFileName(KEY));
  await writeFile(file, JSON.stringify({ version: 1, serverKey: KEY, record: RECORD }), { mode: 0o644 });
  await chmod(file, 0o644);
  const store = createFileResumeStore({ dir, onError: (e) => { throw e; } });
  assert.equal(await store.get(KEY), RECORD);
  assert.is((await stat(dir)).mode & 0o777, 0o700);
  assert.is((await stat(file)).mode & 0o777, 0o600);
});

limits('a record over maxRecordBytes is refused and the old one kept', async () => {
  for (const store of [createFileResumeStore({ dir: freshDir(), maxRecordBytes: 200 }), createMemoryResumeStore({ maxRecordBytes: 200 })]) {
    await store.set(KEY, RECORD);
    try {
      await store.set(KEY, { ...RECORD, inflight: [{ requestId: 1, method: 'x', params: 'p'.repeat(300), startedAt: 1 }] });
      assert.unreachable('expected a rejection');
    } catch (error) {
      assert.instance(error, McpError);
      assert.ok(String((error as Error).message).includes('maxRecordBytes (200)'));
    }
    assert.equal(await store.get(KEY), RECORD);
  }
});

limits('a missing dir lists nothing and is created on first write only', async () => {
  const dir = freshDir();
  const store = createFileResumeStore({ dir });
  const exists = () => stat(dir).then(() => true, () => false);
  assert.equal(await store.list(), []);
  assert.is(await store.get(KEY), undefined);
  assert.is(await exists(), false);
  await store.set(KEY, RECORD);
  assert.is(await exists(), true);
});

limits.after(async () => {
  await rm(root, { recursive: true, force: true });
});

limits.run();
