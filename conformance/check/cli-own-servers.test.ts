// `mcpwire check` against our own demo over stdio, whole (the built CLI): no MUST failure, and
// --json / --junit writing what they promise. The fixtures over stdio: cli-own-servers-fixtures;
// over HTTP: cli-own-servers-http (apart, so each file stays well inside the runner's per-file
// bound on a loaded machine). The CLI's other cases: cli.test.ts. Needs `npm run build`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

cli.run();
