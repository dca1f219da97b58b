/**
 * The counter's printed tables: one result by kind of work, by where, by function, and the
 * per-function difference of two results.
 */
import { COMPILING, groupOf, kindOf, type CallsPerCall, type PerCall } from './per-call.ts';

/** A count rounded, with thousands separators. */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Largest magnitudes first: a negative row (one run's late compile) matters as much. */
function largestFirst(rows: Iterable<[string, number]>): Array<[string, number]> {
  return [...rows].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
}

function row(cost: number, name: string): string {
  return `${fmt(cost).padStart(10)}  ${name.slice(0, 160)}`;
}

/** The lines of one result: by kind, the total without compiling, by where, the top functions. */
export function resultLines(result: PerCall, top: number): string[] {
  const groups = new Map<string, number>();
  const kinds = new Map<string, number>();
  for (const [name, cost] of result.byName) {
    const object = result.object.get(name) ?? '?';
    const group = groupOf(name, object);
    const kind = kindOf(name, object);
    groups.set(group, (groups.get(group) ?? 0) + cost);
    kinds.set(kind, (kinds.get(kind) ?? 0) + cost);
  }
  const lines = ['', 'by kind:'];
  for (const [kind, cost] of largestFirst(kinds)) lines.push(row(cost, kind));
  // A function V8 compiles late lands in one run's window and not the other's: a one-off cost
  // that moves the total by a thousand or more, so the total without it is shown too.
  lines.push(row(result.total - (kinds.get(COMPILING) ?? 0), `total without ${COMPILING}`));
  lines.push('', 'by where:');
  for (const [group, cost] of largestFirst(groups)) if (Math.abs(cost) >= 0.5) lines.push(row(cost, group));
  lines.push('', `by function (self, the ${top} largest):`);
  for (const [name, cost] of largestFirst(result.byName).slice(0, top)) lines.push(row(cost, name));
  return lines;
}

/** The lines of `a` minus `b` per function, the largest `top` differences. */
export function differenceLines(rows: Iterable<[string, number]>, top: number): string[] {
  return largestFirst(rows).slice(0, top).map(([name, cost]) => row(cost, name));
}

/** Every function's cost a call, one a line, for the kept files (`<cost>\t<name>`). */
export function allRows(result: PerCall): string {
  return largestFirst(result.byName).filter(([, cost]) => cost !== 0).map(([name, cost]) => `${cost.toFixed(1)}\t${name}`).join('\n') + '\n';
}

/**
 * `--callers` (or `--callees`): per function named, its calls a call and their inclusive
 * instructions, then each caller (callee) largest first, the `top` largest.
 */
export function callLines(rows: readonly CallsPerCall[], side: 'callers' | 'callees', top: number): string[] {
  const byFunction = new Map<string, CallsPerCall[]>();
  for (const row of rows) {
    const named = side === 'callers' ? row.callee : row.caller;
    byFunction.set(named, [...byFunction.get(named) ?? [], row]);
  }
  const sum = (list: readonly CallsPerCall[], pick: (row: CallsPerCall) => number) => list.reduce((total, row) => total + pick(row), 0);
  const lines: string[] = [];
  const functions = [...byFunction].sort((a, b) => Math.abs(sum(b[1], (r) => r.inclusive)) - Math.abs(sum(a[1], (r) => r.inclusive)));
  for (const [named, list] of functions) {
    lines.push('', `${named}: ${sum(list, (r) => r.calls).toFixed(2)} calls, ${fmt(sum(list, (r) => r.inclusive))} instructions (inclusive) a call; ${side}:`);
    lines.push(`${'calls'.padStart(8)}  ${'inclusive'.padStart(10)}`);
    for (const row of [...list].sort((a, b) => Math.abs(b.inclusive) - Math.abs(a.inclusive)).slice(0, top)) {
      lines.push(`${row.calls.toFixed(2).padStart(8)}  ${fmt(row.inclusive).padStart(10)}  ${(side === 'callers' ? row.caller : row.callee).slice(0, 160)}`);
    }
  }
  return lines;
}
