/**
 * What both legs of the official suite's runner read from their command line, with the
 * defaults: the spec revision and how its scenarios are chosen, the time bound, the
 * baseline, and where results go.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDirs } from 'mcpwire/transport';
import { readBaseline, type Baseline } from './baseline.ts';
import { ROOT } from './suite.ts';

export interface LegRun {
  revision: string;
  /**
   * How the suite picks the scenarios: `--requirements <revision>` (the frozen list a
   * revision requires, the default) or `--spec-version <revision>` (every active scenario
   * whose window covers it, run at its wire: how the older revisions 2025-06-18 and
   * 2025-03-26, which have no frozen list, are run; with `--suite all`, which the client
   * command needs there, so extension and draft scenarios in that window run too).
   */
  selection: string[];
  /** The suite's `list` arguments that name this run's scenarios ({@link parseScenarioList}). */
  listArgs: string[];
  timeoutMs: number;
  baselineFile: string;
  baseline: Baseline;
  /** `--expected-failures <baselineFile>` for the suite, none when the file does not exist (an older revision's). */
  expectedFailures: string[];
  /** The run's folder (logs); `resultsDir` is the suite's results folder in it, made. */
  out: string;
  resultsDir: string;
}

/** Read `--requirements` or `--spec-version`, `--baseline`, `--out`, `--timeout-ms` for the `leg` runner. */
export async function legRun(leg: 'client' | 'server', args: string[] = process.argv.slice(2)): Promise<LegRun> {
  const { values } = parseArgs({
    args,
    options: { requirements: { type: 'string' }, 'spec-version': { type: 'string' }, baseline: { type: 'string' }, out: { type: 'string' }, 'timeout-ms': { type: 'string' } },
    strict: true,
  });
  if (values.requirements !== undefined && values['spec-version'] !== undefined) {
    throw new Error('--requirements and --spec-version choose the scenarios two ways: give one');
  }
  const byVersion = values['spec-version'] !== undefined;
  const revision = values['spec-version'] ?? values.requirements ?? '2025-11-25';
  const selection = byVersion ? ['--spec-version', revision, '--suite', 'all'] : ['--requirements', revision];
  const listArgs = byVersion ? ['list', `--${leg}`, '--spec-version', revision] : ['list', '--requirements', revision];
  const timeoutMs = Number(values['timeout-ms'] ?? 300_000);
  const baselineFile = values.baseline ?? join(ROOT, 'conformance', 'official', `baseline-${leg}-${revision}.yml`);
  const baseline = readBaseline(baselineFile); // a syntax error should not cost a whole run
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'mcpwire-conformance-'));
  const resultsDir = join(out, leg);
  // Not mkdirSync({ recursive: true }): on Node 20 it loops for ever when an existing parent
  // cannot hold a folder (`--out /proc/self/x`); makeDirs fails with mkdir's error.
  await makeDirs(resultsDir, 0o777).catch((cause: unknown) => {
    throw new Error(`--out ${out}: cannot make ${resultsDir}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  });
  const expectedFailures = existsSync(baselineFile) ? ['--expected-failures', baselineFile] : [];
  return { revision, selection, listArgs, timeoutMs, baselineFile, baseline, expectedFailures, out, resultsDir };
}
