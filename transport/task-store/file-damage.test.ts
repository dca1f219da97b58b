// The file task store against damaged state directories: a log it cannot use (a directory
// named like it, a file it cannot open or read, a log in a newer format) is renamed aside,
// untouched, with a message naming it, and the store starts without it, so `serve --state`
// still starts. Before, a directory named tasks.log stopped the store (EISDIR), and a newer
// format's log was read as this one's and written to. Damage within the log (a torn tail, a
// flipped byte, a zero-length file) keeps what is intact, as before.
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sealLine } from '../event-store/log-records.ts';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-damage-'));
  dirs.push(dir);
  return dir;
}
const now = () => 2_000;

/** A directory whose log holds tasks a (working) and b. */
async function withTasks(): Promise<{ dir: string; log: string }> {
  const dir = await freshDir();
  const store = await createFileTaskStore({ dir, now });
  await store.create(sampleTask('a'));
  await store.create(sampleTask('b'));
  await store.close();
  return { dir, log: join(dir, 'tasks.log') };
}

async function open(dir: string) {
  const errors: Error[] = [];
  const store = await createFileTaskStore({ dir, now, onError: (e) => errors.push(e) });
  const ids = (await store.list()).tasks.map((t) => t.taskId);
  return { store, errors, ids };
}

const damage = suite('file task store: damaged state');
damage.after(async () => { for (const dir of dirs) await rm(dir, { recursive: true, force: true }); });

damage('a directory named tasks.log is renamed aside with a message; the store starts and works', async () => {
  const dir = await freshDir();
  await mkdir(join(dir, 'tasks.log'));
  await writeFile(join(dir, 'tasks.log', 'keep'), 'x');
  const { store, errors, ids } = await open(dir);
  assert.equal(ids, []);
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /task log .*tasks\.log cannot be opened \(EISDIR\); renamed to .*tasks\.log\.corrupt, starting with no tasks/);
  assert.ok((await stat(join(dir, 'tasks.log.corrupt'))).isDirectory(), 'moved, not deleted');
  await store.create(sampleTask('c'));
  await store.close();
  assert.equal((await open(dir)).ids, ['c']);
});

damage('a log in a newer format is set aside untouched, never read as this format nor written to', async () => {
  const { dir, log } = await withTasks();
  const lines = (await readFile(log, 'utf8')).split('\n');
  const body = lines[0]!.slice(0, lines[0]!.lastIndexOf(',"c":"')).replace('"v":1', '"v":2');
  const newer = Buffer.concat([sealLine(body), Buffer.from(lines.slice(1).join('\n'))]);
  await writeFile(log, newer);
  const { store, errors, ids } = await open(dir);
  assert.equal(ids, [], 'nothing read from a format this version does not know');
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /is in task log format 2, newer than this version of mcpwire reads \(1\).*renamed to .*tasks\.log\.corrupt/);
  assert.ok(newer.equals(await readFile(join(dir, 'tasks.log.corrupt'))), 'kept byte for byte');
  await store.close();
});

damage('a second unusable log does not overwrite the first one set aside', async () => {
  const dir = await freshDir();
  await mkdir(join(dir, 'tasks.log'));
  (await open(dir)).store.close();
  await rm(join(dir, 'tasks.log'));
  await mkdir(join(dir, 'tasks.log'));
  const { errors, store } = await open(dir);
  assert.match(errors[0]!.message, /renamed to .*tasks\.log\.corrupt\.1/);
  assert.equal((await readdir(dir)).sort(), ['tasks.log', 'tasks.log.corrupt', 'tasks.log.corrupt.1', 'tasks.reserve']);
  await store.close();
});

damage('a zero-length log, a torn tail and a flipped byte keep what is intact; the damage is reported with its offset', async () => {
  const empty = await freshDir();
  await writeFile(join(empty, 'tasks.log'), '');
  const zero = await open(empty);
  assert.equal([zero.ids, zero.errors], [[], []]);
  await zero.store.close();

  const torn = await withTasks();
  const text = await readFile(torn.log);
  await writeFile(torn.log, text.subarray(0, text.length - 15));
  const cut = await open(torn.dir);
  assert.equal([cut.ids, cut.errors], [['a'], []]);
  await cut.store.close();

  const flipped = await withTasks();
  const lines = (await readFile(flipped.log, 'utf8')).split('\n');
  const offset = lines[0]!.length + 1 + lines[1]!.length + 1;
  lines[2] = lines[2]!.replace('"b"', '"B"');
  await writeFile(flipped.log, lines.join('\n'));
  const hurt = await open(flipped.dir);
  assert.equal(hurt.ids, ['a']);
  assert.match(hurt.errors[0]!.message, new RegExp(`task log .*tasks\\.log: damaged line at byte ${offset} skipped`));
  await hurt.store.close();
});

// Lines whose checksum is good but whose content this version cannot use (another version's
// record, a hand edit): a record without its request stopped `serve --state` at start ("Cannot
// destructure property 'sessionId' of 'record.request'"), and a line that was not JSON set the
// whole log aside, every good task with it.
damage('a sealed line that is not JSON or not a task record is skipped and said; the good tasks are kept', async () => {
  const { dir, log } = await withTasks();
  const good = await readFile(log);
  const notJson = sealLine('{"t":"p","r":{"taskId":"x"');
  const foreign = sealLine(`{"t":"p","r":${JSON.stringify({ taskId: 'c', owner: 'session-a', status: 'working', createdAt: 1_000, lastUpdatedAt: 1_000, ttl: null })}`);
  await writeFile(log, Buffer.concat([good, notJson, foreign]));
  const { store, errors, ids } = await open(dir);
  assert.equal(ids, ['a', 'b'], 'the good tasks, and no other');
  assert.is(errors.length, 2, errors.map((e) => e.message).join('\n'));
  assert.match(errors[0]!.message, new RegExp(`^task log .*tasks\\.log: line at byte ${good.length} is not JSON \\(.+\\); skipped$`));
  assert.match(errors[1]!.message, new RegExp(`^task log .*tasks\\.log: the task record at byte ${good.length + notJson.length} cannot be used \\(inputs is not an array\\); skipped$`));
  assert.equal(await readdir(dir).then((names) => names.filter((n) => n.includes('corrupt'))), [], 'nothing set aside');
  await store.close();
});

damage.run();
