// The bench table's paired rows (issue 20): h, c-json and f read the median of per-repetition
// ratios with their range, each repetition runs the reference, mcpwire and raw back to back,
// and every row carries mcpwire's ratio to each SDK in the run.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatTable, summarize, type RepRecord } from './report.ts';
import { cellOrder } from './runner.ts';
import { WORKLOADS, type WorkloadSpec } from './workloads.ts';

const spec = (paired: boolean): WorkloadSpec => ({
  id: 'h', letter: 'h', title: 't', serve: { transport: 'stdio', json: false, resumable: false }, full: {}, smoke: {},
  metrics: [{ key: 'callsPerSec', label: 'calls/s', better: 'higher', target: 2 }], ...(paired ? { paired: true } : {}),
});
const rep = (impl: string, n: number, callsPerSec: number): RepRecord => ({ workload: 'h', impl, rep: n, wallMs: 1, metrics: { callsPerSec } });
// Pairs 1 and 2 ran on a quiet machine, 3 on a busy one: the per-pair ratios are 2, 3, 2.5.
const reps = [rep('mcpwire', 1, 20), rep('sdk1', 1, 10), rep('mcpwire', 2, 30), rep('sdk1', 2, 10), rep('mcpwire', 3, 5), rep('sdk1', 3, 2),
  rep('sdk2', 1, 4), rep('sdk2', 2, 4), rep('sdk2', 3, 4), rep('raw', 1, 40), rep('raw', 2, 40), rep('raw', 3, 40)];

const paired = suite('bench report: paired rows');

paired('a paired row: median of the per-pair ratios, their range, and a ratio to every SDK', () => {
  const [row] = summarize([spec(true)], reps);
  assert.is(row!.ratio, 2.5);
  assert.equal(row!.spread, { min: 2, max: 3, pairs: 3 });
  assert.is(row!.ratios.sdk1, 2); // medians: 20 / 10
  assert.is(row!.ratios.sdk2, 5); // 20 / 4
  assert.is(row!.rawFraction, 0.5);
  const table = formatTable([row!], { mcpwire: 'mcpwire', sdk1: 'SDK 1.x', sdk2: 'SDK 2.x', raw: 'raw' }, []);
  assert.match(table, /2\.50x \(2\.00-3\.00, 3 pairs\)/);
  assert.match(table, /\| +5\.00x \|/);
  assert.match(table, />=2x ok \(raw 4\.00x\)/); // raw's pairs: 40/10, 40/10, 40/2
  assert.is(row!.ceiling, 4);
});

paired('a paired target above what raw itself reaches says so: raw over the reference, pair by pair', () => {
  const slowRaw = [...reps.filter((r) => r.impl !== 'raw'), rep('raw', 1, 15), rep('raw', 2, 16), rep('raw', 3, 3)];
  const [row] = summarize([spec(true)], slowRaw);
  assert.is(row!.ceiling, 1.5); // 1.5, 1.6, 1.5
  const table = formatTable([row!], { mcpwire: 'mcpwire', sdk1: 'SDK 1.x', raw: 'raw' }, []);
  assert.match(table, />=2x ok \(raw 1\.50x\)/);
  const [unpaired] = summarize([spec(false)], slowRaw);
  assert.is(unpaired!.ceiling, undefined);
});

paired('of raw: each repetition against its own raw, then the median', () => {
  // mcpwire 20, 30, 5 against raw 40, 40, 6: fractions 0.5, 0.75, 0.83 (the medians' ratio is 0.5).
  const drifting = [...reps.filter((r) => r.impl !== 'raw'), rep('raw', 1, 40), rep('raw', 2, 40), rep('raw', 3, 6)];
  const [row] = summarize([spec(false)], drifting);
  assert.is(row!.rawFraction, 0.75);
});

paired('an unpaired row reads the ratio of the medians', () => {
  const [row] = summarize([spec(false)], reps);
  assert.is(row!.ratio, 2);
  assert.is(row!.spread, undefined);
});

paired('cell order: a paired workload runs its reference, mcpwire and raw first, mcpwire in the middle, reversed every other repetition', () => {
  const impls = ['mcpwire', 'sdk1', 'sdk2', 'raw'].map((name) => ({ name }));
  for (let r = 1; r <= 6; r++) {
    const order = cellOrder(impls, spec(true), r).map((i) => i.name);
    assert.equal(order.slice(0, 3), r % 2 === 1 ? ['sdk1', 'mcpwire', 'raw'] : ['raw', 'mcpwire', 'sdk1'], `rep ${r}`);
    assert.equal([...order].sort(), ['mcpwire', 'raw', 'sdk1', 'sdk2']);
  }
  // Without raw in the run (or borrowed, as f-sample's is), the pair alone.
  const noRaw = impls.filter((i) => i.name !== 'raw');
  assert.equal(cellOrder(noRaw, spec(true), 1).map((i) => i.name), ['sdk1', 'mcpwire', 'sdk2']);
  assert.equal(cellOrder(noRaw, spec(true), 2).map((i) => i.name), ['mcpwire', 'sdk1', 'sdk2']);
  assert.equal(cellOrder(impls, spec(false), 2).map((i) => i.name), ['sdk1', 'sdk2', 'raw', 'mcpwire']);
});

paired('a paired row shows the range of its pairs\' fractions of raw; an unpaired row only the median', () => {
  // mcpwire 20, 30, 5 against raw 40, 40, 6: fractions 0.5, 0.75, 0.83.
  const drifting = [...reps.filter((r) => r.impl !== 'raw'), rep('raw', 1, 40), rep('raw', 2, 40), rep('raw', 3, 6)];
  const labels = { mcpwire: 'mcpwire', sdk1: 'SDK 1.x', raw: 'raw' };
  const [row] = summarize([spec(true)], drifting);
  assert.equal(row!.rawSpread, { min: 0.5, max: 5 / 6, pairs: 3 });
  assert.match(formatTable([row!], labels, []), /\| 75% <80% \(50-83%\) \|/);
  const [unpaired] = summarize([spec(false)], drifting);
  assert.is(unpaired!.rawSpread, undefined);
  assert.match(formatTable([unpaired!], labels, []), /\| 75% <80% \|/);
});

paired('the rows that swing with the machine are paired: h, c-json, f-elicit, f-sample', () => {
  const ids = WORKLOADS.filter((w) => w.paired).map((w) => w.id);
  assert.equal(ids.sort(), ['c-json', 'f-elicit', 'f-sample', 'h']);
  // f-sample borrows raw's f-elicit repetitions (the same bare round trip): its pairs read them rep by rep.
  const fSample = WORKLOADS.find((w) => w.id === 'f-sample')!;
  const trips = (impl: string, n: number, roundTripsPerSec: number): RepRecord => ({ workload: 'f-sample', impl, rep: n, wallMs: 1, metrics: { roundTripsPerSec } });
  const [row] = summarize([fSample], [trips('mcpwire', 1, 1500), trips('sdk1', 1, 500), trips('raw', 1, 2000),
    trips('mcpwire', 2, 1200), trips('sdk1', 2, 300), trips('raw', 2, 2400)]);
  assert.equal(row!.spread, { min: 3, max: 4, pairs: 2 });
  assert.equal(row!.rawSpread, { min: 0.5, max: 0.75, pairs: 2 });
  const labels = { mcpwire: 'mcpwire', sdk1: 'SDK 1.x', raw: 'raw' };
  assert.match(formatTable([row!], labels, []), /3\.50x \(3\.00-4\.00, 2 pairs\)/);
  // A repetition whose reference failed leaves one pair.
  const [one] = summarize([fSample], [trips('mcpwire', 1, 1500), trips('sdk1', 1, 500), trips('mcpwire', 2, 1200)]);
  assert.match(formatTable([one!], labels, []), /3\.00x \(3\.00-3\.00, 1 pair\)/);
});

paired.run();
