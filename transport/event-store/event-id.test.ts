// Stream tokens come from a pool of CSPRNG bytes drawn 1 KiB (64 tokens) at a time: across
// several refills every token is new, has the format, and carries its session's tag.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 } from './crc32.ts';
import { formatEventId, hasStreamTag, MAX_TOKEN_SLOT, newStreamToken, newTagKey, parseEventId, slotOf, streamTag, tokenIsBytes, tokenOfBytes } from './event-id.ts';

const tokens = suite('stream tokens');

tokens('300 tokens (several pool refills) are distinct, well formed and tagged for their session only', () => {
  const key = newTagKey();
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const token = newStreamToken({ key, sessionId: `s${i % 7}` });
    assert.ok(!seen.has(token), `token ${i} repeats an earlier one`);
    seen.add(token);
    assert.equal(parseEventId(formatEventId(token, 3)), { token, seq: 3 });
    assert.ok(hasStreamTag(token, key, `s${i % 7}`));
    assert.not.ok(hasStreamTag(token, key, `s${(i + 1) % 7}`));
  }
});

tokens('untagged tokens keep all 16 random bytes: not two alike, and no byte position stuck at zero', () => {
  const all = Array.from({ length: 200 }, () => newStreamToken());
  assert.is(new Set(all).size, 200);
  // A pool handing out zeroed bytes would make a character position constant ('A').
  for (let c = 0; c < 21; c++) assert.ok(all.some((t) => t[c] !== 'A'), `character ${c} is always A`);
});

// Tokens outlive the process (the file store's logs): the tag must stay CRC-32 of key, the
// session id's UTF-8 and the token's first 12 bytes, whatever the session id holds.
tokens('the tag is CRC-32 of key + UTF-8 session id + 12 bytes, for ASCII, non-ASCII and long ids', () => {
  const key = newTagKey();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  for (const sessionId of ['5f0c7e1e-8a55-4c3e-9d7a-0b1f3a2c4d5e', 'séance-é', 'emoji 😀 and a lone \ud800', 'x'.repeat(500), '']) {
    const utf8 = new TextEncoder().encode(sessionId);
    const input = new Uint8Array([...key, ...utf8, ...bytes.subarray(0, 12)]);
    assert.is(streamTag(key, sessionId, bytes), crc32(input), JSON.stringify(sessionId.slice(0, 20)));
    const token = newStreamToken({ key, sessionId });
    assert.ok(hasStreamTag(token, key, sessionId));
  }
});

// The CRC state after key and session id is remembered for the next token (one session's
// streams share both): a change of either, back and forth, must start it anew.
tokens('the tag stays CRC-32 of its own key and session id when keys and ids alternate and repeat', () => {
  const k1 = newTagKey();
  const k2 = newTagKey();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const pairs: Array<[Uint8Array, string]> = [[k1, 'a'], [k1, 'a'], [k2, 'a'], [k2, 'a'], [k1, 'b'], [k1, 'a'], [k2, 'séance'], [k2, 'séance'], [k2, 'a'], [k1, ''], [k1, 'a']];
  for (const [i, [key, sessionId]] of pairs.entries()) {
    const input = new Uint8Array([...key, ...new TextEncoder().encode(sessionId), ...bytes.subarray(0, 12)]);
    assert.is(streamTag(key, sessionId, bytes), crc32(input), `pair ${i}`);
    const token = newStreamToken({ key, sessionId });
    assert.ok(hasStreamTag(token, key, sessionId), `token ${i}`);
    assert.not.ok(hasStreamTag(token, key === k1 ? k2 : k1, sessionId), `token ${i}, the other key`);
  }
});

// The CRC state is kept per session id (many sessions make streams in turn, bench c), a bounded
// number of them: interleaved sessions, more than it keeps, and a second key must not mix states.
tokens('the tag stays CRC-32 of its own key and session id with 600 sessions in turn and two keys', () => {
  const keys = [newTagKey(), newTagKey()];
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 600; i++) {
      // Round 1 switches key every 300 sessions, round 2 every session.
      const key = keys[round === 1 ? Math.floor(i / 300) : round === 2 ? i % 2 : 0]!;
      const sessionId = `${i.toString(36)}-5f0c7e1e-8a55-4c3e-9d7a`;
      const input = new Uint8Array([...key, ...new TextEncoder().encode(sessionId), ...bytes.subarray(0, 12)]);
      assert.is(streamTag(key, sessionId, bytes), crc32(input), `round ${round}, session ${i}`);
      const token = newStreamToken({ key, sessionId }, i);
      assert.ok(hasStreamTag(token, key, sessionId), `round ${round}, token ${i}`);
      assert.not.ok(hasStreamTag(token, key, `${(i + 1).toString(36)}-5f0c7e1e-8a55-4c3e-9d7a`), `round ${round}, token ${i}, the next session`);
    }
  }
});

tokens('a token made with a slot carries it in its first 3 bytes, is tagged, and the rest is random', () => {
  const key = newTagKey();
  for (const slot of [0, 1, 63, 64, 4095, 65_536, 10_000, MAX_TOKEN_SLOT - 1]) {
    const a = newStreamToken({ key, sessionId: 's' }, slot);
    const b = newStreamToken({ key, sessionId: 's' }, slot);
    assert.is(slotOf(a), slot);
    assert.is(slotOf(b), slot);
    assert.is.not(a, b, 'the random part differs between two tokens of one slot');
    assert.ok(hasStreamTag(a, key, 's'));
    assert.equal(parseEventId(formatEventId(a, 1)), { token: a, seq: 1 });
  }
  assert.is(slotOf('AAAAAAAAAAAAAAAAAAAAAA'), 0);
  assert.is(slotOf('____AAAAAAAAAAAAAAAAAA'), MAX_TOKEN_SLOT - 1);
  assert.is(slotOf('AA.AAAAAAAAAAAAAAAAAAA'), -1);
  assert.is(slotOf('AAé'), -1);
});

// The token is spelled code by code (tokenOfBytes): it must be exactly base64url without
// padding, wherever the 16 bytes lie, for every value of each character position, and the
// bytes handed to `into` must be the token's own.
tokens('a token is the base64url of its 16 bytes, wherever they lie, and `into` gets those bytes', () => {
  const bytes = new Uint8Array(64 + 16);
  for (let round = 0; round < 300; round++) {
    crypto.getRandomValues(bytes);
    if (round === 0) bytes.fill(0);
    if (round === 1) bytes.fill(255);
    const at = round % 64;
    const token = tokenOfBytes(bytes, at);
    assert.is(token, Buffer.from(bytes.subarray(at, at + 16)).toString('base64url'), `round ${round}`);
    assert.ok(tokenIsBytes(token, bytes, at));
  }
  // `into` is words (copied 4 bytes at a time): their bytes in memory are the token's, in order.
  for (let round = 0; round < 300; round++) {
    const into = new Uint32Array(12);
    const made = newStreamToken({ key: newTagKey(), sessionId: 's' }, round, into, 4);
    const bytes = new Uint8Array(into.buffer);
    assert.is(Buffer.from(bytes.subarray(16, 32)).toString('base64url'), made, `round ${round}`);
    assert.ok(tokenIsBytes(made, bytes, 16));
    assert.is(slotOf(made), round);
    assert.ok(bytes.subarray(0, 16).every((b) => b === 0) && bytes.subarray(32).every((b) => b === 0), 'only the 16 bytes of words intoWord.. are written');
  }
});

tokens.run();
