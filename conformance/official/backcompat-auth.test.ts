// The official suite's 2025-03-26 authorization scenarios against our client (run `npm run
// build` first). No `--requirements` list holds them (the suite freezes only 2025-11-25 and
// 2026-07-28), so the legs of run-all.ts never ran them: the client refused a server without
// protected resource metadata until it learned 2025-03-26 discovery (client/auth/discovery.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults, runSuite, scenarioOutputTail, tally } from './suite.ts';

const SCENARIOS = ['auth/2025-03-26-oauth-metadata-backcompat', 'auth/2025-03-26-oauth-endpoint-fallback'];

const backcompat = suite('official suite, 2025-03-26 authorization against our client');

for (const scenario of SCENARIOS) {
  backcompat(scenario, async () => {
    const out = mkdtempSync(join(tmpdir(), 'mcpwire-backcompat-'));
    try {
      const node = process.execPath.includes(' ') ? 'node' : process.execPath;
      const code = await runSuite({
        args: ['client', '--command', `${node} bin/mcpwire.js conformance-client`, '--scenario', scenario, '-o', join(out, 'results'), '--timeout', '30000'],
        logFile: join(out, 'suite.txt'),
        timeoutMs: 90_000,
      });
      const results = readResults(join(out, 'results'), '');
      const t = tally(results);
      const why = scenarioOutputTail(join(out, 'results'), scenario).join('\n');
      assert.is(results.length, 1, `one result for ${scenario}, got ${results.map((r) => r.scenario).join(', ') || 'none'}`);
      assert.is(t.failed + t.warnings, 0, `${t.failed} failed, ${t.warnings} warnings\n${JSON.stringify(results[0]?.checks.filter((c) => c.status !== 'SUCCESS'), null, 1)}\n${why}`);
      assert.ok(t.passed >= 3, `${t.passed} checks passed`);
      assert.is(code, 0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

backcompat.run();
