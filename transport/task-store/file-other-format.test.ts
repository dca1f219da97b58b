// A tasks.log holding bytes of another format (a binary, a text file put there by mistake):
// with no newline, the store took the whole file for a torn last line, cut it to nothing and
// wrote its own header, silently; with newlines, it skipped every line as damaged, kept the
// file as its log, and its next compaction would drop those bytes. Every log this store
// writes starts with its header line, so a file that does not is set aside whole (as
// tasks.log.corrupt, with a message) and the store starts empty, as the event store does.
// A header torn by a kill during the first write is still cut: it held nothing.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';

const test = suite('file task store: a tasks.log of another format');
const roots: string[] = [];
test.after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function dirWith(bytes: Uint8Array | string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-format-'));
  roots.push(root);
  const dir = join(root, 'tasks');
  await (await createFileTaskStore({ dir, reserveBytes: 0 })).close();
  await writeFile(join(dir, 'tasks.log'), bytes);
  return dir;
}

async function opened(dir: string): Promise<{ told: string[]; names: string[] }> {
  const told: string[] = [];
  const store = await createFileTaskStore({ dir, reserveBytes: 0, onError: (e) => told.push(e.message) });
  await store.create(sampleTask('after', 'o', Date.now()));
  await store.close();
  return { told, names: (await readdir(dir)).sort() };
}

const binary = new Uint8Array(3000).map((_, i) => (i * 37 + 11) % 256 === 10 ? 0 : (i * 37 + 11) % 256);
for (const [label, bytes] of [['3 000 bytes of a binary, no newline', binary], ['a text file', 'hello\nworld\n{"json":true}\n']] as const) {
  test(`${label}: set aside whole and told; the store starts empty and works`, async () => {
    const dir = await dirWith(bytes);
    const { told, names } = await opened(dir);
    assert.equal(names, ['tasks.log', 'tasks.log.corrupt']);
    assert.equal(new Uint8Array(await readFile(join(dir, 'tasks.log.corrupt'))), typeof bytes === 'string' ? new Uint8Array(Buffer.from(bytes)) : bytes, 'kept byte for byte');
    assert.is(told.length, 1, told.join('\n'));
    assert.match(told[0]!, /^task log .*tasks\.log does not start with a task log header \(another file\?\); renamed to .*tasks\.log\.corrupt, starting with no tasks$/);
    const again = await createFileTaskStore({ dir, reserveBytes: 0 });
    assert.ok(await again.get('after'), 'the new log holds the task made after');
    await again.close();
  });
}

test('a header torn by a kill during the first write: cut, nothing set aside, nothing told', async () => {
  const dir = await dirWith('{"t":"h","v":1,"ki');
  const { told, names } = await opened(dir);
  assert.equal(names, ['tasks.log']);
  assert.equal(told, []);
});

test('a header whose checksum is damaged: still the store\'s log; the line is told, the records kept', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-format-'));
  roots.push(root);
  const dir = join(root, 'tasks');
  const store = await createFileTaskStore({ dir, reserveBytes: 0 });
  await store.create(sampleTask('kept', 'o', Date.now()));
  await store.close();
  const text = await readFile(join(dir, 'tasks.log'), 'utf8');
  await writeFile(join(dir, 'tasks.log'), text.replace('"kind":"mcpwire-tasks"', '"kind":"mcpwire-tasKs"'));
  const told: string[] = [];
  const reopened = await createFileTaskStore({ dir, reserveBytes: 0, onError: (e) => told.push(e.message) });
  assert.ok(await reopened.get('kept'));
  await reopened.close();
  assert.equal((await readdir(dir)).sort(), ['tasks.log']);
  assert.match(told.join('\n'), /damaged line at byte 0 skipped/);
});

test.run();
