// Which stderr line of a stdio server explains its exit. A usage error was quoted by its
// pointer to the help ("Run `x --help` for usage.") or by the last line of its usage text
// (hostwalk5's leftover, session 22); the line that names the problem is quoted instead.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLastWords } from './last-words.ts';

const words = suite('host: the stderr line that explains a stdio server\'s exit');

const said = (lines: string[]): string | undefined => {
  const w = createLastWords();
  for (const line of lines) w.add(line);
  return w.said();
};

words('a problem, then a pointer to --help: the problem', () => {
  assert.is(said(['mcpwire serve: choose one transport: --stdio or --http', 'Run `mcpwire serve --help` for usage.']), 'mcpwire serve: choose one transport: --stdio or --http');
  assert.is(said(['ls: unrecognized option \'--prot\'', 'Try \'ls --help\' for more information.']), 'ls: unrecognized option \'--prot\'');
});

words('a problem, then a usage text with options: the problem, not an option\'s line', () => {
  const text = ['unknown option --prot (did you mean --port?)', 'Usage: server [options]', '', 'Options:', '  --port N   the port', '  --help     this text'];
  assert.is(said(text.filter((l) => l !== '')), 'unknown option --prot (did you mean --port?)');
});

words('an argument parser\'s usage, then its error line after the program\'s name: the error line', () => {
  assert.is(said(['usage: server.py [-h] --root ROOT', 'server.py: error: the following arguments are required: --root']), 'server.py: error: the following arguments are required: --root');
});

words('a crash: its error line, not the stack or the runtime banner; plain talk: the last line', () => {
  assert.is(said(['Error: Cannot find module \'/x.js\'', '    at Module._resolveFilename', 'Node.js v20.0.0']), 'Error: Cannot find module \'/x.js\'');
  assert.is(said(['probe pid 12', 'probe: memory runs low']), 'probe: memory runs low');
  assert.is(said(['Usage: server [options]', '  --port N']), 'Usage: server [options]', 'a usage text alone: its first line (was its last)');
});

words('cleared: nothing said', () => {
  const w = createLastWords();
  w.add('Usage: x');
  w.add('Error: boom');
  w.clear();
  assert.is(w.said(), undefined);
  w.add('after');
  assert.is(w.said(), 'after', 'a usage text before the clear does not hide what comes after');
});

words.run();
