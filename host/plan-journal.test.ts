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
    assert.match(errors[0] ?? '', /the plans in .*plans\.json could not be read \(not a plans file of this version\); kept as .*plans\.json\.damaged-\d+/);
    const [aside] = (await readdir(dir.path)).filter((f) => f.includes('damaged'));
    assert.is(await readFile(join(dir.path, aside!), 'utf8'), '{"version":1,"plans":[{"id":3}]}');
  } finally {
    await dir.remove();
  }
});

journal.run();
