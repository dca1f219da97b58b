/**
 * `npm run conformance:official`: both legs of the official conformance suite for one
 * revision (default 2025-11-25, plus both 2026-07-28 legs and both legs of the older
 * revisions 2025-06-18 and 2025-03-26), one after the other: run-server.ts (the suite against our
 * fixture server) and run-client.ts (the suite's mocks against our client). A client leg starts
 * every scenario's client at once (up to 39 Node processes); with four legs at once on 2 cores,
 * clients starved for tens of seconds and a scenario now and then timed out, so the legs take
 * turns (about 3 minutes in all instead of 1). Each leg's report
 * is printed whole, server first; the last line adds them up: "N passed, M failed". Exit 1
 * when either leg fails (a regression, a stale baseline entry, a missing result...).
 *
 * Usage (after `npm run build`):
 *   node --import tsx conformance/official/run-all.ts [--requirements 2025-11-25] [--out DIR]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
/** The stateless revision whose server leg joins the default run. */
const MODERN = '2026-07-28';
/**
 * Older revisions with no frozen list of their own: both legs run every scenario whose
 * window covers them (`--spec-version`), at their wire, in the default run (under a minute).
 */
const OLDER = ['2025-06-18', '2025-03-26'];

interface LegResult {
  name: string;
  code: number | null;
  output: string;
  ms: number;
}

/** Run one leg's script to completion, collecting its output. */
function runLeg(name: string, script: string, args: string[]): Promise<LegResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ name, code: null, output: `${output}\ncould not start ${script}: ${error.message}\n`, ms: Date.now() - started }));
    child.once('close', (code) => resolve({ name, code, output, ms: Date.now() - started }));
  });
}

/** The counts of a leg's closing "N passed, M failed" line, or undefined when it has none. */
function closingCounts(output: string): { passed: number; failed: number } | undefined {
  const last = output.trimEnd().split('\n').at(-1) ?? '';
  const m = /^(\d+) passed, (\d+) failed$/.exec(last.trim());
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { requirements: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const revision = values.requirements ?? '2025-11-25';
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'mcpwire-conformance-'));
  const plan: Array<[string, string, string[]]> = [
    ['server', 'run-server.ts', ['--requirements', revision, '--out', join(out, 'server-leg')]],
    ['client', 'run-client.ts', ['--requirements', revision, '--out', join(out, 'client-leg')]],
    // By default both 2026-07-28 legs run too, each with its own baseline file.
    ...(values.requirements === undefined
      ? [
        [`server ${MODERN}`, 'run-server.ts', ['--requirements', MODERN, '--out', join(out, `server-leg-${MODERN}`)]],
        [`client ${MODERN}`, 'run-client.ts', ['--requirements', MODERN, '--out', join(out, `client-leg-${MODERN}`)]],
        ...OLDER.flatMap((r): Array<[string, string, string[]]> => [
          [`server ${r}`, 'run-server.ts', ['--spec-version', r, '--out', join(out, `server-leg-${r}`)]],
          [`client ${r}`, 'run-client.ts', ['--spec-version', r, '--out', join(out, `client-leg-${r}`)]],
        ]),
      ] as Array<[string, string, string[]]>
      : []),
  ];
  const legs: LegResult[] = [];
  for (const [name, script, args] of plan) legs.push(await runLeg(name, script, args));
  let passed = 0;
  let failed = 0;
  let exit = 0;
  for (const leg of legs) {
    process.stdout.write(`===== ${leg.name} leg (${(leg.ms / 1000).toFixed(1)} s, exit ${leg.code ?? 'killed'}) =====\n${leg.output.trimEnd()}\n\n`);
    const counts = closingCounts(leg.output);
    if (!counts) failed++; // a leg that did not finish its report counts as one failure
    else {
      passed += counts.passed;
      failed += counts.failed;
    }
    if (leg.code !== 0 || !counts) exit = 1;
  }
  process.stdout.write(`official conformance ${revision}: ${legs.map((l) => `${l.name} leg ${l.code === 0 ? 'ok' : 'FAILED'}`).join(', ')}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return exit;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stdout.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n0 passed, 1 failed\n`);
  process.exitCode = 1;
});
