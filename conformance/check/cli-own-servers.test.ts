// `mcpwire check` against our own servers, whole (the built CLI): the demo and the fixtures over
// stdio, the agents and the fixtures over HTTP in both eras, each with no MUST failure, and
// --json / --junit writing what they promise. The CLI's other cases: cli.test.ts. Needs `npm run build`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, stopped } from '../../test/serve-process.ts';
import { mcpwireBin as bin, runCheck as run } from '../../test/support/check-cli.ts';

const cli = suite('mcpwire check (CLI): our own servers');

cli('the demo over stdio: exit 0, JSON report and JUnit file agree', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-check-'));
  try {
    const junit = join(dir, 'report.xml');
    const { code, stdout } = await run(['--json', '--junit', junit, '--', process.execPath, bin, 'serve', '--stdio']);
    const report = JSON.parse(stdout) as { eras: string[]; summary: { passed: boolean; counts: { MUST: { pass: number } } }; findings: { id: string; outcome: string }[] };
    assert.is(code, 0, stdout);
    assert.ok(report.summary.passed);
    assert.equal([...report.eras].sort(), ['2025-11-25', '2026-07-28']);
    assert.ok(report.findings.some((f) => f.id === 'modern.removed-methods' && f.outcome === 'pass'));
    assert.ok(report.findings.some((f) => f.id === 'stdio.stdout-messages' && f.outcome === 'pass'));
    const xml = await readFile(junit, 'utf8');
    assert.match(xml, new RegExp(`tests="${report.findings.length}"`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

cli('the fixtures over stdio with --allow-destructive: no MUST failure', async () => {
  const { code, stdout } = await run(['--allow-destructive', '--', process.execPath, bin, 'serve', '--stdio', '--fixtures']);
  assert.is(code, 0, stdout);
  assert.match(stdout, /result: no MUST failure/);
});

for (const flavour of ['--agents', '--fixtures']) {
  cli(`serve --http ${flavour}: both eras, no MUST failure`, async () => {
    const served = await startServe([flavour, ...(flavour === '--agents' ? ['--step-ms', '0'] : [])]);
    try {
      const { code, stdout } = await run(['--allow-destructive', '--json', served.url]);
      const report = JSON.parse(stdout) as { eras: string[]; findings: { id: string; severity: string; outcome: string; detail: string }[] };
      const must = report.findings.filter((f) => f.severity === 'MUST' && f.outcome === 'fail').map((f) => `${f.id}: ${f.detail}`);
      assert.equal(must, []);
      assert.is(code, 0);
      assert.equal([...report.eras].sort(), ['2025-11-25', '2026-07-28']);
    } finally {
      await stopped(served.child, 'SIGTERM');
    }
  });
}

cli.run();
