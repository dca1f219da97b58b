import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLineDecoder, encodeLine } from './framing.ts';

const enc = new TextEncoder();

/** Decode `chunks` and return the lines and oversize reports. */
function run(chunks: Uint8Array[], maxLineBytes?: number) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const decoder = createLineDecoder({
    ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
    onLine: (l) => lines.push(l),
    onOversize: (n) => oversize.push(n),
  });
  for (const c of chunks) decoder.push(c);
  decoder.end();
  return { lines, oversize, decoder };
}

/** Split `bytes` at each of `offsets`. */
function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const o of [...offsets, bytes.length]) {
    out.push(bytes.slice(prev, o));
    prev = o;
  }
  return out;
}

const framing = suite('stdio framing decodes lines from byte chunks');

framing('a message split at every byte offset is decoded whole', () => {
  const text = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"héllo 😀 世界"}}';
  const bytes = enc.encode(`${text}\n${text}\n`);
  for (let i = 0; i <= bytes.length; i++) {
    const { lines } = run(splitAt(bytes, i));
    assert.equal(lines, [text, text], `split at ${i}`);
  }
  // and every byte as its own chunk
  assert.equal(run(splitAt(bytes, ...Array.from({ length: bytes.length - 1 }, (_, i) => i + 1))).lines, [text, text]);
});

framing('a 4-byte emoji split across chunks', () => {
  const bytes = enc.encode('"a😀b"\n');
  assert.is(bytes.length, 1 + 1 + 4 + 1 + 1 + 1);
  for (const cut of [[3], [4], [5], [3, 4, 5]]) assert.equal(run(splitAt(bytes, ...cut)).lines, ['"a😀b"'], `cut ${cut.join(',')}`);
});

framing('CRLF, also split between chunks, loses its CR', () => {
  assert.equal(run([enc.encode('{"a":1}\r\n{"b":2}\r\n')]).lines, ['{"a":1}', '{"b":2}']);
  assert.equal(run([enc.encode('{"a":1}\r'), enc.encode('\n{"b":2}\r'), enc.encode('\n')]).lines, ['{"a":1}', '{"b":2}']);
});

framing('empty and whitespace-only lines are skipped', () => {
  assert.equal(run([enc.encode('\n\r\n  \t \n{"a":1}\n\n \r\n{"b":2}\n')]).lines, ['{"a":1}', '{"b":2}']);
});

framing('a BOM at the very start is dropped, also when split; elsewhere it is kept', () => {
  const bytes = enc.encode('\uFEFF{"a":1}\n\uFEFF{"b":2}\n');
  for (let i = 0; i <= 4; i++) assert.equal(run(splitAt(bytes, i)).lines, ['{"a":1}', '\uFEFF{"b":2}'], `split at ${i}`);
  assert.equal(run([enc.encode('\uFEFF\n{"a":1}\n')]).lines, ['{"a":1}']);
});

framing('a final line without a newline is delivered at end()', () => {
  assert.equal(run([enc.encode('{"a":1}\n{"b"'), enc.encode(':2}')]).lines, ['{"a":1}', '{"b":2}']);
});

framing('a 10 MB line is reported once and dropped; the next line is delivered', () => {
  const max = 4 * 1024 * 1024;
  const big = new Uint8Array(10 * 1024 * 1024).fill(0x61); // 'a' * 10 MiB
  const chunkSize = 64 * 1024;
  const chunks: Uint8Array[] = [enc.encode('{"first":1}\n"')];
  for (let at = 0; at < big.length; at += chunkSize) chunks.push(big.subarray(at, at + chunkSize));
  chunks.push(enc.encode('"\n{"jsonrpc":"2.0","method":"next"}\n'));

  const lines: string[] = [];
  const oversize: number[] = [];
  let maxBuffered = 0;
  const decoder = createLineDecoder({ onLine: (l) => lines.push(l), onOversize: (n) => oversize.push(n) });
  for (const c of chunks) {
    decoder.push(c);
    maxBuffered = Math.max(maxBuffered, decoder.bufferedBytes);
  }
  decoder.end();
  assert.equal(lines, ['{"first":1}', '{"jsonrpc":"2.0","method":"next"}']);
  assert.is(oversize.length, 1);
  assert.ok(oversize[0]! > max, `reported ${oversize[0]} bytes`);
  assert.ok(maxBuffered <= max + 1, `buffered at most ${maxBuffered} bytes`);
});

framing('an oversize line inside one chunk, and the limit is exclusive of the line ending', () => {
  const { lines, oversize } = run([enc.encode('12345678\r\n123456789\nabc\n')], 8);
  assert.equal(lines, ['12345678', 'abc']);
  assert.equal(oversize, [9]);
  // two oversize lines in a row are each reported once
  const r = run([enc.encode('aaaaaaaaaaaa'), enc.encode('aaaa\nbbbbbbbbbbbbb'), enc.encode('bb\nok\n')], 8);
  assert.equal(r.lines, ['ok']);
  assert.is(r.oversize.length, 2);
});

framing('many small chunks of one long line are joined in linear time', () => {
  const line = 'x'.repeat(2 * 1024 * 1024);
  const bytes = enc.encode(`${line}\n`);
  const started = performance.now();
  const { lines } = run(Array.from({ length: bytes.length / 16 + 1 }, (_, i) => bytes.subarray(i * 16, i * 16 + 16)));
  assert.is(lines.length, 1);
  assert.is(lines[0]!.length, line.length);
  assert.ok(performance.now() - started < 5_000);
});

framing('encodeLine is JSON plus one newline and never embeds a raw newline', () => {
  const line = encodeLine({ jsonrpc: '2.0', method: 'x', params: { text: 'a\nb\r\nc\u2028' } });
  assert.ok(line.endsWith('\n'));
  assert.is(line.indexOf('\n'), line.length - 1);
  assert.not.ok(line.includes('\r'));
  assert.equal(JSON.parse(line), { jsonrpc: '2.0', method: 'x', params: { text: 'a\nb\r\nc\u2028' } });
  assert.throws(() => encodeLine(undefined), TypeError);
  assert.throws(() => encodeLine({ n: 1n }));
});

framing('Buffer chunks, as Node streams deliver them, decode exactly like plain byte arrays', () => {
  const text = '{"a":"héllo 😀 世界"}';
  const bytes = enc.encode(`\uFEFF${text}\r\n\uFEFF${text}\n \t\n`);
  for (let i = 0; i <= bytes.length; i++) {
    const asBuffers = splitAt(bytes, i).map((c) => Buffer.from(c));
    assert.equal(run(asBuffers).lines, [text, `\uFEFF${text}`], `split at ${i}`);
  }
  // Invalid UTF-8 is replaced the same way on both paths.
  const invalid = new Uint8Array([0x22, 0xc3, 0x28, 0xe2, 0x82, 0x22, 0xff, 0x0a]);
  assert.equal(run([Buffer.from(invalid)]).lines, run([invalid]).lines);
});

framing('a line that is not UTF-8 goes to onNotUtf8, with its first bad byte\'s offset in the line, at every split; a real U+FFFD does not', () => {
  const bytes = new Uint8Array([...enc.encode('{"a":1}\n\uFEFF"x'), 0xc3, 0x28, 0xe2, 0x82, ...enc.encode('"\r\n"\uFFFD"\n')]);
  for (let i = 0; i <= bytes.length; i++) {
    for (const wrap of [(c: Uint8Array) => c, (c: Uint8Array) => Buffer.from(c)]) {
      const lines: string[] = [];
      const refused: Array<[string, number, number, string]> = [];
      const decoder = createLineDecoder({ onLine: (l) => lines.push(l), onNotUtf8: (e, lossy) => refused.push([e.message, e.offset, e.byteLength, lossy]) });
      for (const c of splitAt(bytes, i)) decoder.push(wrap(c));
      decoder.end();
      assert.equal(lines, ['{"a":1}', '"\uFFFD"'], `split at ${i}`);
      // The BOM is not the stream's first: it stays, and counts: 3 bytes, then `"x`, then the bad one.
      assert.equal(refused, [['the line is not valid UTF-8 (byte 0xC3 at offset 5); JSON-RPC messages must be UTF-8', 5, 10, '\uFEFF"x\uFFFD(\uFFFD"']], `split at ${i}`);
    }
  }
  // Without onNotUtf8 the line is delivered as it decodes.
  assert.equal(run([new Uint8Array([0x22, 0xc3, 0x28, 0x22, 0x0a])]).lines, ['"\uFFFD("']);
});

framing.run();
