// The client leg's baselines excuse nothing, at 2025-11-25 and 2026-07-28: the client plays
// every auth/* scenario of each requirement set (scored or not), each with an OAuth client
// of its own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportPKCS8, generateKeyPair } from 'jose';
import { parseBaseline } from './baseline.ts';
import { conformanceAuth } from '../client-auth.ts';

const here = dirname(fileURLToPath(import.meta.url));
for (const revision of ['2025-11-25', '2026-07-28']) {
  const FILE = join(here, `baseline-client-${revision}.yml`);

  const client = suite(`official baseline, client leg, ${revision}`);

  client('it is empty: no scenario is excused', () => {
    const baseline = parseBaseline(readFileSync(FILE, 'utf8'), FILE);
    assert.equal(baseline, { server: [], client: [] });
  });

  client(`every auth/* client scenario of the ${revision} requirement set gets an OAuth client`, async () => {
    const require = createRequire(join(here, '..', '..', 'package.json'));
    const requirements = readFileSync(join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'requirements', `${revision}.yaml`), 'utf8');
    const scored = [...requirements.split('\nclient:\n')[1]!.split('\nnot_scored:')[0]!.matchAll(/^ {2}- (auth\/\S+)$/gm)].map((m) => m[1]!);
    const extensions = [...requirements.matchAll(/- scenario: (auth\/\S+)\n\s+leg: client/g)].map((m) => m[1]!);
    assert.ok(scored.length >= 14 && extensions.length === 6, `${scored.length} scored, ${extensions.length} extensions`);
    // The context keys the suite hands each scenario (official-conformance-alpha.md §3.4).
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const context = JSON.stringify({
      client_id: 'c', client_secret: 's', issuer: 'http://127.0.0.1:1', private_key_pem: await exportPKCS8(privateKey), signing_algorithm: 'ES256',
      idp_client_id: 'i', idp_id_token: 't', idp_issuer: 'http://127.0.0.1:2', idp_token_endpoint: 'http://127.0.0.1:2/token', valid_jwt: 'j',
    });
    for (const scenario of [...scored, ...extensions]) {
      const auth = await conformanceAuth(scenario, context);
      assert.ok(auth, scenario);
    }
    assert.is(await conformanceAuth('tools_call', undefined), undefined);
  });

  client.run();
}
