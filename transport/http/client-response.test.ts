// The media type of a reply decides how the client reads it (2025-11-25 basic/transports:
// JSON or SSE): read whatever the case and parameters the server wrote.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClientReply } from './client-exchange.ts';
import { mediaTypeOf } from './client-response.ts';

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
