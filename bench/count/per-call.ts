/**
 * Two counted runs made into instructions a call: the longer run minus the shorter, over the
 * calls between them (start-up, warm-up and exit cancel), with what is no part of a call set
 * apart, and each function sorted by kind of work and by where it lives for the summary.
 */
import type { CountedRun } from './callgrind-files.ts';

/** Instructions a call, in total and by function. */
export interface PerCall {
  total: number;
  /** V8's hash seed's share, set aside from `total` and `byName` (see {@link START_UP_NOISE}). */
  noise: number;
  byName: Map<string, number>;
  /** Where each function lives (see {@link CountedRun.object}). */
  object: Map<string, string>;
}

/**
 * V8's hash seed, drawn at start-up by a prime search of random length (millions of
 * instructions that differ between identical runs, -1,400 to +2,500 a call over 4,000 calls in
 * session 32): no part of a call, so set aside.
 */
const START_UP_NOISE = /HashSeed::|detail::sprp/;

/** `more` minus `fewer` over `calls`, the start-up noise set aside. */
export function perCall(fewer: CountedRun, more: CountedRun, calls: number): PerCall {
  const byName = new Map<string, number>();
  let noise = 0;
  for (const name of new Set([...fewer.self.keys(), ...more.self.keys()])) {
    const cost = ((more.self.get(name) ?? 0) - (fewer.self.get(name) ?? 0)) / calls;
    if (START_UP_NOISE.test(name)) noise += cost;
    else byName.set(name, cost);
  }
  return { total: (more.total - fewer.total) / calls - noise, noise, byName, object: new Map([...fewer.object, ...more.object]) };
}

/** The mean of several repeats' results (one is returned as it is). */
export function meanOf(results: readonly PerCall[]): PerCall {
  if (results.length === 1) return results[0]!;
  const byName = new Map<string, number>();
  for (const result of results) {
    for (const [name, cost] of result.byName) byName.set(name, (byName.get(name) ?? 0) + cost / results.length);
  }
  const mean = (pick: (r: PerCall) => number) => results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  return { total: mean((r) => r.total), noise: mean((r) => r.noise), byName, object: new Map(results.flatMap((r) => [...r.object])) };
}

/** `a` minus `b` per function; JIT code only where both have it (a JIT name is one build's). */
export function differenceOf(a: PerCall, b: PerCall): Array<[string, number]> {
  return [...new Set([...a.byName.keys(), ...b.byName.keys()])]
    .filter((name) => a.object.get(name) !== 'JIT' || b.byName.has(name))
    .map((name): [string, number] => [name, (a.byName.get(name) ?? 0) - (b.byName.get(name) ?? 0)])
    .filter(([, cost]) => cost !== 0);
}

/** The kind for compiling: a function TurboFan compiles late lands in one run's window only. */
export const COMPILING = 'compiling and parsing';

/** What kind of work a function is, read from its name (a rough cut, for the summary). */
export function kindOf(name: string, object: string): string {
  if (object === 'JIT') return name.startsWith('JS:') ? 'JIT-compiled JS' : 'builtins (interpreter, ICs, stubs)';
  if (object !== 'node') return 'libc and other libraries';
  if (name.startsWith('Builtins_')) return 'builtins (interpreter, ICs, stubs)';
  if (/Json(Parser|Stringifier)/.test(name)) return 'JSON.parse and JSON.stringify';
  if (/v8::internal::(compiler|maglev|baseline)::|Turbofan|Pipeline|Parser|Scanner|AstValue|Compiler|BytecodeGenerator/.test(name)) return COMPILING;
  if (/Heap|Scaveng|MarkCompact|Marking|Sweep|Evacuat|GC|ObjectCache|RootVisitor|Root.*Visitor|Space::|Page::|Remembered|Slot/.test(name)) return 'GC';
  if (name.startsWith('v8::') || name.includes(' v8::')) return 'V8 runtime (C++)';
  return 'node, libuv and the rest of the executable';
}

/** Where a function lives, for the summary: a JIT script (by file), or an object file. */
export function groupOf(name: string, object: string): string {
  if (object !== 'JIT') return object;
  const file = /((?:file:\/\/|dist\/|node_modules\/|\.bench-build\/|node:)\S+)/.exec(name)?.[1];
  if (!file) return name.startsWith('Builtin:') || name.startsWith('BytecodeHandler:') ? 'V8 builtins (JIT map)' : 'JIT (other)';
  return file.replace(/:\d+(:\d+)?$/, '');
}

/** Calls from one function to another, a call of the workload. */
export interface CallsPerCall {
  caller: string;
  callee: string;
  /** How many times the caller called the callee. */
  calls: number;
  /** The instructions of those calls, the callee's callees included. */
  inclusive: number;
}

/**
 * Every call into a function whose name contains `part` (`--callers`), or out of one
 * (`--callees`): `more` minus `fewer` over `calls`, as {@link perCall}. Rows that cancel are
 * left out.
 */
export function callsPerCall(fewer: CountedRun, more: CountedRun, calls: number, part: string, side: 'callers' | 'callees'): CallsPerCall[] {
  const rows: CallsPerCall[] = [];
  for (const key of new Set([...fewer.calls.keys(), ...more.calls.keys()])) {
    const [caller, callee] = key.split('\0') as [string, string];
    if (!(side === 'callers' ? callee : caller).includes(part)) continue;
    const [a, b] = [fewer.calls.get(key), more.calls.get(key)];
    const row = {
      caller,
      callee,
      calls: ((b?.calls ?? 0) - (a?.calls ?? 0)) / calls,
      inclusive: ((b?.inclusive ?? 0) - (a?.inclusive ?? 0)) / calls,
    };
    if (row.calls !== 0 || row.inclusive !== 0) rows.push(row);
  }
  return rows;
}
