// The live view of `mcpwire trace` honours NO_COLOR (no-color.org) as the other commands do;
// on a terminal it printed colours with NO_COLOR=1 set (walk, session 13).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { viewInColor } from './trace.ts';

const color = suite('mcpwire trace: colours in the live view');

color('only on a terminal, never with --no-color or a non-empty NO_COLOR', () => {
  assert.is(viewInColor(false, {}, true), true);
  assert.is(viewInColor(false, { NO_COLOR: '1' }, true), false);
  assert.is(viewInColor(false, { NO_COLOR: '' }, true), true, 'an empty NO_COLOR is unset (no-color.org)');
  assert.is(viewInColor(true, {}, true), false);
  assert.is(viewInColor(false, {}, false), false);
});

color.run();
