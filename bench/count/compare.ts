/**
 * The counter's compare mode: two builds (before and after a change), per call.
 *
 * - `compare BEFORE AFTER CALLS`: one run per build of the same length, each a run's files
 *   without their ending (`<out>/http-sse-r1-6000`), CALLS the calls made in each (warm-up
 *   included). The same driver made the same calls in both, so start-up cancels and the
 *   difference is the change's, its warm-up's compiling included: for when a pair of runs per
 *   build does not fit the time.
 * - `compare BEFORE_DIR AFTER_DIR`: two `--out` folders of the same targets, each run's pairs
 *   subtracted as main.ts does, then after minus before for every target found in both.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCountedRun } from './callgrind-files.ts';
import { usage, wholeNumber } from './options.ts';
import { differenceOf, perCall, type PerCall } from './per-call.ts';
import { differenceLines, fmt } from './tables.ts';

/** Run compare mode with its positional arguments; prints, or exits with a usage error. */
export function compare(args: readonly string[], top: number): void {
  if (args.length === 3) {
    const [before, after, callsText] = args as [string, string, string];
    const calls = wholeNumber('calls (compare\'s third argument)', callsText, 1);
    const diff = perCall(readCountedRun(before), readCountedRun(after), calls);
    console.log(`after minus before: ${fmt(diff.total)} instructions a call (${fmt(diff.noise)} of V8's hash seed set aside)`);
    console.log(differenceLines(diff.byName, top).join('\n'));
    return;
  }
  if (args.length !== 2 || !args.every(isFolder)) usage('compare takes BEFORE AFTER CALLS (two runs) or BEFORE_DIR AFTER_DIR (two --out folders)');
  const [before, after] = [pairsIn(args[0]!), pairsIn(args[1]!)];
  const common = [...before.keys()].filter((key) => after.has(key));
  if (common.length === 0) usage(`no target and repeat with two runs in both ${args[0]} and ${args[1]}`);
  for (const key of common) {
    const [x, y] = [before.get(key)!(), after.get(key)!()];
    console.log(`\n## ${key}: before ${fmt(x.total)}, after ${fmt(y.total)}: after minus before ${fmt(y.total - x.total)} instructions a call;`
      + ' functions of both (C++ and builtins, JIT code both ran), largest differences:');
    console.log(differenceLines(differenceOf(y, x), top).join('\n'));
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A folder's pairs by `<target>-r<repeat>` (files `<target>-r<repeat>-<calls>.callgrind`), each
 * read only when asked for: a folder may hold a pair still being counted.
 */
function pairsIn(folder: string): Map<string, () => PerCall> {
  const lengths = new Map<string, number[]>();
  for (const file of readdirSync(folder)) {
    const match = /^(.+-r\d+)-(\d+)\.callgrind$/.exec(file);
    if (match) lengths.set(match[1]!, [...lengths.get(match[1]!) ?? [], Number(match[2])]);
  }
  const pairs = new Map<string, () => PerCall>();
  for (const [key, calls] of lengths) {
    if (calls.length !== 2) continue;
    const [fewer, more] = calls.sort((a, b) => a - b) as [number, number];
    pairs.set(key, () => perCall(readCountedRun(join(folder, `${key}-${fewer}`)), readCountedRun(join(folder, `${key}-${more}`)), more - fewer));
  }
  return pairs;
}
