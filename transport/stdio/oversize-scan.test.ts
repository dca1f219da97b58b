// The scan of a line too large to keep finds its top-level id and kind, however the bytes
// are split, and is not fooled by an "id" nested in params (issue #10, item 9).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createOversizeScanner, type OversizeShape } from './oversize-scan.ts';
import { createLineDecoder } from './framing.ts';

function scan(text: string, pieceBytes = 7): OversizeShape {
  const bytes = new TextEncoder().encode(text);
  const scanner = createOversizeScanner();
  for (let at = 0; at < bytes.length; at += pieceBytes) scanner.push(bytes.subarray(at, at + pieceBytes));
  return scanner.shape();
}

const shapes = suite('oversize scan: the top-level id and kind of a message');

shapes('an id after a nested "id" in params is the top-level one', () => {
  const text = JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { id: 'inner', deep: [{ id: 1 }], s: 'a "quoted" \\ id' }, id: 'outer' });
  for (const piece of [1, 3, 7, 1000]) assert.equal(scan(text, piece), { id: 'outer', hasId: true, hasMethod: true, hasOutcome: false });
});

shapes('numbers, escaped strings, notifications and responses', () => {
  assert.equal(scan('{"id": 42 , "method":"x"}'), { id: 42, hasId: true, hasMethod: true, hasOutcome: false });
  assert.equal(scan('{"method":"x","id":"a\\"b"}'), { id: 'a"b', hasId: true, hasMethod: true, hasOutcome: false });
  assert.equal(scan('{"jsonrpc":"2.0","method":"notifications/message","params":{"id":3}}'), { id: null, hasId: false, hasMethod: true, hasOutcome: false });
  assert.equal(scan('{"jsonrpc":"2.0","id":5,"result":{"content":[]}}'), { id: 5, hasId: true, hasMethod: false, hasOutcome: true });
});

shapes('an id that is no request id, or too long, is not read', () => {
  assert.equal(scan('{"id":1.5,"method":"x"}').id, null);
  assert.equal(scan('{"id":null,"method":"x"}').id, null);
  assert.equal(scan('{"id":{"a":1},"method":"x"}').id, null);
  assert.equal(scan(`{"id":"${'z'.repeat(1000)}","method":"x"}`), { id: null, hasId: true, hasMethod: true, hasOutcome: false });
  assert.equal(scan('[{"id":1,"method":"x"}]'), { id: null, hasId: false, hasMethod: false, hasOutcome: false });
});

shapes('the line decoder hands every byte of an oversize line to the scan, then its end', () => {
  const line = JSON.stringify({ jsonrpc: '2.0', method: 'm', params: { s: 'x'.repeat(300) }, id: 9 });
  const bytes = new TextEncoder().encode(`${line}\n{"ok":1}\n`);
  for (const piece of [1, 13, 64, bytes.length]) {
    const scanner = createOversizeScanner();
    const ends: number[] = [];
    const lines: string[] = [];
    const decoder = createLineDecoder({ maxLineBytes: 100, onLine: (l) => lines.push(l), onOversizeBytes: (b) => scanner.push(b), onOversizeEnd: (n) => ends.push(n) });
    for (let at = 0; at < bytes.length; at += piece) decoder.push(bytes.slice(at, at + piece));
    decoder.end();
    assert.equal(ends, [line.length], `piece ${piece}`);
    assert.equal(lines, ['{"ok":1}']);
    assert.is(scanner.shape().id, 9, `piece ${piece}`);
  }
});

shapes.run();
