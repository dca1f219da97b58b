// modern.request-state alters a requestState as an attacker would (modern-request-state.ts): a
// value inside readable JSON, plain or base64/base64url (re-encoded in the same alphabet), else
// one character in the middle, never a base64 tail that may hold padding bits only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tamper } from './modern-request-state.ts';

const altered = suite('check: a requestState altered as an attacker would');

altered('plain JSON: the first leaf changes, the rest stays', () => {
  const out = tamper('{"user":"ada","round":2}');
  assert.equal(JSON.parse(out.value), { user: 'ada-mcpwire-check', round: 2 });
  assert.is(out.how, 'its JSON\'s first value ("ada") changed');
});

altered('base64url JSON without padding comes back as base64url without padding', () => {
  const state = Buffer.from('{"n":41,"s":"x"}').toString('base64url');
  const out = tamper(state);
  assert.not.match(out.value, /[+/=]/);
  assert.equal(JSON.parse(Buffer.from(out.value, 'base64url').toString()), { n: 42, s: 'x' });
  assert.match(out.how, /base64url changed$/);
});

altered('padded base64 JSON stays padded base64', () => {
  const state = Buffer.from('{"ok":true}').toString('base64');
  assert.match(state, /=$/);
  const out = tamper(state);
  assert.equal(JSON.parse(Buffer.from(out.value, 'base64').toString()), { ok: false });
  assert.match(out.how, /in its base64 changed$/);
});

altered('an opaque (sealed) state gets one character changed in its middle', () => {
  const out = tamper('v2.abcdef.MAC');
  assert.is(out.value, 'v2.abcAef.MAC');
  assert.is(out.how, 'character 7 of 13 changed from "d" to "A"');
  assert.is(tamper('xxAxx').value, 'xxBxx');
});

altered.run();
