/**
 * Reading what one counted server run leaves: callgrind's output file (self instructions per
 * function) and V8's perf map (`--perf-basic-prof`), which names the JIT code that callgrind
 * only knows by address.
 */
import { readFileSync } from 'node:fs';

/** Self instructions (Ir) per function name, and their total, from one callgrind output file. */
export interface CallgrindCounts {
  total: number;
  self: Map<string, number>;
  /** The object file (executable or library) each function was found in. */
  objectOf: Map<string, string>;
}

/**
 * Parse a callgrind output file written with `--dump-instr=no` (costs per line, one event: Ir).
 * A cost line right after `calls=` is the callee's inclusive cost, not the caller's own, so it
 * is skipped; every other cost line adds to the current `fn`.
 */
export function readCallgrind(path: string): CallgrindCounts {
  const names = new Map<string, string>();
  const objects = new Map<string, string>();
  const self = new Map<string, number>();
  const objectOf = new Map<string, string>();
  let fn = '?';
  let object = '?';
  let afterCalls = false;
  let total = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const head = line.charCodeAt(0);
    // A cost line starts with a position: a digit, '+', '-' or '*'.
    if ((head >= 0x30 && head <= 0x39) || head === 0x2b || head === 0x2d || head === 0x2a) {
      if (afterCalls) {
        afterCalls = false;
        continue;
      }
      const cost = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (!Number.isFinite(cost)) continue;
      self.set(fn, (self.get(fn) ?? 0) + cost);
      total += cost;
      continue;
    }
    if (line.startsWith('ob=')) object = compressedName(objects, line.slice(3));
    else if (line.startsWith('fn=')) {
      fn = compressedName(names, line.slice(3));
      if (!objectOf.has(fn)) objectOf.set(fn, object);
    }
    // Callee lines define compressed names too, without changing whose cost follows.
    else if (line.startsWith('cfn=')) compressedName(names, line.slice(4));
    else if (line.startsWith('cob=')) compressedName(objects, line.slice(4));
    else if (line.startsWith('calls=')) afterCalls = true;
  }
  return { total, self, objectOf };
}

/** `(id) name` defines a name, `(id)` reuses it (callgrind's name compression). */
function compressedName(names: Map<string, string>, text: string): string {
  const match = /^\((\d+)\)(?: (.*))?$/.exec(text);
  if (!match) return text;
  const [, id, name] = match as unknown as [string, string, string | undefined];
  if (name !== undefined) names.set(id, name);
  return names.get(id) ?? text;
}

/** One code object of V8's perf map. */
interface CodeRange {
  start: number;
  end: number;
  name: string;
}

/**
 * V8's perf map (`perf-<pid>.map` in the temporary folder, under `--perf-basic-prof`): `start
 * size name` in hex, one line per code object as it is made. Code space is reused after a GC,
 * so a later line wins where two overlap.
 */
export function readPerfMap(path: string): (address: number) => string | undefined {
  let ranges: CodeRange[] = [];
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const first = line.indexOf(' ');
      const second = line.indexOf(' ', first + 1);
      if (first < 0 || second < 0) continue;
      const start = Number.parseInt(line.slice(0, first), 16);
      const size = Number.parseInt(line.slice(first + 1, second), 16);
      ranges.push({ start, end: start + size, name: line.slice(second + 1) });
    }
  } catch {
    return () => undefined;
  }
  // Last writer wins: keep each range's latest definition, in start order.
  const latest = new Map<number, CodeRange>();
  for (const range of ranges) latest.set(range.start, range);
  ranges = [...latest.values()].sort((a, b) => a.start - b.start);
  return (address) => {
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = ranges[middle]!;
      if (address < range.start) high = middle - 1;
      else if (address >= range.end) low = middle + 1;
      else return range.name;
    }
    return undefined;
  };
}

/** A function's name for the table: JIT addresses named from the perf map, V8's tier marks kept. */
export function nameOf(fn: string, jit: (address: number) => string | undefined): string {
  if (!/^0x[0-9a-f]+$/i.test(fn)) return fn;
  return jit(Number.parseInt(fn, 16)) ?? `${fn} (JIT, not in the perf map)`;
}
