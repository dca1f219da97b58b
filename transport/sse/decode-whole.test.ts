// The one-pass reading of a whole SSE body (decode-whole.ts) must give exactly what the
// streaming decoder gives for the same text, or decline: checked on the forms servers write,
// on every form it must decline, and on generated bodies mixing both.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSseDecoder, type SseEvent } from './decode.ts';
import { decodeWholeSse } from './decode-whole.ts';

/** The streaming decoder's events for `text` fed whole, and whether it reported anything. */
function streamed(text: string): { events: SseEvent[]; errors: number } {
  const events: SseEvent[] = [];
  let errors = 0;
  const decoder = createSseDecoder({ onEvent: (e) => events.push(e), onError: () => { errors += 1; } });
  decoder.push(Buffer.from(text));
  decoder.end();
  return { events, errors };
}

const read = suite('sse: a whole body in the usual form is read in one pass, as the decoder reads it');

const usual: Record<string, string> = {
  'priming event then a response (mcpwire server)': 'id: abc.0\nretry: 100\ndata:\n\nid: abc.1\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n',
  'bare data event (raw, SDK)': 'data: {"a":1}\n\n',
  'no space after the colons': 'id:7\nevent:message\ndata:x\n\n',
  'two spaces: the second is kept': 'data:  x\nid:  y\n\n',
  'several data lines are joined with LF': 'data: a\ndata:\ndata: c\n\n',
  'an event type, an empty one is the default': 'event: other\ndata: a\n\nevent:\ndata: b\n\n',
  'comments are skipped': ': hello\ndata: a\n:\n\n',
  'an id with no data is no event; an empty id is kept as such': 'id: 1\n\nid:\ndata: x\n\n',
  'extra blank lines': '\n\ndata: a\n\n\n\n',
  'a trailing retry after the last event': 'data: a\n\nretry: 5\n',
  'multibyte text': 'data: {"t":"h\u00e9 \u4e16\u754c \ud83d\ude00"}\n\n',
  'empty body': '',
};
for (const [name, text] of Object.entries(usual)) {
  read(name, () => {
    const expected = streamed(text);
    assert.is(expected.errors, 0);
    assert.equal(decodeWholeSse(text), expected.events);
  });
}

const decline = suite('sse: a whole body in any other form is left to the streaming decoder');

const other: Record<string, string> = {
  'CRLF line endings': 'data: a\r\n\r\n',
  'CR line endings': 'data: a\r\r',
  'a byte order mark': '\ufeffdata: a\n\n',
  'an unknown field': 'foo: 1\ndata: a\n\n',
  'a field without a colon': 'data\n\n',
  'a field name that only starts like a known one': 'identity: 1\ndata: a\n\n',
  'an invalid retry': 'retry: soon\ndata: a\n\n',
  'an empty retry': 'retry:\ndata: a\n\n',
  'a retry with a sign': 'retry: +5\ndata: a\n\n',
  'an id with NUL': 'id: a\0b\ndata: a\n\n',
  'an event without its blank line': 'data: a\n\ndata: b\n',
  'an unfinished line': 'data: a\n\ndata: b',
  'an id left without its blank line': 'data: a\n\nid: 2\n',
};
for (const [name, text] of Object.entries(other)) {
  decline(name, () => {
    assert.is(decodeWholeSse(text), undefined);
  });
}

const mixed = suite('sse: generated bodies: read as the decoder reads them, or declined');

mixed('2 000 bodies of random lines', () => {
  const lines = ['data: x', 'data:', 'data:  y', 'data', 'id: 1', 'id:', 'id: a\0', 'event: e', 'event:', 'retry: 10', 'retry: x', 'retry:', 'retry: 1 ',
    ': c', ':', '', '', '', 'bogus: 1', 'data: {"id":1}', 'data: \u00e9\u4e16'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  let readCount = 0;
  for (let n = 0; n < 2_000; n++) {
    const count = 1 + (next() % 8);
    let text = '';
    for (let i = 0; i < count; i++) text += `${lines[next() % lines.length]}\n`;
    if (next() % 2 === 0) text += '\n';
    const got = decodeWholeSse(text);
    if (got === undefined) continue;
    readCount += 1;
    const expected = streamed(text);
    assert.is(expected.errors, 0, JSON.stringify(text));
    assert.equal(got, expected.events, JSON.stringify(text));
  }
  assert.ok(readCount > 200, `only ${readCount} bodies were read in one pass`);
});

read.run();
decline.run();
mixed.run();
