// The SSE decoder with `onNotUtf8`: an event whose bytes are not UTF-8 is refused, naming the
// first bad byte and its offset in the stream, and only that event (2025-11-25
// basic/transports: JSON-RPC messages MUST be UTF-8), however the stream is cut into chunks
// and whichever line endings it uses. A real U+FFFD (EF BF BD) is delivered.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSseDecoder } from './decode.ts';

const enc = new TextEncoder();

function bytes(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) out.push(...(typeof part === 'string' ? enc.encode(part) : part));
  return Uint8Array.from(out);
}

/** What the decoder handed up, as short strings, for `chunks`. */
function run(chunks: Uint8Array[], check = true): string[] {
  const log: string[] = [];
  const decoder = createSseDecoder({
    onEvent: (e) => log.push(`event ${e.id ?? '-'} ${e.data}`),
    onError: (error) => log.push(`error ${error.message}`),
    ...(check ? { onNotUtf8: (error, e) => log.push(`refused ${e.id ?? '-'} ${error.code} ${error.message}`) } : {}),
  });
  for (const c of chunks) decoder.push(c);
  decoder.end();
  return log;
}

/** Every way to cut `b` in two, and in three around `near`, and byte by byte. */
function cuts(b: Uint8Array, near: number): Uint8Array[][] {
  const out: Uint8Array[][] = [[b], Array.from(b, (x) => Uint8Array.of(x))];
  for (let i = 1; i < b.length; i++) out.push([b.slice(0, i), b.slice(i)]);
  for (let i = Math.max(1, near - 3); i < Math.min(b.length, near + 4); i++) {
    for (let j = i + 1; j < Math.min(b.length, near + 5); j++) out.push([b.slice(0, i), b.slice(i, j), b.slice(j)]);
  }
  return out;
}

const test = suite('SSE decoder: events that are not UTF-8 are refused with onNotUtf8');

for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
  test(`${name} line endings: the bad event alone is refused, at its offset, however the stream is cut`, () => {
    const first = `id: 1${eol}data: {"a":1}${eol}${eol}`;
    const before = `${first}id: 2${eol}data: {"b":"a`;
    const stream = bytes(before, [0xc3, 0x28], `b"}${eol}${eol}id: 3${eol}data: {"c":"\u00e9\u20ac"}${eol}${eol}`);
    const offset = enc.encode(before).length;
    const expected = [
      'event 1 {"a":1}',
      `refused 2 MCP_ERR_PROTOCOL SSE: an event is not valid UTF-8 (byte 0xC3 at offset ${offset} of the stream); JSON-RPC messages must be UTF-8`,
      'event 3 {"c":"\u00e9\u20ac"}',
    ];
    for (const chunks of cuts(stream, offset)) {
      assert.equal(run(chunks), expected, `cut at ${chunks.map((c) => c.length).join('+')}`);
    }
  });
}

test('a character cut by the chunk and then broken is refused at its first byte', () => {
  // E2 82 starts a three-byte character; "x" cannot continue it.
  const stream = bytes('data: ok\n\ndata: ', [0xe2, 0x82], 'x\n\ndata: after\n\n');
  for (const chunks of cuts(stream, 16)) {
    assert.equal(run(chunks), [
      'event - ok',
      'refused - MCP_ERR_PROTOCOL SSE: an event is not valid UTF-8 (byte 0xE2 at offset 16 of the stream); JSON-RPC messages must be UTF-8',
      'event - after',
    ], `cut at ${chunks.map((c) => c.length).join('+')}`);
  }
});

test('a real U+FFFD, overlongs and surrogates: the first is text, the others are refused', () => {
  assert.equal(run([bytes('data: a\uFFFDb\n\n')]), ['event - a\uFFFDb']);
  assert.equal(run([bytes('data: ', [0xc0, 0xaf], '\n\n')]), ['refused - MCP_ERR_PROTOCOL SSE: an event is not valid UTF-8 (byte 0xC0 at offset 6 of the stream); JSON-RPC messages must be UTF-8']);
  assert.equal(run([bytes('data: ', [0xed, 0xa0, 0x80], '\n\n')]), ['refused - MCP_ERR_PROTOCOL SSE: an event is not valid UTF-8 (byte 0xED at offset 6 of the stream); JSON-RPC messages must be UTF-8']);
});

test('bad bytes in a comment refuse their event; in an event without data they touch no other', () => {
  assert.equal(run([bytes(': note ', [0xff], '\ndata: x\n\ndata: y\n\n')]), [
    'refused - MCP_ERR_PROTOCOL SSE: an event is not valid UTF-8 (byte 0xFF at offset 7 of the stream); JSON-RPC messages must be UTF-8',
    'event - y',
  ]);
  assert.equal(run([bytes('event: ', [0xff], '\n\ndata: y\n\n')]), ['event - y']);
});

test('an event cut by the end of its stream is dropped; offsets count from the stream after end()', () => {
  const log: string[] = [];
  const decoder = createSseDecoder({
    onEvent: (e) => log.push(`event ${e.data}`),
    onError: (error) => log.push(`error ${error.message}`),
    onNotUtf8: (error) => log.push(error.message),
  });
  decoder.push(bytes('data: ', [0xc3]));
  decoder.end();
  decoder.push(bytes('data: ', [0xff], '\n\n'));
  decoder.end();
  assert.equal(log, ['SSE: an event is not valid UTF-8 (byte 0xFF at offset 6 of the stream); JSON-RPC messages must be UTF-8']);
});

test('without onNotUtf8 such an event is delivered decoded with U+FFFD, as the SSE standard decodes', () => {
  assert.equal(run([bytes('data: a', [0xc3, 0x28], 'b\n\n')], false), ['event - a\uFFFD(b']);
});

test.run();
