// The record store: atomic JSON files per record, ordered writes, ids that cannot escape.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecordStore } from './store.ts';

const store = suite('record store');

const ID = 'bk-0123456789abcdef0123';

store('writes land as whole JSON files, read back, and leave no temp files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-store-'));
  try {
    const s = await createRecordStore(dir);
    assert.is(await s.read('bookings', ID), undefined);
    await s.write('bookings', ID, { id: ID, n: 1 });
    assert.equal(await s.read('bookings', ID), { id: ID, n: 1 });
    assert.equal(JSON.parse(await readFile(join(dir, 'bookings', `${ID}.json`), 'utf8')), { id: ID, n: 1 });
    assert.equal(await readdir(join(dir, 'bookings')), [`${ID}.json`]);
    assert.equal(await s.list('bookings'), [ID]);
    assert.equal(await s.list('reports'), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

store('concurrent writes to one record apply in call order; a read sees the last', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-store-'));
  try {
    const s = await createRecordStore(dir);
    const writes = Array.from({ length: 20 }, (_, n) => s.write('reports', ID.replace('bk', 'rp'), { n }));
    const read = s.read<{ n: number }>('reports', ID.replace('bk', 'rp'));
    await Promise.all(writes);
    assert.is((await read)!.n, 19);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

store('ids that are not record ids are never read or written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-store-'));
  try {
    const s = await createRecordStore(dir);
    assert.is(await s.read('bookings', '../../etc/passwd'), undefined);
    assert.is(await s.read('bookings', 'bk-XYZ'), undefined);
    assert.throws(() => s.write('bookings', '../x', {}), /not a record id/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

store.run();
