import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError } from '../../protocol/index.ts';
import { createSseDecoder, readSseStream, type SseDecoderOptions } from './decode.ts';
import { encodeSseComment, encodeSseEvent, encodeSseMessage, encodeSsePriming } from './encode.ts';

const enc = new TextEncoder();

/** Everything the decoder reported, in order, as short strings. */
function run(chunks: Uint8Array[], maxBufferBytes?: number): string[] {
  const log: string[] = [];
  const decoder = createSseDecoder({
    ...(maxBufferBytes !== undefined ? { maxBufferBytes } : {}),
    onEvent: (e) => log.push(`event ${JSON.stringify(e)}`),
    onRetry: (ms) => log.push(`retry ${ms}`),
    onComment: (c) => log.push(`comment ${c}`),
    onError: (err) => log.push(`error ${err.code}`),
  });
  for (const c of chunks) decoder.push(c);
  decoder.end();
  return log;
}

function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const o of [...offsets, bytes.length]) {
    out.push(bytes.slice(prev, o));
    prev = o;
  }
  return out;
}

function bytewise(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

/** Deterministic pseudo-random splits (a linear congruential generator). */
function randomSplits(bytes: Uint8Array, seed: number): Uint8Array[] {
  const offsets: number[] = [];
  let x = seed;
  let at = 0;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    at += 1 + (x % 13);
    if (at >= bytes.length) break;
    offsets.push(at);
  }
  return splitAt(bytes, ...offsets);
}

/** Check the decoder output for `text` at every single split, bytewise, and random splits. */
function checkAllSplits(text: string, expected: string[], maxBufferBytes?: number): void {
  const bytes = enc.encode(text);
  assert.equal(run([bytes], maxBufferBytes), expected, 'whole');
  for (let i = 0; i <= bytes.length; i++) assert.equal(run(splitAt(bytes, i), maxBufferBytes), expected, `split at ${i}`);
  assert.equal(run(bytewise(bytes), maxBufferBytes), expected, 'bytewise');
  for (let seed = 1; seed <= 20; seed++) assert.equal(run(randomSplits(bytes, seed), maxBufferBytes), expected, `seed ${seed}`);
}

const STREAM =
  encodeSsePriming('tok.0', 1500) +
  encodeSseComment('keep-alive') +
  encodeSseEvent({ id: 'tok.1', data: '{"jsonrpc":"2.0","method":"a","params":{"t":"héllo 😀 世界"}}' }) +
  encodeSseEvent({ event: 'custom', data: 'line one\nline two' }) +
  'data\n\n' + // a field with no colon: empty data
  encodeSseEvent({ id: 'tok.2', data: 'last' });

const EXPECTED = [
  'retry 1500',
  'event {"data":"","id":"tok.0"}',
  'comment keep-alive',
  'event {"data":"{\\"jsonrpc\\":\\"2.0\\",\\"method\\":\\"a\\",\\"params\\":{\\"t\\":\\"héllo 😀 世界\\"}}","id":"tok.1"}',
  'event {"data":"line one\\nline two","event":"custom"}',
  'event {"data":""}',
  'event {"data":"last","id":"tok.2"}',
];

const splits = suite('the SSE decoder gives the same events however the bytes are split');

splits('LF line endings, every split offset', () => {
  checkAllSplits(STREAM, EXPECTED);
});

splits('CRLF line endings (split CRLF included), every split offset', () => {
  checkAllSplits(STREAM.replaceAll('\n', '\r\n'), EXPECTED);
});

splits('CR line endings, every split offset (the last event is delivered at end)', () => {
  checkAllSplits(STREAM.replaceAll('\n', '\r'), EXPECTED);
});

splits('mixed line endings', () => {
  checkAllSplits('data: a\r\n\ndata: b\n\r\ndata: c\r\r', ['event {"data":"a"}', 'event {"data":"b"}', 'event {"data":"c"}']);
});

splits('a 4-byte character split in every way', () => {
  const bytes = enc.encode('data: a😀b\n\n');
  assert.equal(run(splitAt(bytes, 7, 8, 9)), ['event {"data":"a😀b"}']);
});

splits('invalid UTF-8 decodes as one TextDecoder over the whole stream would, at every split', () => {
  // Truncated sequences, stray continuation bytes, overlong and surrogate forms, a byte no
  // character starts with, around valid one- to four-byte characters.
  const payload = Uint8Array.from([
    0x61, 0xe2, 0x82, 0x62, 0xf0, 0x90, 0x80, 0x80, 0x80, 0xc3, 0xa9, 0xc0, 0xaf, 0xed, 0xa0, 0x80,
    0xf8, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x80, 0xe0, 0x80, 0x63, 0xf4, 0x90, 0x80, 0x80,
  ]);
  const bytes = new Uint8Array([...enc.encode('data: '), ...payload, ...enc.encode('\n\ndata: next\n\n')]);
  const expected = [`event ${JSON.stringify({ data: new TextDecoder().decode(payload) })}`, 'event {"data":"next"}'];
  assert.ok(expected[0]!.includes('\ufffd'), 'the fixture has invalid bytes');
  for (let i = 0; i <= bytes.length; i++) {
    for (let j = i; j <= Math.min(bytes.length, i + 6); j++) assert.equal(run(splitAt(bytes, i, j)), expected, `split at ${i}, ${j}`);
  }
  assert.equal(run(bytewise(bytes)), expected, 'bytewise');
});

const bom = suite('the SSE decoder drops a byte order mark only at the start of the stream');

bom('a BOM at the start, also split', () => {
  checkAllSplits(`\uFEFF${encodeSseEvent({ data: 'x' })}`, ['event {"data":"x"}']);
});

bom('a BOM later is data', () => {
  assert.equal(run([enc.encode('data: x\n\ndata: \uFEFFy\n\n')]), ['event {"data":"x"}', 'event {"data":"\uFEFFy"}']);
});

const fieldsSuite = suite('the SSE decoder reports retry, comments and ignorable lines');

fieldsSuite('retry is reported, an invalid retry and unknown fields go to onError', () => {
  assert.equal(run([enc.encode('retry: 20\nretry: x\nfoo: bar\ndata: y\n\n: c1\n:c2\n\n')]), [
    'retry 20',
    'error MCP_ERR_PROTOCOL',
    'error MCP_ERR_PROTOCOL',
    'event {"data":"y"}',
    'comment c1',
    'comment c2',
  ]);
});

fieldsSuite('an event without its blank line at the end of the stream is discarded', () => {
  assert.equal(run([enc.encode('data: a\n\ndata: b\n')]), ['event {"data":"a"}']);
  assert.equal(run([enc.encode('data: a\n\ndata: b')]), ['event {"data":"a"}']);
});

fieldsSuite('end() readies the decoder for a new stream', () => {
  const log: string[] = [];
  const decoder = createSseDecoder({ onEvent: (e) => log.push(e.data), onError: (e) => log.push(e.code) });
  decoder.push(enc.encode('data: partial'));
  decoder.end();
  decoder.push(enc.encode('\uFEFFdata: fresh\n\n'));
  decoder.end();
  assert.equal(log, ['fresh']);
});

const limit = suite('the SSE decoder drops an event larger than maxBufferBytes and goes on');

limit('an oversize event between two good ones, every split offset', () => {
  const big = 'x'.repeat(80);
  const text = `data: a\n\nid: 9\ndata: ${big}\ndata: more\n\ndata: b\n\n`;
  checkAllSplits(text, ['event {"data":"a"}', 'error MCP_ERR_MESSAGE_TOO_LARGE', 'event {"data":"b"}'], 64);
  checkAllSplits(text.replaceAll('\n', '\r'), ['event {"data":"a"}', 'error MCP_ERR_MESSAGE_TOO_LARGE', 'event {"data":"b"}'], 64);
  checkAllSplits(text.replaceAll('\n', '\r\n'), ['event {"data":"a"}', 'error MCP_ERR_MESSAGE_TOO_LARGE', 'event {"data":"b"}'], 64);
});

limit('an event of exactly the limit is delivered', () => {
  const text = encodeSseEvent({ data: 'y'.repeat(20) }); // 'data: ' + 20 + '\n\n' = 28 bytes
  assert.equal(run([enc.encode(text)], 28), ['event {"data":"yyyyyyyyyyyyyyyyyyyy"}']);
  assert.equal(run([enc.encode(text)], 27), ['error MCP_ERR_MESSAGE_TOO_LARGE']);
});

limit('multibyte characters cut by the drop do not corrupt the next event', () => {
  const text = `data: ${'😀'.repeat(30)}\n\ndata: ok é\n\n`;
  checkAllSplits(text, ['error MCP_ERR_MESSAGE_TOO_LARGE', 'event {"data":"ok é"}'], 50);
});

limit('an endless event is reported while it streams, once, and memory stays bounded', () => {
  const log: string[] = [];
  const decoder = createSseDecoder({ maxBufferBytes: 1024, onEvent: (e) => log.push(e.data), onError: (e) => log.push(e.code) });
  decoder.push(enc.encode('data: '));
  const chunk = enc.encode('z'.repeat(100));
  for (let i = 0; i < 1000; i++) decoder.push(chunk);
  assert.equal(log, ['MCP_ERR_MESSAGE_TOO_LARGE']);
  decoder.push(enc.encode('\n\ndata: after\n\n'));
  assert.equal(log, ['MCP_ERR_MESSAGE_TOO_LARGE', 'after']);
});

const roundTrip = suite('encoder and decoder agree');

roundTrip('messages, ids, multi-line data and priming survive the round trip', () => {
  const messages = Array.from({ length: 50 }, (_, i) => ({ jsonrpc: '2.0' as const, method: 'notifications/progress', params: { i, s: `é\n${i}` } }));
  const text = encodeSsePriming('s.0') + messages.map((m, i) => encodeSseMessage(m, `s.${i + 1}`)).join('') + encodeSseEvent({ data: 'a\r\nb' });
  const got: Array<{ id?: string; data: string }> = [];
  const decoder = createSseDecoder({ onEvent: (e) => got.push(e), onError: (e) => assert.unreachable(e.message) });
  for (const chunk of randomSplits(enc.encode(text), 7)) decoder.push(chunk);
  decoder.end();
  assert.equal(got[0], { id: 's.0', data: '' });
  assert.equal(got.slice(1, 51).map((e) => [e.id, JSON.parse(e.data)]), messages.map((m, i) => [`s.${i + 1}`, m]));
  assert.equal(got[51], { data: 'a\nb' });
  assert.is(got.length, 52);
});

const reader = suite('readSseStream feeds a whole body');

function handlers(events: string[]): SseDecoderOptions {
  return { onEvent: (e) => events.push(e.data), onError: (e) => events.push(e.code) };
}

reader('a ReadableStream, resolving at its end', async () => {
  const bytes = enc.encode('data: 1\n\ndata: 2\n\ndata: 3\r\r');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of splitAt(bytes, 3, 10, 17)) controller.enqueue(c);
      controller.close();
    },
  });
  const events: string[] = [];
  await readSseStream(body, handlers(events));
  assert.equal(events, ['1', '2', '3']);
});

reader('an async iterable', async () => {
  async function* gen() {
    yield enc.encode('data: a\n');
    yield enc.encode('\ndata: b\n\n');
  }
  const events: string[] = [];
  await readSseStream(gen(), handlers(events));
  assert.equal(events, ['a', 'b']);
});

reader('a throwing callback cancels the body and rejects with its error', async () => {
  let cancelled: unknown;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(enc.encode('data: x\n\n'));
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  const boom = new Error('boom');
  let seen = 0;
  try {
    await readSseStream(body, {
      onEvent: () => {
        seen += 1;
        if (seen === 3) throw boom;
      },
      onError: (e) => assert.unreachable(e.message),
    });
    assert.unreachable('resolved');
  } catch (error) {
    assert.is(error, boom);
  }
  assert.is(cancelled, boom);
  assert.is(seen, 3);
});

reader('a failing body rejects', async () => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(enc.encode('data: a\n\n'));
      controller.error(new McpError('MCP_ERR_HTTP', 'reset'));
    },
  });
  const events: string[] = [];
  try {
    await readSseStream(body, handlers(events));
    assert.unreachable('resolved');
  } catch (error) {
    assert.instance(error, McpError);
  }
});

splits.run();
bom.run();
fieldsSuite.run();
limit.run();
roundTrip.run();
reader.run();
