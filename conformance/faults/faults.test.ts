// Proof that `mcpwire check` finds defects: each deliberately broken server is reported with
// exactly its seeded rule (no other MUST or SHOULD failure), and the unbroken one with none.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../check/runner.ts';
import { FAULTS, startFaultServer, type Fault } from './servers.ts';
import { PROTOCOL_FAULTS } from './servers-protocol.ts';
import { MODERN_FAULTS } from './servers-modern.ts';

const faults = suite('check finds each seeded fault');

/** The failed MUST and SHOULD rules (with details), and the listen-filter passes. */
async function checked(fault: Fault | undefined): Promise<{ failed: string[]; listenPasses: string[] }> {
  const running = await startFaultServer(fault);
  try {
    // `touch` changes both notes while the listen is open: listen-widened shows only then.
    const report = await runCheck({ target: { kind: 'http', url: running.url, headers: {} }, timeoutMs: 5_000, listenTrigger: 'touch' });
    const failed = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info');
    const listenPasses = report.findings.filter((f) => f.id === 'modern.listen-filter' && f.outcome === 'pass').map((f) => f.detail);
    return { failed: [...new Set(failed.map((f) => `${f.id}: ${f.detail}`))], listenPasses };
  } finally {
    await running.close();
  }
}
const failedRules = async (fault: Fault | undefined) => (await checked(fault)).failed;

faults('the unbroken server fails no MUST or SHOULD rule; its listen, asking a resource, heard the trigger\'s change to it', async () => {
  const { failed, listenPasses } = await checked(undefined);
  assert.equal(failed, []);
  assert.equal(listenPasses.length, 1);
  assert.match(listenPasses[0]!, /"resourceSubscriptions":\["fault:\/\/notes\/readme"\]/);
  assert.match(listenPasses[0]!, /the trigger tool touch was called \(answered\), then 1 notification\(s\) came/);
});

faults('a server that refuses a listen naming a resource is asked again without it, and judged, not skipped', async () => {
  // Not a defect: a server may refuse a filter it cannot honour. The kinds alone are still checked.
  const refusing: Fault = {
    name: 'listen-refuses-uris', defect: '(none)', expect: 'modern.listen-filter',
    wrap: (inner) => async (r) => {
      const text = r.method === 'POST' ? await r.clone().text() : '';
      if (!text.includes('"subscriptions/listen"') || !text.includes('resourceSubscriptions')) return inner(r);
      const id = (JSON.parse(text) as { id: unknown }).id;
      return Response.json({ jsonrpc: '2.0', id, error: { code: -32602, message: 'resource subscriptions are not offered' } });
    },
  };
  const { failed, listenPasses } = await checked(refusing);
  assert.equal(failed, []);
  assert.equal(listenPasses.length, 1);
  assert.match(listenPasses[0]!, /^the listen stream \(asking \{"toolsListChanged":true\}\) carried only what it asked for/);
});

for (const fault of [...FAULTS, ...PROTOCOL_FAULTS, ...MODERN_FAULTS]) {
  faults(`${fault.name} (${fault.defect}) is found as ${fault.expect}, and nothing else`, async () => {
    const failed = await failedRules(fault);
    assert.ok(failed.length > 0, 'found something');
    assert.equal([...new Set(failed.map((f) => f.split(':')[0]))], [fault.expect], failed.join('\n'));
  });
}

faults.run();
