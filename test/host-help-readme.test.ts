// `mcpwire host --help` and `mcpwire demo --help` against the README's "Options" (hostwalk8,
// session 25): every option each names is in the other, and the lines that drifted say the
// same thing in both (the call timeout: progress resets the clock, an open form pauses it;
// `--exec`'s exit codes include 130).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { killAll, spawnCli } from './host-harness.ts';

const help = suite('host, demo: --help and the README agree');
help.after(killAll);

const readme = () => readFile(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const flags = (text: string) => new Set(text.match(/--[a-z][a-z-]*/g) ?? []);
/** The options a help text lists: its lines that start with one (`  -y, --yes  ...`), not `--help`. */
const listed = (help: string) => new Set(help.split('\n').map((l) => /^ {2}(?:-\w, )?(--[a-z][a-z-]*)/.exec(l)?.[1]).filter((f): f is string => f !== undefined && f !== '--help'));

async function helpOf(command: string): Promise<string> {
  const proc = spawnCli([command, '--help']);
  assert.is(await proc.exited(30_000), 0);
  return proc.out();
}

help('host: the options table and --help name the same options', async () => {
  const text = await readme();
  const start = text.indexOf('`mcpwire host (--url URL | --config FILE) [options]`');
  const end = text.indexOf('`mcpwire demo [', start);
  assert.ok(start !== -1 && end > start, 'the README has the host options table');
  const table = text.slice(start, end);
  const rows = table.split('\n').filter((l) => l.startsWith('| `-'));
  const named = new Set(rows.flatMap((r) => [...flags(r.split(' | ')[0]!)]));
  const out = await helpOf('host');
  const inHelp = listed(out);
  for (const f of named) assert.ok(inHelp.has(f), `${f} is in the README's table but not in --help`);
  for (const f of inHelp) assert.ok(table.includes(f), `${f} is in --help but not in the README's table`);
  // Drifted before: "progress and open forms pause the clock"; no 130 in --exec's codes.
  assert.match(out.replace(/\s+/g, ' '), /--timeout-ms N give up on a call silent for N ms \(default 600000; progress resets the clock, an open form pauses it\)/);
  assert.match(out.replace(/\s+/g, ' '), /3 when a server cannot be used \([^)]*\), 130 interrupted/);
});

help('demo: the README\'s synopsis and --help name the same options', async () => {
  const text = await readme();
  const synopsis = /`mcpwire demo \[[^`]*`/.exec(text.slice(text.indexOf('### Options')))?.[0];
  assert.ok(synopsis, 'the README has the demo synopsis');
  const out = await helpOf('demo');
  const inHelp = listed(out);
  for (const f of flags(synopsis!)) assert.ok(inHelp.has(f), `${f} is in the README but not in demo --help`);
  for (const f of inHelp) assert.ok(synopsis!.includes(f), `${f} is in demo --help but not in the README's synopsis`);
});

// hostwalk8's leftover (session 26): the MCPWIRE_OPENAI_MODEL line was 103 characters wide
// where every other line wraps at 95.
help('host, demo: --help wraps at 95 columns', async () => {
  for (const command of ['host', 'demo']) {
    const out = await helpOf(command);
    for (const line of out.split('\n')) assert.ok(line.length <= 95, `${command} --help has a line of ${line.length} characters: ${line}`);
  }
});

help.run();
