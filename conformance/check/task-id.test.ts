// `tasks.id-unguessable`: which task ids show how they were made (a counter, a clock, too few
// characters) and which do not.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countingTaskIds, guessableTaskId } from './task-id.ts';

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

ids('two ids of one store: a part that counts is reported, random ids and far numbers are not', () => {
  assert.is(countingTaskIds('a1b2c3d4e5f6a7b8-0009', 'a1b2c3d4e5f6a7b8-0010'), 'it is "a1b2c3d4e5f6a7b8-0009" with 0009 made 0010: a part that counts (a counter or a clock)');
  assert.is(countingTaskIds('run-1733600000123-x', 'run-1733600000456-x'), 'it is "run-1733600000123-x" with 1733600000123 made 1733600000456: a part that counts (a counter or a clock)');
  assert.is(countingTaskIds('0f8b7c9e-5d2a-4c1b-9e7f-3a6d8b2c1e4f', '7c1d0a2b-9e8f-4a6b-5c3d-2e1f0a9b8c7d'), undefined);
  assert.is(countingTaskIds('Zx3_kP9qLm2Vb7NwT4rY8a', 'Zx3_kP9qLm2Vb7NwT4rY8a'), undefined, 'the same id twice says nothing');
  assert.is(countingTaskIds('k-1000000000000000-q', 'k-5000000000000000-q'), undefined, 'digits that moved by more than a counter or a clock would');
});

ids.run();
