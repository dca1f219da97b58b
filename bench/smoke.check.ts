// The benchmark's smoke test: every workload once, at tiny sizes, for every default
// implementation, in real processes on 127.0.0.1. It checks correctness only (no crash,
// counts, exactly-once for mcpwire), never timing.
import { existsSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { implementation, runs } from './adapters/index.ts';
import { runBench } from './runner.ts';
import { WORKLOADS } from './workloads.ts';

// The built library when there is one (`npm test` builds first): process start-up is then
// about half as long as transpiling the source in each of the ~60 processes.
const source = !existsSync(new URL('../dist/server/index.js', import.meta.url));

const smoke = suite('bench: each workload once at tiny sizes');

smoke('mcpwire, SDK 1.x, SDK 2.x and raw run every workload; mcpwire loses and duplicates nothing', async () => {
  const report = await runBench({ impls: ['mcpwire', 'sdk1', 'sdk2', 'raw'], reps: 1, smoke: true, source, timeoutMs: 60_000, concurrency: 3 });
  const failed = report.reps.filter((r) => r.error !== undefined);
  assert.equal(failed.map((r) => `${r.workload} ${r.impl}: ${r.error}`), [], 'no run failed');
  for (const w of WORKLOADS) {
    const ours = report.reps.find((r) => r.workload === w.id && r.impl === 'mcpwire');
    assert.ok(ours?.metrics, `${w.id}: mcpwire ran`);
    assert.is(ours!.lost, 0, `${w.id}: mcpwire lost nothing`);
    assert.is(ours!.duplicated, 0, `${w.id}: mcpwire duplicated nothing`);
    for (const m of w.metrics) assert.ok(Number.isFinite(ours!.metrics![m.key]), `${w.id}: mcpwire reported ${m.key}`);
    // Each SDK runs the rows it lists (SDK 1.x: the 2025 era only; SDK 2.x: no e; neither the
    // mcpwire-only b-std): those must all have run.
    for (const sdk of ['sdk1', 'sdk2']) {
      if (runs(implementation(sdk), w.id)) assert.ok(report.reps.some((r) => r.workload === w.id && r.impl === sdk && r.metrics), `${w.id}: ${sdk} ran`);
    }
  }
  assert.ok(report.rows.length >= WORKLOADS.length, 'the table has a row per workload');
});

smoke.run();
