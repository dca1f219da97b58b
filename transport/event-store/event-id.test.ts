// Stream tokens come from a pool of CSPRNG bytes drawn 1 KiB (64 tokens) at a time: across
// several refills every token is new, has the format, and carries its session's tag.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatEventId, hasStreamTag, newStreamToken, newTagKey, parseEventId } from './event-id.ts';

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

tokens.run();
