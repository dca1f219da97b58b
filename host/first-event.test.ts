import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstEventEnd, holdAfterFirstEvent } from './first-event.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const end = suite('host: where an SSE body\'s first event ends');

end('LF LF, CR LF CR LF and CR CR end it; a lone line end does not', () => {
  assert.is(firstEventEnd(bytes('id: a.0\ndata:\n\nid: a.1\n'), []), 'id: a.0\ndata:\n\n'.length);
  assert.is(firstEventEnd(bytes('id: a.0\r\ndata:\r\n\r\nx'), []), 'id: a.0\r\ndata:\r\n\r\n'.length);
  assert.is(firstEventEnd(bytes('id: a.0\rdata:\r\rx'), []), 'id: a.0\rdata:\r\r'.length);
  assert.is(firstEventEnd(bytes('id: a.0\r\ndata: {"x":1}\r\n'), []), -1);
});

end('a blank line split between chunks is found with the bytes before it', () => {
  assert.is(firstEventEnd(bytes('\nrest'), [0x3a, 0x0a]), 1);
  assert.is(firstEventEnd(bytes('\r\nrest'), [0x0d, 0x0a]), 2);
  assert.is(firstEventEnd(bytes('\nrest'), [0x0a, 0x0d]), 1);
});

end('the first event passes at once; the rest waits for the write, then comes whole', async () => {
  let wrote!: () => void;
  const written = new Promise<void>((r) => { wrote = r; });
  let asked = 0;
  const source = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes('id: a.0\ndata:\n\nid: a.1\ndata: {}\n\n')); c.close(); } });
  const reader = holdAfterFirstEvent(source, () => { asked++; return written; }).getReader();
  const first = await reader.read();
  assert.is(new TextDecoder().decode(first.value), 'id: a.0\ndata:\n\n');
  const second = reader.read();
  let got = false;
  void second.then(() => { got = true; });
  await new Promise<void>((r) => setImmediate(r));
  assert.is(got, false, 'held until the write is done');
  assert.is(asked, 1);
  wrote();
  assert.is(new TextDecoder().decode((await second).value), 'id: a.1\ndata: {}\n\n');
  assert.is((await reader.read()).done, true);
});

end.run();
