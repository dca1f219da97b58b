// `npm start -- --era modern`: the demo could not speak 2026-07-28 ("mcpwire demo: unknown
// option --era"), so its stateless era was reachable only with the halves run apart
// (hostwalk4, session 22). Now the flag is the host's, and the banner does not promise a
// resume after quitting, which that era has no way to keep.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnCli, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const era = suite('demo: --era picks the protocol era of its host');
era.before(async () => {
  dir = await tempDir('mcpwire-demo-era-');
});
era.after(async () => {
  await killAll();
  await dir.remove();
});

era('--era modern: the servers line says 2026-07-28, a call with a model request ends, and the banner promises no resume', async () => {
  const demo = spawnCli(['demo', '--state', `${dir.path}/modern`, '--step-ms', '20', '--era', 'modern', '--yes']);
  demo.child.stdin!.end('servers\nresearch_agent urban heat depth=quick\n');
  const code = await demo.exited(90_000);
  const out = demo.out();
  assert.is(code, 0, `${out}\n${demo.err()}`);
  assert.match(out, /agents: ready \(mcpwire-agents [^)]*\), 2026-07-28 \(stateless\)/);
  assert.match(out, /✓ #1 research_agent finished/);
  assert.match(out, /Protocol 2026-07-28 \(--era modern\)[^\n]*Quitting ends what runs/);
  assert.not.match(out, /Quit and start again: it resumes/);
});

era('--era with a wrong value: a usage error naming the flag, exit 2, nothing started', async () => {
  const demo = spawnCli(['demo', '--state', `${dir.path}/bad`, '--era', 'newest']);
  demo.child.stdin!.end();
  assert.is(await demo.exited(30_000), 2);
  assert.match(demo.err(), /--era must be one of legacy-first, modern, legacy, auto, got "newest"/);
  assert.not.match(demo.out(), /Agents server/);
});

era.run();
