/**
 * Baselines of expected failures for the official conformance suite, in the file format the
 * suite reads with `--expected-failures` (one file per revision and leg):
 *
 *   # why this file exists
 *   server:
 *     - scenario-name            # why the whole scenario fails
 *     - scenario-name:check-id   # why this one check fails
 *
 * `server: []` (or no entries) is the goal. Only this subset of YAML is read here; every
 * entry must carry a comment saying why, on its line or on the comment line above it.
 */
import { readFileSync } from 'node:fs';

/** A baseline entry: a whole scenario, or one check of it. */
export interface BaselineEntry {
  readonly scenario: string;
  readonly checkId: string | undefined;
  readonly text: string;
}

/** The entries of each leg. */
export interface Baseline {
  readonly server: BaselineEntry[];
  readonly client: BaselineEntry[];
}

/** One scenario's outcome: its checks as the suite recorded them. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly checks: ReadonlyArray<{ id: string; status: string; errorMessage?: string }>;
}

/** What a run means against the baseline. */
export interface Judgement {
  /** FAILURE/WARNING checks no entry covers (`scenario:check-id`). */
  readonly regressions: string[];
  /** Entries whose scenario or check now passes. */
  readonly stale: string[];
  /** Failures the baseline expected. */
  readonly expected: string[];
}

const KEY = /^(server|client):\s*(\[\s*\])?\s*(?:#.*)?$/;
const ITEM = /^\s+-\s+([A-Za-z0-9_./-]+(?::[A-Za-z0-9_.$/-]+)?)\s*(#\s*\S.*)?$/;

/** Parse baseline text; throws naming the line for anything outside the supported subset. */
export function parseBaseline(text: string, file = 'baseline'): Baseline {
  const legs: Record<'server' | 'client', BaselineEntry[]> = { server: [], client: [] };
  let leg: 'server' | 'client' | undefined;
  let commentAbove = false;
  text.split(/\r?\n/).forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (line.trim() === '') { commentAbove = false; return; }
    if (/^\s*#/.test(line)) { commentAbove = true; return; }
    const key = KEY.exec(line);
    if (key) {
      leg = key[1] as 'server' | 'client';
      commentAbove = false;
      return;
    }
    const item = ITEM.exec(line);
    if (!item || !leg) throw new Error(`${where}: expected "server:", "client:" or "  - scenario[:check-id]  # why"; got ${JSON.stringify(line)}`);
    if (!item[2] && !commentAbove) throw new Error(`${where}: entry ${item[1]} needs a comment saying why it is expected to fail`);
    const [scenario, checkId] = (item[1] as string).split(':') as [string, string | undefined];
    legs[leg].push({ scenario, checkId, text: item[1] as string });
    commentAbove = false;
  });
  return legs;
}

/** Read a baseline file; a missing file is an empty baseline. */
export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { server: [], client: [] };
    throw error;
  }
  return parseBaseline(text, path);
}

const failing = (status: string) => status === 'FAILURE' || status === 'WARNING';

/**
 * Compare results with baseline entries, as the suite does, but over every scenario that ran
 * (scored or not) and counting WARNING as failing: our goal is zero of both everywhere.
 */
export function judge(results: readonly ScenarioResult[], entries: readonly BaselineEntry[]): Judgement {
  const regressions: string[] = [];
  const stale: string[] = [];
  const expected: string[] = [];
  const byScenario = new Map(results.map((r) => [r.scenario, r]));
  for (const result of results) {
    const whole = entries.some((e) => e.scenario === result.scenario && e.checkId === undefined);
    const perCheck = new Set(entries.filter((e) => e.scenario === result.scenario && e.checkId !== undefined).map((e) => e.checkId));
    for (const check of result.checks.filter((c) => failing(c.status))) {
      const name = `${result.scenario}:${check.id}`;
      (whole || perCheck.has(check.id) ? expected : regressions).push(name);
    }
  }
  for (const entry of entries) {
    const result = byScenario.get(entry.scenario);
    if (!result) {
      stale.push(`${entry.text} (scenario did not run)`);
      continue;
    }
    const relevant = entry.checkId === undefined ? result.checks : result.checks.filter((c) => c.id === entry.checkId);
    if (!relevant.some((c) => failing(c.status))) stale.push(entry.text);
  }
  return { regressions, stale, expected };
}
