/**
 * The counter's command line checked (main.ts): whole numbers, the pair of run lengths, and
 * the compiled scripts it counts.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Print what is wrong and how the counter is called, and exit with 2. */
export function usage(problem: string): never {
  process.stderr.write(`count: ${problem}\n`
    + 'usage: count http [--mode sse|json|raw|raw-json|modern-json|modern-sse[,...]] [--max-streams N] [--sessions S] | http --side client [--mode sse|json] [--sessions S] [--impl mcpwire,raw]\n'
    + '         | http [--side client] --workload f-elicit|f-sample|d|m-f (per round trip / notification)\n'
    + '         | stdio [--side server|client] [--impl mcpwire,raw]\n'
    + '       count work [--side client] --workload f-elicit|f-sample|d|m-f [http\'s options] (async resources and bytes, natively)\n'
    + '         [--warmup W] [--calls N,M] [--repeat R] [--top T] [--out DIR] [--from DIR] [--reply-timeout S]\n'
    + '         [--stacks [--stack-frames F]] (work: resources by the stack that made them, F frames, default 8)\n'
    + '         [--callers NAME] [--callees NAME]\n'
    + '       count compare BEFORE AFTER CALLS | BEFORE_DIR AFTER_DIR [--top T]\n');
  process.exit(2);
}

/** `text` as a whole number of at least `min`, or a usage error naming `--name`. */
export function wholeNumber(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!(text.trim() !== '' && Number.isSafeInteger(n) && n >= min)) usage(`--${name} takes a whole number of at least ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** `--calls N,M`: the two runs' lengths, 0 <= N < M. */
export function callPair(text: string): [number, number] {
  const parts = text.split(',');
  if (parts.length !== 2) usage(`--calls takes N,M (two run lengths), got ${JSON.stringify(text)}`);
  const [fewer, more] = parts.map((part) => wholeNumber('calls', part, 0)) as [number, number];
  if (!(more > fewer)) usage(`--calls N,M needs M > N, got ${text}`);
  return [fewer, more];
}

/**
 * The path of a compiled bench script: the counted process runs plain node, without tsx (a
 * loader's work would be counted, and its names would differ from the bench's).
 */
export function benchBuild(path: string): string {
  const file = join(resolve(import.meta.dirname, '..', '..'), '.bench-build', path);
  if (!existsSync(file)) usage(`${file} is missing: run \`npm run build && npx tsc -p tsconfig.bench.json\` first (npm run count does)`);
  return file;
}
