// The client leg's baseline: only auth/* scenarios, each waiting for authorization support,
// and exactly the auth/* scenarios each revision's requirements run (scored or not).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBaseline } from './baseline.ts';

const here = dirname(fileURLToPath(import.meta.url));
for (const revision of ['2025-11-25', '2026-07-28']) {
  const FILE = join(here, `baseline-client-${revision}.yml`);

  const client = suite(`official baseline, client leg, ${revision}`);

  client('only auth/* scenarios stand in it, each marked as waiting for authorization support', () => {
    const text = readFileSync(FILE, 'utf8');
    const baseline = parseBaseline(text, FILE);
    assert.equal(baseline.server, []);
    assert.ok(baseline.client.length > 0);
    for (const entry of baseline.client) {
      assert.ok(entry.scenario.startsWith('auth/'), entry.text);
      assert.is(entry.checkId, undefined, `${entry.text}: the whole scenario waits`);
      const line = text.split('\n').find((l) => l.includes(`- ${entry.text} `));
      assert.match(line ?? '', /# waiting for authorization support/, entry.text);
    }
  });

  client(`it names exactly the auth/* client scenarios of the suite's ${revision} requirement set`, () => {
    const require = createRequire(join(here, '..', '..', 'package.json'));
    const requirements = readFileSync(join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'requirements', `${revision}.yaml`), 'utf8');
    const scored = [...requirements.split('\nclient:\n')[1]!.split('\nnot_scored:')[0]!.matchAll(/^ {2}- (auth\/\S+)$/gm)].map((m) => m[1]);
    const extensions = [...requirements.matchAll(/- scenario: (auth\/\S+)\n\s+leg: client/g)].map((m) => m[1]);
    const listed = parseBaseline(readFileSync(FILE, 'utf8')).client.map((e) => e.scenario);
    assert.equal([...listed].sort(), [...scored, ...extensions].sort());
  });

  client.run();
}
