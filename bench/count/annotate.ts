/**
 * Reading the instruction counter's runs (run.ts): `callgrind_annotate --inclusive=no`
 * output, its bare addresses (V8's JIT code has no symbols) named from the run's perf map,
 * and the per-call difference of two runs.
 */

/** One run: its total and self instructions by function name. */
export interface CountedRun {
  total: number;
  byName: Map<string, number>;
  /** Optimized (Turbofan) compilations: the perf map's `JS:*` entries. */
  optimized: number;
}

/** A function's per-call difference between two runs. */
export interface DiffRow {
  name: string;
  perCall: number;
}

interface MapEntry { start: number; end: number; name: string }

/** The perf map's entries (`<start hex> <size hex> <name>`), in the order V8 wrote them. */
function readPerfMap(text: string): MapEntry[] {
  const entries: MapEntry[] = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf(' ');
    const second = line.indexOf(' ', first + 1);
    if (first === -1 || second === -1) continue;
    const start = Number.parseInt(line.slice(0, first), 16);
    entries.push({ start, end: start + Number.parseInt(line.slice(first + 1, second), 16), name: line.slice(second + 1) });
  }
  return entries;
}

/**
 * A JIT function's name without what differs between runs: the checkout's path in its
 * `file://` URL. The tier mark stays (`*` optimized, `^` baseline, `~` interpreted).
 */
function shortName(name: string): string {
  return name.replace(/file:\/\/\S*?\/(dist|node_modules|\.bench-build)\//g, '$1/');
}

/** A bare address's name: the last-written perf map entry holding it (code space is reused). */
function nameOfAddress(address: number, entries: readonly MapEntry[]): string | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (address >= e.start && address < e.end) return shortName(e.name);
  }
  return undefined;
}

const ROW = /^\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$/;

/** Parse `callgrind_annotate --inclusive=no` text, naming JIT addresses from `perfMap`. */
export function readRun(annotated: string, perfMap: string): CountedRun {
  const entries = readPerfMap(perfMap);
  const byName = new Map<string, number>();
  let total = 0;
  for (const line of annotated.split('\n')) {
    const match = ROW.exec(line);
    if (!match) continue;
    const count = Number(match[1]!.replaceAll(',', ''));
    let name = match[2]!;
    if (name === 'PROGRAM TOTALS') {
      total = count;
      continue;
    }
    // `'2` marks a recursion level (callgrind's --separate-recs): one function either way.
    name = name.replace(/'\d+( |$)/, '$1');
    const address = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(name);
    if (address) name = nameOfAddress(Number.parseInt(address[1]!, 16), entries) ?? 'unnamed JIT code';
    else name = name.replace(/ \[[^\]]*\]$/, '').replace(/^\?\?\?:/, '');
    byName.set(name, (byName.get(name) ?? 0) + count);
  }
  if (total === 0) throw new Error('count: no PROGRAM TOTALS in the callgrind annotation');
  const optimized = entries.filter((e) => e.name.startsWith('JS:*')).length;
  return { total, byName, optimized };
}

/** `more` minus `fewer`, divided by the calls between them; largest differences first. */
export function diffRuns(fewer: CountedRun, more: CountedRun, calls: number): { total: number; rows: DiffRow[] } {
  const names = new Set([...fewer.byName.keys(), ...more.byName.keys()]);
  const rows: DiffRow[] = [];
  for (const name of names) {
    const perCall = ((more.byName.get(name) ?? 0) - (fewer.byName.get(name) ?? 0)) / calls;
    if (perCall !== 0) rows.push({ name, perCall });
  }
  rows.sort((a, b) => Math.abs(b.perCall) - Math.abs(a.perCall));
  return { total: (more.total - fewer.total) / calls, rows };
}
