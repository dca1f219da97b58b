// The public entries export at run time exactly what the README's "Exports" table lists:
// the table is the documentation of the surface, and an export nobody listed is a mistake
// (import it by relative path where only tests need it).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ENTRIES = ['protocol', 'transport', 'server', 'client', 'client/tasks', 'conformance', 'host', 'examples', 'redis'] as const;

/** The names in the "runtime exports" cell of `entry`'s row. */
function documented(entry: string): string[] {
  const row = readme.split('\n').find((line) => line.startsWith(`| \`mcpwire/${entry}\` |`));
  if (row === undefined) throw new Error(`README has no Exports row for mcpwire/${entry}`);
  const cell = row.split('|')[2]!;
  return [...cell.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!).sort();
}

const exportsSuite = suite('public entries: runtime exports match the README table');

for (const entry of ENTRIES) {
  exportsSuite(`mcpwire/${entry}`, async () => {
    const actual = Object.keys(await import(`mcpwire/${entry}`)).sort();
    assert.equal(actual, documented(entry));
  });
}

exportsSuite.run();
