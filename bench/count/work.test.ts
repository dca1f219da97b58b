import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workLines, workPerTrip } from './work.ts';
import type { WorkCounts } from './work-probe.ts';

const probe = join(import.meta.dirname, 'work-probe.ts');
const main = join(import.meta.dirname, 'main.ts');

/**
 * The probe as plain JavaScript in `dir`, run without tsx, as `count work` runs its compiled one:
 * tsx's loader hooks run on a thread of their own, and the main thread waits for each answer in a
 * loop (`makeAsyncRequest`, node:internal/modules/esm/hooks) that makes one promise more when the
 * answer comes late: 11 of 40 runs of one script under tsx made 633 promises, not 632 (with
 * --stacks: all at hooks.js:639), which read 3.001 a round in CI once.
 */
function plainProbe(dir: string): string {
  const file = join(dir, 'work-probe.mjs');
  if (!existsSync(file)) writeFileSync(file, transformSync(readFileSync(probe, 'utf8'), { loader: 'ts', format: 'esm' }).code);
  return pathToFileURL(file).href;
}

/**
 * A process that makes `n` rounds of exactly three promises (one `new Promise`, its `then`, one
 * `Promise.resolve`) and one 1,000-element array, run with the probe (and `stackFrames` frames of
 * each resource's stack); its counts.
 */
function probed(dir: string, n: number, stackFrames = 0): WorkCounts {
  const script = join(dir, 'rounds.mjs');
  writeFileSync(script, `
    const kept = [];
    for (let i = 0; i < ${n}; i++) {
      const p = new Promise((resolve) => resolve(i)).then((x) => x);
      kept.push(p, Promise.resolve(i), new Array(1000).fill(i));
      if (kept.length > 30) kept.length = 0;
    }
  `);
  const out = join(dir, `counts-${n}-${stackFrames}.json`);
  const stacks = stackFrames > 0 ? { MCPWIRE_WORK_STACKS: String(stackFrames) } : {};
  const run = spawnSync(process.execPath, ['--import', plainProbe(dir), script], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, MCPWIRE_WORK_OUT: out, ...stacks },
  });
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(readFileSync(out, 'utf8')) as WorkCounts;
}

test('the work probe counts the promises and bytes a round makes, start-up cancelled by two runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-work-'));
  try {
    const a = probed(dir, 200);
    const b = probed(dir, 1200);
    const per = workPerTrip(a, b, 1000);
    // Every promise of the process counts, and without a loader thread start-up makes the same ones in both runs.
    assert.is(per.resources.get('PROMISE'), 3);
    assert.is(per.stacks, undefined);
    // A 1,000-element array of small integers is 8,000 bytes of elements (16 with a header);
    // the promises add a few hundred. Sampled every ~128 B: within a few percent.
    assert.ok(per.bytes > 7_600 && per.bytes < 10_000, `bytes a round: ${per.bytes}`);
    const lines = workLines(per, 5);
    assert.match(lines.join('\n'), /\s3\.00 {2}PROMISE/);
    assert.match(lines.join('\n'), /bytes allocated a round trip/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with stacks, the probe tells which code made each promise: the round\'s three lines, nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-work-'));
  try {
    const per = workPerTrip(probed(dir, 200, 2), probed(dir, 1200, 2), 1000);
    assert.is(per.resources.get('PROMISE'), 3);
    const script = pathToFileURL(join(dir, 'rounds.mjs')).href;
    const stacks = [...per.stacks!].map(([stack, n]) => `${n} ${stack.replaceAll(script, 'rounds.mjs')}`).sort();
    // Two frames, innermost first: the builtin that made the promise, then the script's line.
    assert.equal(stacks, [
      '1 PROMISE\n  at Promise (native)\n  at (anonymous) rounds.mjs:4',
      '1 PROMISE\n  at resolve (native)\n  at (anonymous) rounds.mjs:5',
      '1 PROMISE\n  at then (native)\n  at (anonymous) rounds.mjs:4',
    ]);
    const text = workLines(per, 5).join('\n');
    assert.match(text, /by the stack that made them/);
    assert.match(text, /with --stacks, the probe's own stack captures included/);
    assert.match(text, /\s1\.00 {2}PROMISE\n {12}at then \(native\)\n {12}at \(anonymous\) \S+rounds\.mjs:4/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('count work needs a round-trip workload and refuses callgrind\'s options; --stacks is count work\'s', () => {
  const none = spawnSync(process.execPath, ['--import', 'tsx', main, 'work'], { encoding: 'utf8', timeout: 60_000 });
  assert.is(none.status, 2);
  assert.match(none.stderr, /count work takes --workload f-elicit, f-sample, d or m-f/);
  const callers = spawnSync(process.execPath, ['--import', 'tsx', main, 'work', '--workload', 'f-elicit', '--callers', 'x'], { encoding: 'utf8', timeout: 60_000 });
  assert.is(callers.status, 2);
  assert.match(callers.stderr, /--callers and --callees are callgrind's/);
  const stacks = spawnSync(process.execPath, ['--import', 'tsx', main, 'http', '--stacks'], { encoding: 'utf8', timeout: 60_000 });
  assert.is(stacks.status, 2);
  assert.match(stacks.stderr, /--stacks and --stack-frames are options of count work/);
  const frames = spawnSync(process.execPath, ['--import', 'tsx', main, 'work', '--workload', 'f-elicit', '--stack-frames', '4'], { encoding: 'utf8', timeout: 60_000 });
  assert.is(frames.status, 2);
  assert.match(frames.stderr, /--stack-frames needs --stacks/);
});

test.run();
