// A JWT whose exp, nbf or iat is not a NumericDate (RFC 7519 §2, §4.1.4-4.1.6: a JSON
// number of seconds) is a malformed token, whatever its value: refused with `invalid_token`
// and reported as `malformed`, never as expired or not yet valid.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initialize, parseChallenge, startProtected, type ProtectedKit } from './support/protected-kit.ts';

const test = suite('protected resource: a date claim that is not a NumericDate');
let kit: ProtectedKit;

test.before.each(async () => { kit = await startProtected(); });
test.after.each(() => kit.close());

const now = () => Math.floor(Date.now() / 1000);

/** Present a token with `claims` and return the challenge's error, its description and the reported reason. */
async function present(claims: Record<string, unknown>): Promise<{ status: number; error: string | undefined; description: string | undefined; reason: string | undefined }> {
  const before = kit.rejected.length;
  const res = await kit.post(initialize(), { authorization: `Bearer ${await kit.issuer.mint(claims)}` });
  const { params } = parseChallenge(res.headers.get('www-authenticate'));
  return { status: res.status, error: params.error, description: params.error_description, reason: kit.rejected[before]?.reason };
}

test('nbf, exp or iat as a string, a boolean or an object: 401 invalid_token, reported malformed', async () => {
  const cases: [string, unknown][] = [
    ['nbf', String(now() + 3600)], ['nbf', String(now() - 3600)], ['nbf', true], ['nbf', { seconds: now() }],
    ['exp', String(now() + 3600)], ['exp', null],
    ['iat', String(now())], ['iat', [now()]],
  ];
  for (const [claim, value] of cases) {
    const outcome = await present({ [claim]: value });
    const label = `${claim} = ${JSON.stringify(value)}`;
    assert.is(outcome.status, 401, label);
    assert.is(outcome.error, 'invalid_token', label);
    assert.is(outcome.reason, 'malformed', label);
    assert.ok(outcome.description?.includes(claim), `${label}: ${outcome.description}`);
  }
  assert.is(kit.handler.sessionCount, 0);
});

test('a numeric nbf in the future is still not yet valid, and one in the past passes', async () => {
  const future = await present({ nbf: now() + 3600 });
  assert.is(future.status, 401);
  assert.is(future.error, 'invalid_token');
  assert.is(future.reason, 'not_yet_valid');
  const past = await kit.post(initialize(), { authorization: `Bearer ${await kit.issuer.mint({ nbf: now() - 60 })}` });
  assert.is(past.status, 200);
});

test.run();
