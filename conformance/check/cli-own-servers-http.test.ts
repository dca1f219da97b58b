// `mcpwire check` against our own servers over HTTP, whole (the built CLI): the agents and the
// fixtures, both eras, each with no MUST failure. Over stdio: cli-own-servers.test.ts. Needs `npm run build`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServe, stopped } from '../../test/serve-process.ts';
import { runCheck as run } from '../../test/support/check-cli.ts';

const cli = suite('mcpwire check (CLI): our own servers over HTTP');

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
