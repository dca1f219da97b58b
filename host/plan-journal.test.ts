import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlanJournal, type PlanRecord } from './plan-journal.ts';

/** A fresh temporary directory, and its removal. */
async function tempDir(prefix: string) {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

const journal = suite('host: the plans a run did not finish');

const record = (id: string): PlanRecord => ({
  id, goal: 'research a then research b', by: 'rules', startedAt: 1,
  steps: [{ tool: 'research_agent', args: { topic: 'a' }, purpose: 'Research' }, { tool: 'research_agent', args: { topic: 'b' }, purpose: 'Research', after: [0] }],
  routes: [['x'], ['x', 'y']], outcomes: [null, null],
});

journal('a saved plan is on disk when save resolves, read by the next run, and gone once ended', async () => {
  const dir = await tempDir('mcpwire-plan-journal-');
  try {
    const file = join(dir.path, 'plans.json');
    const first = createPlanJournal({ file, onError: (e) => { throw e; } });
    const r = record('p1');
    await first.save(r);
    r.outcomes[0] = { step: r.steps[0]!, status: 'done', route: [{ server: 'x' }], result: { content: [{ type: 'text', text: 'ok' }] } };
    await first.save(r);
    const next = createPlanJournal({ file, onError: (e) => { throw e; } });
    await next.load();
    assert.equal(next.list(), [r]);
    await next.end('p1');
    assert.equal(await readdir(dir.path), []);
  } finally {
    await dir.remove();
  }
});

journal('a damaged file is set aside and named; it reads as no plans', async () => {
  const dir = await tempDir('mcpwire-plan-journal-');
  try {
    const file = join(dir.path, 'plans.json');
    await writeFile(file, '{"version":1,"plans":[{"id":3}]}');
    const errors: string[] = [];
    const j = createPlanJournal({ file, onError: (e) => errors.push(e.message) });
    await j.load();
    assert.equal(j.list(), []);
    assert.match(errors[0] ?? '', /1 of 1 plans in .*plans\.json could not be read \(plan 1: not a plan of this version\); kept as .*plans\.json\.damaged-\d+/);
    const [aside] = (await readdir(dir.path)).filter((f) => f.includes('damaged'));
    assert.is(await readFile(join(dir.path, aside!), 'utf8'), '{"version":1,"plans":[{"id":3}]}');
  } finally {
    await dir.remove();
  }
});

// A step of a kept plan that "depends" on itself, on a later step or on one the plan does not
// have (a file edited by hand, or written by another version) passed the check: finishing the
// plan then failed with "✗ plan: Cannot read properties of undefined (reading 'status')", at
// every start. One plan that cannot be read also set aside the others with it.
journal('a plan whose step depends on a step that is not earlier is refused by name; the other plans are kept', async () => {
  const dir = await tempDir('mcpwire-plan-journal-');
  try {
    const file = join(dir.path, 'plans.json');
    const good = record('p1');
    const later = { ...record('p2'), goal: 'depends on a later step' };
    later.steps = [{ ...later.steps[0]!, after: [1] }, later.steps[1]!];
    const missing = { ...record('p3'), goal: 'depends on a step it does not have' };
    missing.steps = [missing.steps[0]!, { ...missing.steps[1]!, after: [7] }];
    const text = JSON.stringify({ version: 1, plans: [good, later, missing] });
    await writeFile(file, text);
    const errors: string[] = [];
    const j = createPlanJournal({ file, onError: (e) => errors.push(e.message) });
    await j.load();
    assert.equal(j.list(), [good]);
    assert.is(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /2 of 3 plans in .*plans\.json could not be read \(plan "depends on a later step": step 1 depends on step 2, which is not an earlier step; plan "depends on a step it does not have": step 2 depends on step 8, which is not an earlier step\); kept as .*plans\.json\.damaged-\d+/);
    const [aside] = (await readdir(dir.path)).filter((f) => f.includes('damaged'));
    assert.is(await readFile(join(dir.path, aside!), 'utf8'), text, 'the file as it was, kept aside');
    await j.save(good);
    const next = createPlanJournal({ file, onError: (e) => errors.push(e.message) });
    await next.load();
    assert.equal(next.list(), [good], 'the readable plan is saved again');
  } finally {
    await dir.remove();
  }
});

journal('a plans file of a newer version is left where it is, said once, and this run keeps its plans in memory', async () => {
  // Before: set aside as damaged (renamed), so the newer host that wrote it found no plans.
  const dir = await tempDir('mcpwire-plan-journal-');
  try {
    const file = join(dir.path, 'plans.json');
    const newer = JSON.stringify({ version: 2, plans: [{ id: 'p9', shape: 'of v2' }] });
    await writeFile(file, newer);
    const errors: string[] = [];
    const j = createPlanJournal({ file, onError: (e) => errors.push(e.message) });
    await j.load();
    assert.is(errors.length, 1, errors.join(' | '));
    assert.match(errors[0]!, /plans\.json are version 2, written by a newer host .*left as they are.*kept in memory only/);
    await j.save(record('p1'));
    assert.equal(j.list().map((p) => p.id), ['p1']);
    await j.end('p1');
    assert.equal(await readdir(dir.path), ['plans.json'], 'not renamed, nothing else written');
    assert.is(await readFile(file, 'utf8'), newer);
    assert.is(errors.length, 1);
  } finally {
    await dir.remove();
  }
});

journal.run();
