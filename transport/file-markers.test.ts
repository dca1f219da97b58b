// The single-use markers file behind `serve --state` (the used nonces of 2026-07-28
// requestState): a claim holds across a reopen (a restart), a torn last line is cut, a
// damaged line is said and skipped, expired markers are dropped, the file is compacted, and
// a write the disk refuses still holds in this process and is said.
import { mkdtemp, readFile, rm, writeFile, appendFile, stat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileMarkers } from './file-markers.ts';
import { fullDiskFs } from '../test/support/full-disk-fs.ts';

const dirs: string[] = [];

/** The message `p` rejects with (fails when it resolves). */
async function rejection(p: Promise<unknown>): Promise<string> {
  return p.then(() => { throw new Error('resolved, should have been refused'); }, (e: Error) => e.message);
}
async function fileIn(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-markers-'));
  dirs.push(dir);
  return join(dir, 'state', 'request-state.used');
}

const test = suite('file markers: single use that outlives the process');

/** A markers file holding claims of `ids` (scope mrtr, expiring at 100), closed. */
async function claimedFile(...ids: string[]): Promise<string> {
  const file = await fileIn();
  const markers = await createFileMarkers({ file, now: () => 0 });
  for (const id of ids) await markers.claim('mrtr', id, 100);
  await markers.close();
  return file;
}

test('a claim is granted once, and still refused after the file is opened again', async () => {
  const file = await fileIn();
  let clock = 1_000;
  const markers = await createFileMarkers({ file, now: () => clock });
  assert.is(await markers.claim('mrtr', 'n1', 5_000), true);
  assert.is(await markers.claim('mrtr', 'n1', 5_000), false);
  assert.is(await markers.claim('dpop', 'n1', 5_000), true, 'scopes are apart');
  assert.is(await markers.claim('mrtr', 'n0', 1_000), false, 'an expiry already past claims nothing');
  await markers.close();
  assert.is((await stat(file)).mode & 0o777, 0o600);
  const again = await createFileMarkers({ file, now: () => clock });
  assert.is(await again.claim('mrtr', 'n1', 5_000), false, 'refused after a restart');
  clock = 6_000;
  assert.is(await again.claim('mrtr', 'n1', 9_000), true, 'expired: it may be claimed again');
  await again.close();
});

test('claims at once of one id: one wins', async () => {
  const markers = await createFileMarkers({ file: await fileIn(), now: () => 0 });
  const won = await Promise.all([1, 2, 3].map(() => markers.claim('mrtr', 'same', 100)));
  assert.equal(won.filter(Boolean).length, 1);
  await markers.close();
});

test('a torn last line is cut without a word; a damaged line is said and skipped; later appends read back', async () => {
  const file = await claimedFile('kept', 'altered');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(' altered ', ' alterex '));
  await appendFile(file, '100 mrtr torn'); // a crash mid-write: never granted
  const errors: string[] = [];
  const second = await createFileMarkers({ file, now: () => 0, onError: (e) => errors.push(e.message) });
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /request-state\.used: 1 damaged line skipped/);
  assert.is(await second.claim('mrtr', 'kept', 100), false);
  assert.is(await second.claim('mrtr', 'torn', 100), true, 'the torn claim was never granted');
  await second.close();
  const third = await createFileMarkers({ file, now: () => 0, onError: (e) => errors.push(e.message) });
  assert.is(await third.claim('mrtr', 'torn', 100), false, 'appended after the cut, read back whole');
  assert.is(errors.length, 2, 'the damaged line is said again, nothing more');
  await third.close();
});

test('CRLF line ends (the file edited on another system) are read as the lines they end, not as damage', async () => {
  const file = await claimedFile('one', 'two');
  await writeFile(file, (await readFile(file, 'utf8')).replaceAll('\n', '\r\n'));
  const errors: string[] = [];
  const second = await createFileMarkers({ file, now: () => 0, onError: (e) => errors.push(e.message) });
  assert.equal(errors, []);
  assert.is(await second.claim('mrtr', 'one', 100), false, 'a used state stays used');
  assert.is(await second.claim('mrtr', 'two', 100), false);
  assert.is(await second.claim('mrtr', 'three', 100), true);
  await second.close();
  const third = await createFileMarkers({ file, now: () => 0, onError: (e) => errors.push(e.message) });
  assert.is(await third.claim('mrtr', 'three', 100), false, 'appended after CRLF lines, read back');
  assert.is(await third.claim('mrtr', 'one', 100), false);
  assert.equal(errors, []);
  await third.close();
});

test('the file is rewritten when most of its lines are dead; live markers survive it', async () => {
  const file = await fileIn();
  let clock = 0;
  const markers = await createFileMarkers({ file, now: () => clock });
  for (let i = 0; i < 1100; i++) await markers.claim('mrtr', `old${i}`, 10);
  clock = 20;
  await markers.claim('mrtr', 'live', 1_000);
  for (let i = 0; i < 300; i++) await markers.claim('mrtr', `new${i}`, 1_000);
  await markers.close();
  const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean).length;
  assert.ok(lines <= 301, `compacted: ${lines} lines`);
  const again = await createFileMarkers({ file, now: () => clock });
  assert.is(await again.claim('mrtr', 'live', 1_000), false);
  assert.is(await again.claim('mrtr', 'new299', 1_000), false);
  assert.is(await again.claim('mrtr', 'old5', 1_000), true, 'expired before the rewrite: gone');
  await again.close();
});

test('maxMarkers bounds the markers kept: expired go first, then the oldest', async () => {
  let clock = 0;
  const markers = await createFileMarkers({ file: await fileIn(), maxMarkers: 2, now: () => clock });
  await markers.claim('mrtr', 'a', 10);
  await markers.claim('mrtr', 'b', 100);
  clock = 20;
  await markers.claim('mrtr', 'c', 100); // a expired: it goes
  assert.is(await markers.claim('mrtr', 'b', 100), false, 'b kept');
  await markers.claim('mrtr', 'd', 100); // full of live ones: the oldest (b) goes
  assert.is(await markers.claim('mrtr', 'c', 100), false, 'c kept');
  await markers.close();
  assert.match(await rejection(createFileMarkers({ file: await fileIn(), maxMarkers: 0 })), /maxMarkers must be a whole number/);
});

test('a full disk: the claim still holds in this process, said once; later claims land and read back', async () => {
  const file = await fileIn();
  const disk = { full: false };
  const errors: string[] = [];
  const markers = await createFileMarkers({ file, now: () => 0, fs: fullDiskFs(disk), onError: (e) => errors.push(e.message) });
  await markers.claim('mrtr', 'before', 100);
  disk.full = true;
  assert.is(await markers.claim('mrtr', 'refused', 100), true, 'an input round is not stopped by a full disk');
  assert.is(await markers.claim('mrtr', 'refused', 100), false, 'this process still refuses it');
  assert.is(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /could not be written to .*request-state\.used \(ENOSPC.*this process still refuses its state again, a restart would not/);
  disk.full = false;
  await markers.claim('mrtr', 'after', 100);
  await markers.close();
  const again = await createFileMarkers({ file, now: () => 0, onError: (e) => errors.push(e.message) });
  assert.is(await again.claim('mrtr', 'before', 100), false);
  assert.is(await again.claim('mrtr', 'after', 100), false);
  assert.is(await again.claim('mrtr', 'refused', 100), true, 'not on disk: a restart forgets it, as said');
  assert.is(errors.length, 1, 'no damaged line');
  await again.close();
});

test('a place that cannot hold the file is refused naming it; a bad scope or id is refused', async () => {
  const file = await fileIn();
  await mkdir(file, { recursive: true });
  const refused = await rejection(createFileMarkers({ file }));
  assert.ok(refused.includes(file) && /single-use markers/.test(refused), refused);
  const markers = await createFileMarkers({ file: await fileIn() });
  assert.match(await rejection(markers.claim('bad scope', 'x', Date.now() + 1000)), /marker scope/);
  assert.match(await rejection(markers.claim('mrtr', 'x y', Date.now() + 1000)), /marker id/);
  await markers.close();
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
