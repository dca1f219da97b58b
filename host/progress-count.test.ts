// A long run's progress past the rate (20 lines a second by default): the lines shown are the
// first of each second and the rest are counted. The count line did not say where the call got
// to, so a piped 20,000-step run's last progress line read 68% while it went on to 100%.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCallOutput } from './calls.ts';
import type { Connection } from './connection-types.ts';
import { createLogRate } from './log-rate.ts';
import { createPaint } from './progress-view.ts';
import type { Terminal } from './terminal.ts';

const count = suite('host: progress lines past the rate');

count('the count line names the last progress it counted', async () => {
  const printed: string[] = [];
  const term = { tty: false, paint: createPaint(false), columns: 100, asking: false, print(text: string) { printed.push(text); }, setLive() {} } as unknown as Terminal;
  const rate = createLogRate({ noun: 'progress line', perSecond: 3, windowMs: 60_000 });
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`, rate);
  const call = output.add(1, { conn: { name: 'demo' } as unknown as Connection, tool: 'count', args: {}, resumed: false, quiet: false });
  for (let i = 1; i <= 10; i++) output.progress(call, { progress: i, total: 10, message: `step ${i} of 10` });
  rate.close();
  assert.equal(printed.slice(0, 3).map((l) => l.replace(/[█░]+/, 'BAR')), ['#1 count BAR  10% (1/10) step 1 of 10', '#1 count BAR  20% (2/10) step 2 of 10', '#1 count BAR  30% (3/10) step 3 of 10']);
  assert.is(printed[3], '  #1 count · 7 more progress lines not shown (more than 3 a second); the last: 100% (10/10) step 10 of 10');
  assert.is(printed.length, 4);
  output.finish(call);
});

count.run();
