// The instruction counter's reading of a run (issue 20's tooling): callgrind's compressed names,
// the callee costs it must not count as the caller's, JIT addresses named from V8's perf map
// (the latest code object holding an address wins), and the per-call subtraction.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readCountedRun, type CountedRun } from './callgrind-files.ts';
import { callsPerCall, differenceOf, perCall } from './per-call.ts';

// A callgrind file as `--dump-instr=no` writes it: names compressed as `(id) name`, then `(id)`;
// the cost line after `calls=` is the callee's inclusive cost; `'2` marks a recursion level.
const CALLGRIND = `version: 1
creator: callgrind-3.19.0
events: Ir
ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) main
1 100
cfn=(2) helper
calls=2 0
2 500
3 7
fn=(2)
5 40
fn=(3) helper'2
+1 2
ob=(2) ???
fn=(4) 0x0000000000001010
* 30
cob=(1)
cfn=(10) Builtins_KeyedStoreIC_Megamorphic
calls=4 0
0 80
cfn=(5) 0x0000000000002008
calls=3 0
0 33
fn=(5) 0x0000000000002008
0 11
fn=(6) 0x0000000000009000
0 5
fn=(9) 0x0000000000003048
0 4
cfn=(5)
calls=1 0
0 7
fn=(11) 0x0000000000001008
0 0
cfn=(5)
calls=2 0
0 22
ob=(3) /usr/lib/ld-linux-x86-64.so.2
fn=(7) 0x0000000000001010
0 9
ob=(1)
fn=(8) v8::internal::HashSeed::InitializeRoots()
0 1000
totals: 1208
`;

// V8's perf map in write order: code space is reused, so the entry written last that holds an
// address names it, whether it starts at the same address or before it.
const PERF_MAP = `1000 100 JS:~old file:///home/someone/checkout/dist/a.js:1:1
1000 20 JS:*newer file:///home/someone/checkout/dist/a.js:1:1
2000 10 Builtin:Foo
1ff0 40 JS:*covering file:///elsewhere/dist/b.js:2:3
3000 100 JS:~big file:///elsewhere/dist/c.js:1:1
3040 10 JS:*small file:///elsewhere/dist/c.js:5:1
`;

const files = suite('count: one run read from its callgrind file and perf map');

function readFixture(): CountedRun {
  const folder = mkdtempSync(join(tmpdir(), 'count-files-'));
  try {
    writeFileSync(join(folder, 'run.callgrind'), CALLGRIND);
    writeFileSync(join(folder, 'run.perf.map'), PERF_MAP);
    return readCountedRun(join(folder, 'run'));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

files('self costs by name: callee costs skipped, compressed names and recursion levels joined', () => {
  const run = readFixture();
  assert.is(run.total, 100 + 7 + 40 + 2 + 30 + 11 + 5 + 4 + 9 + 1000);
  assert.is(run.self.get('main'), 107);
  assert.is(run.self.get('helper'), 42);
  assert.is(run.self.get('v8::internal::HashSeed::InitializeRoots()'), 1000);
  assert.is(run.object.get('main'), 'node');
});

files('JIT addresses: the latest code object holding them, the checkout path cut; a library address stays', () => {
  const run = readFixture();
  assert.is(run.self.get('JS:*newer dist/a.js:1:1'), 30);
  assert.is(run.object.get('JS:*newer dist/a.js:1:1'), 'JIT');
  // Builtin:Foo starts at 0x2000 but JS:*covering, written after it, holds 0x2008 too.
  assert.is(run.self.get('JS:*covering dist/b.js:2:3'), 11);
  assert.not.ok(run.self.has('Builtin:Foo'));
  // A smaller object written inside an older, larger one names the addresses it holds.
  assert.is(run.self.get('JS:*small dist/c.js:5:1'), 4);
  assert.not.ok(run.self.has('JS:~big dist/c.js:1:1'));
  assert.is(run.self.get('0x0000000000009000 (JIT, not in the perf map)'), 5);
  // ld.so has no symbols here: its address is not JIT code, and is not looked up in the map.
  assert.is(run.self.get('0x0000000000001010'), 9);
  assert.is(run.object.get('0x0000000000001010'), 'ld-linux-x86-64.so.2');
  assert.is(run.optimized, 3);
});

files('calls: caller and callee named as functions are, the callee\'s object the caller\'s unless cob= says', () => {
  const run = readFixture();
  assert.equal(run.calls.get('main\0helper'), { calls: 2, inclusive: 500 });
  // cob= names the next call's callee object only: the call after it is JIT code again.
  assert.equal(run.calls.get('JS:*newer dist/a.js:1:1\0Builtins_KeyedStoreIC_Megamorphic'), { calls: 4, inclusive: 80 });
  assert.is(run.object.get('Builtins_KeyedStoreIC_Megamorphic'), 'node');
  // 0x1008 and 0x1010 are both JS:*newer's: one caller, its two sites' calls summed.
  assert.equal(run.calls.get('JS:*newer dist/a.js:1:1\0JS:*covering dist/b.js:2:3'), { calls: 5, inclusive: 55 });
  assert.equal(run.calls.get('JS:*small dist/c.js:5:1\0JS:*covering dist/b.js:2:3'), { calls: 1, inclusive: 7 });
  assert.is(run.calls.size, 4);
});

files('--callers and --callees: the calls a call, the longer run minus the shorter, by part of the name', () => {
  const run = (scale: number): CountedRun => ({
    total: 0,
    self: new Map(),
    object: new Map(),
    optimized: 0,
    calls: new Map([
      ['JS:*f dist/a.js:1:1\0Builtins_LoadIC_Megamorphic', { calls: 6 * scale, inclusive: 600 * scale }],
      ['JS:*g dist/a.js:9:1\0Builtins_LoadIC_Megamorphic', { calls: 2 * scale, inclusive: 100 * scale }],
      ['JS:*g dist/a.js:9:1\0Builtins_KeyedStoreIC_Megamorphic', { calls: scale, inclusive: 50 * scale }],
      // The same in both runs (start-up): no row.
      ['main\0Builtins_LoadIC_Megamorphic', { calls: 7, inclusive: 700 }],
    ]),
  });
  const callers = callsPerCall(run(10), run(30), 20, 'LoadIC_Mega', 'callers');
  assert.equal(callers.sort((a, b) => b.inclusive - a.inclusive), [
    { caller: 'JS:*f dist/a.js:1:1', callee: 'Builtins_LoadIC_Megamorphic', calls: 6, inclusive: 600 },
    { caller: 'JS:*g dist/a.js:9:1', callee: 'Builtins_LoadIC_Megamorphic', calls: 2, inclusive: 100 },
  ]);
  const callees = callsPerCall(run(10), run(30), 20, 'JS:*g ', 'callees');
  assert.equal(callees.map((row) => [row.callee, row.calls]).sort(), [['Builtins_KeyedStoreIC_Megamorphic', 1], ['Builtins_LoadIC_Megamorphic', 2]]);
});

files('per call: the longer run minus the shorter over the calls between, the hash seed set aside', () => {
  const run = (main: number, seed: number, jit: number): CountedRun => ({
    total: main + seed + jit,
    self: new Map([['main', main], ['v8::internal::HashSeed::InitializeRoots()', seed], ['JS:*f dist/a.js:1:1', jit]]),
    object: new Map([['main', 'node'], ['v8::internal::HashSeed::InitializeRoots()', 'node'], ['JS:*f dist/a.js:1:1', 'JIT']]),
    optimized: 0,
    calls: new Map(),
  });
  const result = perCall(run(1_000, 500, 100), run(3_000, 100, 300), 100);
  assert.is(result.total, 22); // (3,400 - 1,600) / 100, less the seed's -4 a call
  assert.is(result.noise, -4);
  assert.is(result.byName.get('main'), 20);
  assert.not.ok(result.byName.has('v8::internal::HashSeed::InitializeRoots()'));
  // JIT code only where both results ran it: a JIT name is one build's.
  const other = perCall(run(1_000, 0, 0), run(2_000, 0, 0), 100);
  other.byName.delete('JS:*f dist/a.js:1:1');
  assert.equal(differenceOf(result, other), [['main', 10]]);
});

files.run();
