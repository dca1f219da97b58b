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
  /** Calls by caller and callee (key `<caller>\0<callee>`, names as in `self`), for `--callers`. */
  calls: Map<string, CallEdge>;
}

/** The calls one function made to another in a run, and their inclusive instructions. */
export interface CallEdge {
  calls: number;
  inclusive: number;
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
  const names = new Map<string, string>();
  /** The name of `<object>\0<function>`: JIT addresses named from the perf map. */
  const nameOf = (key: string): string => {
    let name = names.get(key);
    if (name !== undefined) return name;
    const [where, fn] = key.split('\0') as [string, string];
    // JIT code is in no object file; an address in one (a library without symbols) stays as it is.
    const jit = where === '???' ? /^0x([0-9a-f]+)$/i.exec(fn) : null;
    name = jit ? map.nameOf(Number.parseInt(jit[1]!, 16)) ?? `${fn} (JIT, not in the perf map)` : fn;
    names.set(key, name);
    object.set(name, jit ? 'JIT' : baseName(where));
    return name;
  };
  for (const [key, cost] of counts.self) {
    const name = nameOf(key);
    self.set(name, (self.get(name) ?? 0) + cost);
  }
  const calls = new Map<string, CallEdge>();
  for (const [key, edge] of counts.calls) {
    const [caller, callee] = key.split('\x01') as [string, string];
    // Two addresses of one JIT function (or two recursion levels) are one caller or callee.
    const named = `${nameOf(caller)}\0${nameOf(callee)}`;
    const sum = calls.get(named);
    if (sum) {
      sum.calls += edge.calls;
      sum.inclusive += edge.inclusive;
    } else calls.set(named, { ...edge });
  }
  return { total: counts.total, self, object, optimized: map.optimized, calls };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface CallgrindCounts {
  total: number;
  /** Self instructions by `<object>\0<function>`: an address names a function only in its object. */
  self: Map<string, number>;
  /** Calls by `<caller>\x01<callee>`, each `<object>\0<function>`. */
  calls: Map<string, CallEdge>;
}

/**
 * Parse a callgrind output file written with `--dump-instr=no` (costs per line, one event: Ir).
 * A cost line right after `calls=` is the callee's inclusive cost, not the caller's own: it is
 * kept as the call's (`cfn=` names the callee, `cob=` its object, the caller's when not given)
 * and not added to the current `fn`, which every other cost line adds to. A recursion level's
 * mark (`'2`, callgrind's `--separate-recs`) is dropped: one function either way.
 */
function readCallgrind(path: string): CallgrindCounts {
  const names = new Map<string, string>();
  const objects = new Map<string, string>();
  const self = new Map<string, number>();
  const calls = new Map<string, CallEdge>();
  let fn = '???\0?';
  let object = '???';
  let calleeName = '?';
  let calleeObject: string | undefined;
  /** The `calls=` count whose inclusive cost the next cost line is, or -1. */
  let callCount = -1;
  let total = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const head = line.charCodeAt(0);
    // A cost line starts with a position: a digit, '+', '-' or '*'.
    if ((head >= 0x30 && head <= 0x39) || head === 0x2b || head === 0x2d || head === 0x2a) {
      const cost = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (callCount >= 0) {
        const key = `${fn}\x01${calleeObject ?? object}\0${calleeName}`;
        const edge = calls.get(key);
        const inclusive = Number.isFinite(cost) ? cost : 0;
        if (edge) {
          edge.calls += callCount;
          edge.inclusive += inclusive;
        } else calls.set(key, { calls: callCount, inclusive });
        callCount = -1;
        calleeObject = undefined;
        continue;
      }
      if (!Number.isFinite(cost)) continue;
      self.set(fn, (self.get(fn) ?? 0) + cost);
      total += cost;
      continue;
    }
    if (line.startsWith('ob=')) object = compressedName(objects, line.slice(3));
    else if (line.startsWith('fn=')) {
      fn = `${object}\0${compressedName(names, line.slice(3)).replace(/'\d+$/, '')}`;
    }
    // Callee lines name the next call's callee, without changing whose cost follows.
    else if (line.startsWith('cfn=')) calleeName = compressedName(names, line.slice(4)).replace(/'\d+$/, '');
    else if (line.startsWith('cob=')) calleeObject = compressedName(objects, line.slice(4));
    else if (line.startsWith('calls=')) callCount = Number.parseInt(line.slice(6), 10) || 0;
  }
  if (total === 0) throw new Error(`count: no instruction counts in ${path}`);
  return { total, self, calls };
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
