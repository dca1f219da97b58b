// `tasks.id-unguessable`: which task ids show how they were made (a counter, a clock, too few
// characters) and which do not.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guessableTaskId } from './task-id.ts';

const ids = suite('guessableTaskId');

ids('random ids pass, whatever their alphabet or prefix', () => {
  for (const id of ['0f8b7c9e-5d2a-4c1b-9e7f-3a6d8b2c1e4f', 'Zx3_kP9qLm2Vb7NwT4rY8a', 'task_9f2k3LmQ7xZ8pR1v', '7c1d0a2b9e8f4a6b5c3d2e1f0a9b8c7d']) {
    assert.is(guessableTaskId(id), undefined, id);
  }
});

ids('a number, a counter behind a word, or a short id is reported, saying which', () => {
  assert.is(guessableTaskId('42'), 'it is a decimal number (a counter or a clock reading)');
  assert.is(guessableTaskId('1733600000000123'), 'it is a decimal number (a counter or a clock reading)');
  assert.is(guessableTaskId('task-0000000000000042'), 'it is a number (0000000000000042) behind a word: a counter');
  assert.is(guessableTaskId('job:7'), 'it is a number (7) behind a word: a counter');
  assert.is(guessableTaskId('a9Kq'), 'it has 4 character(s), fewer than the 16 that hold enough randomness');
});

ids.run();
