// A resume file the store could not read (cut short, empty, another shape, another key) was
// "treated as absent and replaced by the next write": the bytes it could not read were
// overwritten, with nothing kept to look at. Now such a file is renamed aside first
// (`<name>.corrupt`, or `.corrupt.N`, never over an earlier one), and the message says where.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileResumeStore, resumeFileName, type ResumeRecord } from './resume-store.ts';

const test = suite('file ResumeStore: a damaged file is set aside before it is replaced');
const KEY = 'https://mcp.example.com/mcp';
const RECORD: ResumeRecord = { sessionId: 'sess-1', protocolVersion: '2025-11-25', lastEventId: 'e:1', inflight: [] };
const roots: string[] = [];
test.after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

for (const [label, content] of [
  ['cut short', '{"version":1,"serverKey":"x","rec'],
  ['empty', ''],
  ['a record of the wrong shape', JSON.stringify({ version: 1, serverKey: KEY, record: { inflight: 'x' } })],
  ['a record for another key', JSON.stringify({ version: 1, serverKey: 'https://other.example', record: {} })],
] as const) {
  test(`${label}: renamed aside, kept byte for byte, told; the next write makes a new file`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcpwire-resume-damaged-'));
    roots.push(root);
    const dir = join(root, 'resume');
    await mkdir(dir, { mode: 0o700 });
    const name = resumeFileName(KEY);
    await writeFile(join(dir, name), content);
    await writeFile(join(dir, `${name}.corrupt`), 'an earlier one');
    const told: string[] = [];
    const store = createFileResumeStore({ dir, onError: (e) => told.push(e.message) });
    assert.is(await store.get(KEY), undefined);
    await store.set(KEY, RECORD);
    assert.ok(await store.get(KEY), 'the new record is stored');
    assert.equal((await readdir(dir)).sort(), [name, `${name}.corrupt`, `${name}.corrupt.1`]);
    assert.is(await readFile(join(dir, `${name}.corrupt.1`), 'utf8'), content, 'the damaged bytes are kept');
    assert.is(await readFile(join(dir, `${name}.corrupt`), 'utf8'), 'an earlier one', 'an earlier file set aside is not overwritten');
    assert.is(told.length, 1, told.join('\n'));
    assert.match(told[0]!, new RegExp(`^corrupt resume file .*${name}; renamed to .*${name}\\.corrupt\\.1 and treated as absent$`));
  });
}

test.run();
