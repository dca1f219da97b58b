// `mcpwire check --help` documents every option the parser takes (long name, and short when it has one).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CHECK_HELP, CHECK_OPTIONS } from '../../bin/check.ts';

const help = suite('mcpwire check --help');

help('every option of the parser table is in the help text, with its value name when it takes one', () => {
  const lines = CHECK_HELP.split('\n');
  for (const [name, spec] of Object.entries(CHECK_OPTIONS)) {
    const line = lines.find((l) => new RegExp(`^\\s+(-\\w, )?--${name}\\b`).test(l));
    assert.ok(line !== undefined, `--${name} has a line of its own in the options list`);
    if (spec.type === 'string') assert.match(line!, new RegExp(`--${name} [A-Z]+`), `--${name} names its value`);
    if ('short' in spec) assert.ok(line!.includes(`-${spec.short}`), `--${name} shows -${spec.short}`);
  }
});

help.run();
