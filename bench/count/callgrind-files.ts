/**
 * Reading what one counted run leaves (launch.ts): callgrind's output file (self instructions
 * per function, read directly: no `callgrind_annotate` needed) and V8's perf map
 * (`--perf-basic-prof`), which names the JIT code that callgrind only knows by address.
 */
import { existsSync, readFileSync } from 'node:fs';

/** One run: its total and self instructions by function name. */
export interface CountedRun {
  total: number;
  /** Self instructions by function name (JIT code named from the perf map). */
  self: Map<string, number>;
  /** Where each function was found: an object file's name (`node`, `libc.so.6`), or `JIT`. */
  object: Map<string, string>;
  /** Optimized (TurboFan) compilations: the perf map's `JS:*` entries. */
  optimized: number;
}

/** The files of one run: `<prefix>.callgrind` and `<prefix>.perf.map`. */
export function readCountedRun(prefix: string): CountedRun {
  for (const ending of ['.callgrind', '.perf.map']) {
    if (!existsSync(`${prefix}${ending}`)) throw new Error(`count: no run at ${prefix}: ${prefix}${ending} is missing`);
  }
  const counts = readCallgrind(`${prefix}.callgrind`);
  const map = readPerfMap(readFileSync(`${prefix}.perf.map`, 'utf8'));
  const self = new Map<string, number>();
  const object = new Map<string, string>();
  for (const [key, cost] of counts.self) {
    const [where, fn] = key.split('\0') as [string, string];
    // JIT code is in no object file; an address in one (a library without symbols) stays as it is.
    const jit = where === '???' ? /^0x([0-9a-f]+)$/i.exec(fn) : null;
    const name = jit ? map.nameOf(Number.parseInt(jit[1]!, 16)) ?? `${fn} (JIT, not in the perf map)` : fn;
    self.set(name, (self.get(name) ?? 0) + cost);
    object.set(name, jit ? 'JIT' : baseName(where));
  }
  return { total: counts.total, self, object, optimized: map.optimized };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface CallgrindCounts {
  total: number;
  /** Self instructions by `<object>\0<function>`: an address names a function only in its object. */
  self: Map<string, number>;
}

/**
 * Parse a callgrind output file written with `--dump-instr=no` (costs per line, one event: Ir).
 * A cost line right after `calls=` is the callee's inclusive cost, not the caller's own, so it
 * is skipped; every other cost line adds to the current `fn`. A recursion level's mark (`'2`,
 * callgrind's `--separate-recs`) is dropped: one function either way.
 */
function readCallgrind(path: string): CallgrindCounts {
  const names = new Map<string, string>();
  const objects = new Map<string, string>();
  const self = new Map<string, number>();
  let fn = '???\0?';
  let object = '???';
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
      fn = `${object}\0${compressedName(names, line.slice(3)).replace(/'\d+$/, '')}`;
    }
    // Callee lines define compressed names too, without changing whose cost follows.
    else if (line.startsWith('cfn=')) compressedName(names, line.slice(4));
    else if (line.startsWith('cob=')) compressedName(objects, line.slice(4));
    else if (line.startsWith('calls=')) afterCalls = true;
  }
  if (total === 0) throw new Error(`count: no instruction counts in ${path}`);
  return { total, self };
}

/** `(id) name` defines a name, `(id)` reuses it (callgrind's name compression). */
function compressedName(names: Map<string, string>, text: string): string {
  const match = /^\((\d+)\)(?: (.*))?$/.exec(text);
  if (!match) return text;
  const [, id, name] = match as unknown as [string, string, string | undefined];
  if (name !== undefined) names.set(id, name);
  return names.get(id) ?? text;
}

interface CodeRange {
  start: number;
  end: number;
  name: string;
  /** The line's place in the map: code space is reused, so the latest range holding an address names it. */
  order: number;
}

/** V8's perf map: `start size name` in hex, one line per code object as it is made. */
function readPerfMap(text: string): { nameOf: (address: number) => string | undefined; optimized: number } {
  const ranges: CodeRange[] = [];
  let optimized = 0;
  let longest = 0;
  for (const line of text.split('\n')) {
    const first = line.indexOf(' ');
    const second = line.indexOf(' ', first + 1);
    if (first < 0 || second < 0) continue;
    const start = Number.parseInt(line.slice(0, first), 16);
    const size = Number.parseInt(line.slice(first + 1, second), 16);
    const name = shortName(line.slice(second + 1));
    if (name.startsWith('JS:*')) optimized += 1;
    longest = Math.max(longest, size);
    ranges.push({ start, end: start + size, name, order: ranges.length });
  }
  ranges.sort((a, b) => a.start - b.start || a.order - b.order);
  const nameOf = (address: number): string | undefined => {
    // The last range starting at or before the address, then back over every range that could
    // still reach it (none is longer than `longest`), keeping the latest written that does.
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (ranges[middle]!.start <= address) low = middle + 1;
      else high = middle - 1;
    }
    let found: CodeRange | undefined;
    for (let i = high; i >= 0 && ranges[i]!.start + longest > address; i--) {
      const range = ranges[i]!;
      if (address < range.end && (found === undefined || range.order > found.order)) found = range;
    }
    return found?.name;
  };
  return { nameOf, optimized };
}

/**
 * A JIT function's name without what differs between checkouts: the path before `dist/`,
 * `node_modules/` or `.bench-build/` in its `file://` URL, so that two builds' runs compare by
 * name. V8's tier mark stays (`*` optimized, `^` baseline, `~` interpreted).
 */
function shortName(name: string): string {
  return name.replace(/file:\/\/\S*?\/(dist|node_modules|\.bench-build)\//g, '$1/');
}
