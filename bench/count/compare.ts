/**
 * Compare two counted runs of the same length made by run.ts from two builds (before and after
 * a change), per call: `node --import tsx bench/count/compare.ts BEFORE AFTER CALLS [--top 30]`,
 * where BEFORE and AFTER are a run's files without their ending (`<out>/r1-1000`: its
 * `.annotated.txt` and `.perf.map` are read) and CALLS is the calls the server answered in each
 * (warm-up included). The same driver made the same calls in both, so start-up cancels and the
 * difference is the change's, warm-up's compiling included: use it when a pair of runs per build
 * (run.ts's own subtraction) does not fit the time.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { diffRuns, readRun } from './annotate.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } });
const [before, after, callsText] = positionals;
const calls = Number(callsText);
if (before === undefined || after === undefined || !(Number.isSafeInteger(calls) && calls > 0)) {
  process.stderr.write('usage: compare.ts BEFORE AFTER CALLS [--top N] (a run is <out>/r1-1000, without ending)\n');
  process.exit(2);
}
const read = (run: string) => readRun(readFileSync(`${run}.annotated.txt`, 'utf8'), readFileSync(`${run}.perf.map`, 'utf8'));
const diff = diffRuns(read(before), read(after), calls);
process.stdout.write(`after minus before: ${Math.round(diff.total).toLocaleString('en')} instructions a call\n`);
for (const row of diff.rows.slice(0, Number(values.top))) {
  process.stdout.write(`${Math.round(row.perCall).toLocaleString('en').padStart(10)}  ${row.name}\n`);
}
