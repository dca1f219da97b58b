// The session binding (2025-11-25 basic/security_best_practices: session hijacking): issuer
// and subject both name the principal, an anonymous request never uses a bound session nor
// an authenticated one an unbound session, and the binding survives the session record.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mayUseSession, principalOf } from './session-principal.ts';
import { sessionMeta } from './server-session-record.ts';
import { readSessionRecord } from './server-recovery.ts';

const test = suite('session principal: who may use a 2025 session');
const alice = { issuer: 'https://as.example', subject: 'alice' };

test('the same issuer and subject may; another subject or issuer may not', () => {
  const bound = principalOf({ ...alice, scopes: ['a'] });
  assert.ok(mayUseSession(bound, { ...alice, scopes: ['a', 'b'] }));
  assert.not.ok(mayUseSession(bound, { ...alice, subject: 'mallory' }));
  assert.not.ok(mayUseSession(bound, { ...alice, issuer: 'https://evil.example' }));
});

test('anonymous and authenticated requests never share a session', () => {
  assert.not.ok(mayUseSession(principalOf(alice), undefined));
  assert.not.ok(mayUseSession(principalOf(alice), {}));
  assert.not.ok(mayUseSession(undefined, alice));
  assert.ok(mayUseSession(undefined, undefined));
  assert.ok(mayUseSession(undefined, {}));
});

test('the binding is a plain field of the session record and reads back', () => {
  const meta = JSON.parse(JSON.stringify(sessionMeta({ app: undefined, protocolVersion: '2025-11-25', inflight: [], principal: principalOf(alice) })));
  assert.equal(readSessionRecord(meta).principal, alice);
  assert.is(readSessionRecord({ app: null, protocolVersion: null }).principal, undefined);
});

test('a damaged binding restores as bound to nobody, never as unbound', () => {
  const record = readSessionRecord({ app: null, protocolVersion: '2025-11-25', principal: 42 });
  assert.ok(record.principal);
  assert.not.ok(mayUseSession(record.principal, alice));
  assert.not.ok(mayUseSession(record.principal, undefined));
});

test.run();
