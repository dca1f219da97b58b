/**
 * What both legs of the official suite's runner read from their command line, with the
 * defaults: the spec revision, the time bound, the baseline, and where results go.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDirs } from 'mcpwire/transport';
import { readBaseline, type Baseline } from './baseline.ts';
import { ROOT } from './suite.ts';

export interface LegRun {
  revision: string;
  timeoutMs: number;
  baselineFile: string;
  baseline: Baseline;
  /** The run's folder (logs); `resultsDir` is the suite's results folder in it, made. */
  out: string;
  resultsDir: string;
}

/** Read `--requirements`, `--baseline`, `--out`, `--timeout-ms` for the `leg` runner. */
export async function legRun(leg: 'client' | 'server', args: string[] = process.argv.slice(2)): Promise<LegRun> {
  const { values } = parseArgs({
    args,
    options: { requirements: { type: 'string' }, baseline: { type: 'string' }, out: { type: 'string' }, 'timeout-ms': { type: 'string' } },
    strict: true,
  });
  const revision = values.requirements ?? '2025-11-25';
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
  return { revision, timeoutMs, baselineFile, baseline, out, resultsDir };
}
