// `mcpwire check --client`'s capability gating judges against what the scripted server
// declares: it declares tools and logging (its check_progress logs), so a client that sets
// its log level after seeing `logging` keeps the rule. The check said "declares only tools"
// and failed such a client (mcpwire's own host) with a MUST.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientCheck } from './client-check.ts';

const bin = fileURLToPath(new URL('../../bin/mcpwire.js', import.meta.url));
const gating = suite('check --client: capability gating follows the scripted server\'s declaration');

gating('mcpwire host (logging/setLevel after the server declared logging) keeps client.capability-gating', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-check-gating-'));
  try {
    const report = await runClientCheck({ command: [process.execPath, bin, 'host', '--url', '{url}', '--state', dir, '--exec', 'list'], timeoutMs: 60_000 });
    const finding = report.findings.find((f) => f.id === 'client.capability-gating');
    assert.is(finding?.outcome, 'pass', JSON.stringify(report.findings.filter((f) => f.outcome === 'fail')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

gating.run();
