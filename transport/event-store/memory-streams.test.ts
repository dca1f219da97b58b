// utf8Length, the memory store's count of each kept event's bytes (maxBytesPerStream and
// maxTotalBytes are in those bytes): it must equal what UTF-8 encoding writes, lone surrogates
// included (an encoder writes each as U+FFFD, 3 bytes), for ASCII and for everything else.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { utf8Length } from './memory-streams.ts';

const length = suite('utf8Length: the UTF-8 bytes of a string, as an encoder writes them');

const encoded = (text: string) => Buffer.byteLength(text, 'utf8');

length('ASCII, 2-, 3- and 4-byte characters, in replies short and long', () => {
  const reply = (text: string) => JSON.stringify({ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text }] } });
  for (const text of ['', 'm1', 'é', 'ü€', '日本語', '😀', 'a😀b€c', 'x'.repeat(10_000), `${'x'.repeat(9_999)}é`, '😀'.repeat(3_000)]) {
    assert.is(utf8Length(text), encoded(text), JSON.stringify(text.slice(0, 20)));
    assert.is(utf8Length(reply(text)), encoded(reply(text)), `reply of ${JSON.stringify(text.slice(0, 20))}`);
  }
});

length('lone surrogates count 3 bytes each, whatever follows or precedes them', () => {
  const cases = [
    '\ud800', '\udc00', 'a\ud800', '\ud800a', '\ud800é', '\ud800日', '\ud800\ud800', '\ud800\ud800\udc00',
    '\udc00\ud800', '\udc00\udc00', 'é\udc00', '\ud83d\ude00\ude00', '\ud83d\ud83d\ude00', `${'x'.repeat(500)}\udfff`,
  ];
  for (const text of cases) {
    assert.is(utf8Length(text), encoded(text), [...text].map((c) => c.codePointAt(0)!.toString(16)).join(' '));
  }
});

length('strings of random code units, surrogates frequent, equal the encoder\'s count', () => {
  // A fixed linear congruential sequence: the same strings every run.
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff];
  for (let n = 0; n < 500; n++) {
    let text = '';
    const size = next() % 40;
    for (let i = 0; i < size; i++) text += String.fromCharCode(units[next() % units.length]!);
    assert.is(utf8Length(text), encoded(text), [...text].map((c) => c.codePointAt(0)!.toString(16)).join(' '));
  }
});

length.run();
