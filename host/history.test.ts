import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCallHistory } from './history.ts';

const history = suite('history: the durable record of calls');

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-history-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fail = (error: Error) => { throw error; };

history('numbers go on where the last run stopped, and records survive a reload', () => withDir(async (dir) => {
  const file = join(dir, 'history.json');
  const a = createCallHistory({ file, onError: fail });
  await a.load();
  const one = a.begin({ server: 's', serverName: 'S', tool: 't', args: { x: 1 }, requestId: 7 });
  a.update(one, { status: 'failed', result: { content: [{ type: 'text', text: 'no' }], isError: true }, endedAt: 5 });
  a.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
  await a.flush();
  const b = createCallHistory({ file, onError: fail });
  await b.load();
  assert.is(b.find('s', 7)?.n, 1);
  assert.is(b.byNumber(1)?.status, 'failed');
  assert.is(b.begin({ server: 's', serverName: 'S', tool: 't', args: {} }).n, 3);
  await b.flush();
}));

history('an answer is given again only in another connection epoch, once per epoch', () => withDir(async (dir) => {
  const h = createCallHistory({ file: join(dir, 'h.json'), onError: fail });
  const call = h.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
  h.remember(call, 'q', { action: 'accept' }, 'e1');
  assert.is(h.answerFor(call, 'q', 'e1'), undefined, 'the same epoch: a new question, for the person');
  assert.equal(h.answerFor(call, 'q', 'e2'), { action: 'accept' }, 'asked again after a restart');
  assert.is(h.answerFor(call, 'q', 'e2'), undefined, 'used in e2 already');
  assert.is(h.answerFor(call, 'other', 'e3'), undefined);
  await h.flush();
}));

history('the oldest finished calls are dropped past the limit; big results keep their text, cut', () => withDir(async (dir) => {
  const h = createCallHistory({ file: join(dir, 'h.json'), maxCalls: 2, maxResultBytes: 100, onError: fail });
  const first = h.begin({ server: 's', serverName: 'S', tool: 'a', args: {} });
  h.update(first, { status: 'done' });
  const running = h.begin({ server: 's', serverName: 'S', tool: 'b', args: {} });
  h.begin({ server: 's', serverName: 'S', tool: 'c', args: {} });
  assert.equal(h.list().map((c) => c.tool), ['b', 'c']);
  h.update(running, { result: { content: [{ type: 'text', text: 'x'.repeat(500) }] } });
  assert.ok(running.truncated);
  assert.is((running.result!.content[0] as { text: string }).text.length, 100);
  await h.flush();
}));

history('an unreadable file is reported and a new record starts', () => withDir(async (dir) => {
  const file = join(dir, 'h.json');
  await writeFile(file, '{oops');
  const errors: Error[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e) });
  await h.load();
  assert.match(errors[0]!.message, /is not valid JSON .*; starting a new one/);
  assert.is(h.begin({ server: 's', serverName: 'S', tool: 't', args: {} }).n, 1);
  await h.flush();
  assert.match(await readFile(file, 'utf8'), /"calls":\[\{"n":1/);
}));

history('a damaged file is set aside as .corrupt and reported, and a new history starts', () => withDir(async (dir) => {
  const file = join(dir, 'history.json');
  for (const damaged of ['{"version":1,"next":4,"ca', '[]', '{"version":1,"next":"x","calls":{}}', 'null']) {
    await writeFile(file, damaged);
    const errors: string[] = [];
    const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
    await h.load();
    assert.is(errors.length, 1, `reported: ${damaged}`);
    assert.match(errors[0]!, /kept as .*history\.json\.corrupt(\.\d)?; starting a new one/);
    const aside = /kept as (\S+);/.exec(errors[0]!)![1]!;
    assert.is(await readFile(aside, 'utf8'), damaged, 'the damaged text is kept, never over one kept before');
    assert.is(h.begin({ server: 's', serverName: 'S', tool: 't', args: {} }).n, 1);
    await h.flush();
    assert.ok(JSON.parse(await readFile(file, 'utf8')).calls.length === 1);
  }
}));

history('unreadable records are dropped and counted; the readable ones are kept', () => withDir(async (dir) => {
  const file = join(dir, 'history.json');
  const good = { n: 2, server: 's', serverName: 'S', tool: 't', args: {}, status: 'done', startedAt: 1, answers: [] };
  await writeFile(file, JSON.stringify({ version: 1, next: 3, calls: [null, 5, { n: 'x' }, good] }));
  const errors: string[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  await h.load();
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /dropped 3 unreadable record\(s\) of 4/);
  assert.is(h.byNumber(2)?.tool, 't');
  // The load saves the file again without what it dropped: wait for it before the folder
  // goes (a save still writing its temporary file made the removal fail, ENOTEMPTY).
  await h.flush();
}));

history('a damaged file with call numbers at 2^53 cannot make new calls share a number; answers that are not answers are dropped', () => withDir(async (dir) => {
  // A number past 2^53 - 1 has no successor in a double: every new call was numbered 2^53,
  // so `resume N` and `history N` named the first of them only. An answer that is null made
  // the next question of its call throw (TypeError) instead of reaching the person.
  const file = join(dir, 'history.json');
  const huge = { n: Number.MAX_SAFE_INTEGER, server: 's', serverName: 'S', tool: 't', args: {}, status: 'done', startedAt: 1, answers: [] };
  const odd = { n: 2, server: 's', serverName: 'S', tool: 't', args: {}, status: 'done', startedAt: 1, answers: [null, 5, { key: 'k', answer: 'yes', epoch: 'e0', at: 1 }] };
  await writeFile(file, JSON.stringify({ version: 1, next: Number.MAX_SAFE_INTEGER, calls: [huge, odd] }));
  const errors: string[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  await h.load();
  assert.match(errors.join(' | '), /dropped 1 unreadable record\(s\) of 2/);
  const a = h.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
  const b = h.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
  assert.is.not(a.n, b.n, 'two calls, two numbers');
  assert.ok(Number.isSafeInteger(b.n));
  const kept = h.byNumber(2)!;
  assert.is(h.answerFor(kept, 'other', 'e1'), undefined);
  assert.is(h.answerFor(kept, 'k', 'e1'), 'yes');
  await h.flush();
}));

history('a save that fails leaves no temporary file behind', () => withDir(async (dir) => {
  const file = join(dir, 'history.json');
  await mkdir(file); // a directory where the file should be: every rename fails
  const errors: string[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  h.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
  await h.flush();
  assert.ok(errors.some((m) => /cannot save the call history/.test(m)));
  assert.equal(await readdir(dir), ['history.json']);
}));

history('saves that keep failing are reported once, and the save that works again says so', () => withDir(async (dir) => {
  const file = join(dir, 'history.json');
  await mkdir(file); // every rename fails, as on a read-only or full disk
  const errors: string[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  for (let i = 0; i < 5; i++) {
    const r = h.begin({ server: 's', serverName: 'S', tool: `t${i}`, args: {} });
    await h.flush();
    h.update(r, { status: 'done', endedAt: 2 });
    await h.flush();
  }
  assert.equal(errors.filter((m) => /cannot save the call history/.test(m)).length, 1, `one report, not one per save: ${errors.length}`);
  assert.match(errors[0]!, /the calls are kept in memory, and saved once it can be written/);
  await rm(file, { recursive: true });
  h.begin({ server: 's', serverName: 'S', tool: 'back', args: {} });
  await h.flush();
  assert.match(errors.at(-1)!, /the call history is saved to .*history\.json again/);
  assert.equal(JSON.parse(await readFile(file, 'utf8')).calls.length, 6);
}));

history('a history of a newer version is left as it is, said once, and this run keeps its calls in memory', () => withDir(async (dir) => {
  // Before: read as version 1 and written back as {"version":1,...}, a newer host's record lost.
  const file = join(dir, 'history.json');
  const newer = JSON.stringify({ version: 2, next: 9, calls: [{ n: 8, server: 's', tool: 't', startedAt: 1, answers: [], extra: 'of v2' }], more: true });
  await writeFile(file, newer);
  const errors: string[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  await h.load();
  assert.is(errors.length, 1, errors.join(' | '));
  assert.match(errors[0]!, /history\.json is version 2, written by a newer host .*left as it is.*kept in memory only/);
  const call = h.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
  h.update(call, { status: 'done', endedAt: 2 });
  await h.flush();
  assert.is(h.byNumber(call.n)?.status, 'done', 'the run still has its calls');
  assert.is(await readFile(file, 'utf8'), newer, 'the newer file is untouched');
  assert.equal(await readdir(dir), ['history.json'], 'nothing renamed or copied');
  assert.is(errors.length, 1, 'said once, not per save');
}));

history('a history whose version is not a number is left as it is, said once, like an unknown format', async () => {
  // Before: "2", null and {} were read as version 1 and the file written back as {"version":1,...}.
  for (const version of ['2', null, { major: 2 }]) {
    await withDir(async (dir) => {
      const file = join(dir, 'history.json');
      const odd = JSON.stringify({ version, next: 9, calls: [{ n: 8, server: 's', serverName: 'S', tool: 't', args: {}, status: 'done', startedAt: 1, answers: [] }] });
      await writeFile(file, odd);
      const errors: string[] = [];
      const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
      await h.load();
      assert.is(errors.length, 1, errors.join(' | '));
      assert.match(errors[0]!, /history\.json has version .*not a number: a format this host does not know .*left as it is.*kept in memory only/);
      const call = h.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
      h.update(call, { status: 'done', endedAt: 2 });
      await h.flush();
      assert.is(h.byNumber(call.n)?.status, 'done', 'the run still has its calls');
      assert.is(await readFile(file, 'utf8'), odd, `version ${JSON.stringify(version)}: the file is untouched`);
      assert.equal(await readdir(dir), ['history.json'], 'nothing renamed or copied');
      assert.is(errors.length, 1, 'said once, not per save');
    });
  }
});

history('unreadable records: the file as it was is copied aside once and named, before a save drops them', () => withDir(async (dir) => {
  // Before: counted, then lost for good at the next save.
  const file = join(dir, 'history.json');
  const good = { n: 2, server: 's', serverName: 'S', tool: 't', args: {}, status: 'done', startedAt: 1, answers: [] };
  const damaged = JSON.stringify({ version: 1, next: 3, calls: [{ n: 1, server: 's', tool: 'half' }, good] });
  await writeFile(file, damaged);
  const errors: string[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  await h.load();
  assert.is(errors.length, 1, errors.join(' | '));
  assert.match(errors[0]!, /dropped 1 unreadable record\(s\) of 2; the file as it was is copied to \S+history\.json\.corrupt$/);
  h.begin({ server: 's', serverName: 'S', tool: 'new', args: {} });
  await h.flush();
  assert.is(await readFile(`${file}.corrupt`, 'utf8'), damaged, 'the damaged record is kept');
  assert.equal(JSON.parse(await readFile(file, 'utf8')).calls.map((c: { tool: string }) => c.tool), ['t', 'new']);
  const again = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  await again.load();
  assert.is(errors.length, 1, 'the next start finds nothing to copy');
  assert.equal((await readdir(dir)).sort(), ['history.json', 'history.json.corrupt']);
  // A readable record with an unreadable answer loses that answer at the next save: kept too.
  const partly = JSON.stringify({ version: 1, next: 3, calls: [{ ...good, answers: [null] }] });
  await writeFile(file, partly);
  const third = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  await third.load();
  assert.match(errors[1]!, /dropped 1 unreadable answer\(s\), task\(s\) or plan step\(s\) of its records; the file as it was is copied to \S+\.corrupt\.1$/);
  await third.flush();
  assert.is(await readFile(`${file}.corrupt.1`, 'utf8'), partly);
}));

history('unreadable records that cannot be copied aside: the file is left as it is and the run keeps its calls in memory', () => withDir(async (dir) => {
  const file = join(dir, 'history.json');
  const damaged = JSON.stringify({ version: 1, next: 3, calls: [null] });
  await writeFile(file, damaged);
  for (let n = 0; n < 100; n++) await writeFile(n === 0 ? `${file}.corrupt` : `${file}.corrupt.${n}`, 'earlier');
  const errors: string[] = [];
  const h = createCallHistory({ file, onError: (e) => errors.push(e.message) });
  await h.load();
  assert.is(errors.length, 1, errors.join(' | '));
  assert.match(errors[0]!, /dropped 1 unreadable record\(s\) of 1; could not copy it aside \(.*\): it is left as it is, and this run's calls are kept in memory only/);
  h.begin({ server: 's', serverName: 'S', tool: 't', args: {} });
  await h.flush();
  assert.is(await readFile(file, 'utf8'), damaged);
}));

history.run();
