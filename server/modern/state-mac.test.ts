// The HMAC of sealed multi round-trip states: the inline node:crypto path and the portable Web
// Crypto path compute the same HMAC-SHA256 (checked against Web Crypto itself), accept each
// other's MACs and refuse a changed one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createStateMac } from './state-mac.ts';

const Mac = suite('requestState MAC: node:crypto and Web Crypto agree');
const encoder = new TextEncoder();
const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const data = encoder.encode('v2.eyJhIjoxfQ.{"name":"ask"}');

async function webCryptoHmac(k: Uint8Array, d: Uint8Array): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey('raw', k as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, d as Uint8Array<ArrayBuffer>));
}

Mac('both paths sign what Web Crypto signs', async () => {
  const expected = await webCryptoHmac(key, data);
  assert.equal(await createStateMac(key).sign(data), expected);
  assert.equal(await createStateMac(key, { webCrypto: true }).sign(data), expected);
});

Mac('text is MAC\'d as its UTF-8 bytes on both paths', async () => {
  const text = 'v2.eyJhIjoxfQ.{"name":"é ask ✓"}';
  const expected = await webCryptoHmac(key, encoder.encode(text));
  for (const mac of [createStateMac(key), createStateMac(key, { webCrypto: true })]) {
    assert.equal(await mac.sign(text), expected);
    assert.ok(await mac.verify(expected, text));
    assert.not.ok(await mac.verify(expected, text.replace('é', 'e')));
  }
});

Mac('each path verifies the other\'s MAC and refuses a changed MAC, changed data or a short MAC', async () => {
  const inline = createStateMac(key);
  const web = createStateMac(key, { webCrypto: true });
  for (const [signer, checker] of [[inline, web], [web, inline]] as const) {
    const mac = await signer.sign(data);
    assert.ok(await checker.verify(mac, data));
    const changed = Uint8Array.from(mac);
    changed[5]! ^= 1;
    assert.not.ok(await checker.verify(changed, data));
    assert.not.ok(await checker.verify(mac, encoder.encode('v2.eyJhIjoxfQ.{"name":"asl"}')));
    assert.not.ok(await checker.verify(mac.subarray(0, 16), data));
  }
});

Mac('the key is copied: changing the caller\'s array later changes nothing', async () => {
  const mine = Uint8Array.from(key);
  const mac = createStateMac(mine);
  const before = await mac.sign(data);
  mine.fill(0);
  assert.equal(await mac.sign(data), before);
});

Mac.run();
