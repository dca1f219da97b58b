// The media type of a reply decides how the client reads it (2025-11-25 basic/transports:
// JSON or SSE): read whatever the case and parameters the server wrote.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClientReply } from './client-exchange.ts';
import { bodyTextOf, mediaTypeOf } from './client-response.ts';

const withType = (type: string | undefined): ClientReply => ({
  status: 200, statusText: 'OK', header: (name) => (name === 'content-type' ? type : undefined), stream: () => Promise.resolve(),
});

const media = suite('http client: the media type of a reply');

media('the usual values as they are', () => {
  assert.is(mediaTypeOf(withType('text/event-stream')), 'text/event-stream');
  assert.is(mediaTypeOf(withType('application/json')), 'application/json');
});

media('parameters dropped, case and spaces ignored', () => {
  assert.is(mediaTypeOf(withType('application/json; charset=utf-8')), 'application/json');
  assert.is(mediaTypeOf(withType('Text/Event-Stream; charset=utf-8')), 'text/event-stream');
  assert.is(mediaTypeOf(withType(' APPLICATION/JSON ')), 'application/json');
  assert.is(mediaTypeOf(withType('text/plain')), 'text/plain');
});

media('no content type is the empty string', () => {
  assert.is(mediaTypeOf(withType(undefined)), '');
});

media.run();

const text = suite('http client: a whole body as text');

text('UTF-8 as the Encoding standard decodes it: one leading BOM dropped, invalid bytes as U+FFFD', () => {
  assert.is(bodyTextOf([Buffer.from('\ufeff{"a":"\ufeffé"}')], 100), '{"a":"\ufeffé"}');
  assert.is(bodyTextOf([new Uint8Array([0x61, 0xff, 0x62])], 100), 'a\ufffdb');
  assert.is(bodyTextOf([], 100), '');
});

text('chunks are joined before decoding: a character split across two is whole', () => {
  const bytes = Buffer.from('xé€y');
  assert.is(bodyTextOf([bytes.subarray(0, 2), new Uint8Array(bytes.subarray(2, 5)), bytes.subarray(5)], 100), 'xé€y');
});

text('past the limit: MCP_ERR_MESSAGE_TOO_LARGE', () => {
  assert.throws(() => bodyTextOf([Buffer.from('12345')], 4), (error: { code?: string }) => error.code === 'MCP_ERR_MESSAGE_TOO_LARGE');
});

text.run();
