import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBase64Url, encodeBase64, encodeBase64Url } from './base64.ts';

const b64 = suite('base64: the same text as Node Buffer, without Buffer');

/** Deterministic bytes of every length up to 70, and one long run past the chunk size. */
function samples(): Uint8Array[] {
  const out: Uint8Array[] = [];
  let x = 7;
  for (const len of [...Array.from({ length: 70 }, (_, i) => i), 40_001]) {
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) bytes[i] = x = (x * 1103515245 + 12345) & 0xff;
    out.push(bytes);
  }
  return out;
}

b64('encodeBase64 and encodeBase64Url match Buffer for every length', () => {
  for (const bytes of samples()) {
    assert.is(encodeBase64(bytes), Buffer.from(bytes).toString('base64'));
    assert.is(encodeBase64Url(bytes), Buffer.from(bytes).toString('base64url'));
  }
});

b64('decodeBase64Url inverts encodeBase64Url', () => {
  for (const bytes of samples()) assert.equal(decodeBase64Url(encodeBase64Url(bytes)), bytes);
});

b64('decodeBase64Url refuses what is not canonical unpadded base64url', () => {
  for (const bad of ['a', 'ab=', 'a+b/', 'ab c', 'AB', 'AAB']) assert.is(decodeBase64Url(bad), undefined, bad);
  assert.equal(decodeBase64Url('AA'), new Uint8Array([0]));
  assert.equal(decodeBase64Url(''), new Uint8Array(0));
});

b64.run();
