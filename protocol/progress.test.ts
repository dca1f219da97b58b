// The sending side of progress (2025-11-25 basic/utilities/progress): nothing without the
// peer's token, and each value MUST increase; a repeat, a step back or a non-number throws
// instead of going on the wire.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgressEmitter } from './progress.ts';

const emit = suite('progress emitter');

emit('no token, no notification', () => {
  assert.is(createProgressEmitter(undefined).next(1), undefined);
});

emit('values must increase; total and message ride along', () => {
  const e = createProgressEmitter('tok');
  assert.equal(e.next(0.5, 2, 'half'), { progressToken: 'tok', progress: 0.5, total: 2, message: 'half' });
  assert.equal(e.next(1), { progressToken: 'tok', progress: 1 });
  assert.throws(() => e.next(1), /must increase/);
  assert.throws(() => e.next(0.75), /must increase/);
  assert.throws(() => e.next(Number.NaN), /finite/);
  assert.equal(e.next(2, 2), { progressToken: 'tok', progress: 2, total: 2 });
});

emit.run();
