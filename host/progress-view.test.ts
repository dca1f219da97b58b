import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fitLine } from './progress-view.ts';
import { displayWidth } from './wrap.ts';

const fit = suite('progress view: live lines cut to the screen');

fit('a line of wide characters is cut by the cells it takes, not its code points (it wrapped and broke the redraw)', () => {
  const line = `#1 research_agent ██████░░░░  30% (3/10) 東京の電車について調べています ${'研究'.repeat(20)}`;
  for (const columns of [30, 41, 79]) {
    const cut = fitLine(line, columns);
    assert.ok(displayWidth(cut) <= columns, `${columns}: "${cut}" is ${displayWidth(cut)} cells`);
    assert.ok(cut.endsWith('…'), cut);
    assert.ok(displayWidth(cut) >= columns - 2, `${columns}: cut too short, "${cut}"`);
  }
});

fit('a line that fits is left alone; colours take no cells, are kept whole and closed when cut', () => {
  assert.is(fitLine('#1 travel_agent  10% 🧳', 40), '#1 travel_agent  10% 🧳');
  const coloured = `\x1b[2m#1 travel_agent\x1b[22m ${'x'.repeat(60)}`;
  const cut = fitLine(coloured, 30);
  assert.is(displayWidth(cut), 30);
  assert.ok(cut.startsWith('\x1b[2m#1 travel_agent\x1b[22m x'), cut);
  assert.ok(cut.endsWith('\x1b[0m…'), JSON.stringify(cut));
  assert.not.match(cut.replace(/\x1b\[[0-9;]*m/g, ''), /\x1b/, 'no escape cut in half');
});

fit.run();
