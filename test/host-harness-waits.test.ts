// The harness's waits end on events: a line that arrives after its process exited is still
// seen, a process that keeps printing keeps a wait alive, and a silent one fails it quickly.
import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, track } from './host-harness.ts';

const waits = suite('host harness: waits end on output, silence or the end of the stream');
waits.after(killAll);

const node = (code: string) => track(spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'pipe'] }));

waits('a line printed after the process exited (by a child holding its stdout) is still seen', async () => {
  // The grandchild writes once its stdin (the parent's pipe) closes, that is once the parent
  // has exited: the wait is still open then, since stdout has not ended.
  const p = node(`const c = require('node:child_process').spawn(process.execPath, ['-e', "process.stdin.resume(); process.stdin.on('end', () => require('node:fs').writeSync(1, 'DONE\\\\n'))"], { stdio: ['pipe', 'inherit', 'inherit'] }); c.unref(); process.exit(0)`);
  const m = await p.waitFor(/DONE/);
  assert.is(m[0], 'DONE');
});

waits('the last lines before a quick exit are seen, not reported as missing', async () => {
  const runs = Array.from({ length: 20 }, async () => {
    const p = node(`const fs = require('node:fs'); fs.writeSync(1, 'x'.repeat(100000)); fs.writeSync(2, 'y'.repeat(100000)); fs.writeSync(1, 'DONE\\n'); process.exit(0)`);
    await p.waitFor(/DONE/);
  });
  await Promise.all(runs);
});

waits('a process that keeps printing keeps the wait alive past its quiet budget', async () => {
  const p = node(`let n = 0; const t = setInterval(() => { console.log('tick ' + ++n); if (n === 8) { console.log('DONE'); clearInterval(t); } }, 100)`);
  const m = await p.waitFor(/DONE/, { timeoutMs: 400 });
  assert.is(m[0], 'DONE');
  assert.match(p.out(), /tick 8/);
});

waits('a silent process fails the wait after its quiet budget, with what it printed', async () => {
  const p = node(`console.log('ready'); setInterval(() => {}, 1000)`);
  await p.waitFor(/ready/);
  const err = await p.waitFor(/never/, { timeoutMs: 200 }).then(() => undefined, (e: Error) => e);
  assert.ok(err, 'the wait failed');
  assert.match(err.message, /nothing printed for 200 ms/);
  assert.match(err.message, /--- stdout ---\nready/);
  p.kill();
});

waits('a process still starting (nothing printed yet) is not failed by the quiet budget of later waits', async () => {
  // A start on a loaded machine is slow; here the first line comes 300 ms in, past a 50 ms budget.
  const p = node(`setTimeout(() => console.log('ready'), 300); setTimeout(() => {}, 60_000)`);
  await p.waitFor(/ready/, { timeoutMs: 50 });
  const err = await p.waitFor(/never/, { timeoutMs: 50 }).then(() => undefined, (e: Error) => e);
  assert.match(err?.message ?? '', /nothing printed for 50 ms/, 'once it printed, the budget asked for applies');
  p.kill();
});

waits('a process that ends without the line fails the wait at once, with what it printed', async () => {
  const p = node(`console.log('bye'); console.error('oops')`);
  const err = await p.waitFor(/never/, { timeoutMs: 60_000 }).then(() => undefined, (e: Error) => e);
  assert.ok(err, 'the wait failed');
  assert.match(err.message, /before \/never\/ appeared/);
  assert.match(err.message, /bye/);
  assert.match(err.message, /oops/);
});

waits.run();
