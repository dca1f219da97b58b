import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstEventEnd, gateEvents, gatedEventId } from './event-gate.ts';

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

const gate = suite('host: events shown on delivery pass only once their id is saved');

gate('the priming event, progress and log lines are gated; a request, a response and an id-less event are not', () => {
  assert.is(gatedEventId(bytes('id: a.0\ndata:\n\n')), 'a.0');
  assert.is(gatedEventId(bytes('id:a.1\r\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\r\n\r\n')), 'a.1');
  assert.is(gatedEventId(bytes(': comment\nevent: ping\nid: a.2\ndata: x\n\n')), 'a.2', 'another event type carries no message');
  assert.is(gatedEventId(bytes('id: a.3\ndata: {"jsonrpc":"2.0","id":7,"method":"elicitation/create","params":{}}\n\n')), undefined);
  assert.is(gatedEventId(bytes('id: a.4\ndata: {"jsonrpc":"2.0","id":7,"result":{}}\n\n')), undefined);
  assert.is(gatedEventId(bytes('data: {"jsonrpc":"2.0","method":"notifications/message"}\n\n')), undefined);
  assert.is(gatedEventId(bytes('id: a.5\ndata: {not json\n\n')), undefined);
});

gate('each gated event waits for its save; the next is taken only after the reader took the one before', async () => {
  const saves: string[][] = [];
  let wrote!: (ok: boolean) => void;
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      // Two events in one chunk, the second split across chunks.
      c.enqueue(bytes('id: a.0\ndata:\n\nid: a.1\ndata: {"method":"notifications/progress"}'));
      c.enqueue(bytes('\n\nid: a.2\ndata: {"id":1,"result":{}}\n\n'));
      c.close();
    },
  });
  const reader = gateEvents(source, (ids) => { saves.push(ids); return new Promise<boolean>((r) => { wrote = r; }); }).getReader();
  const first = reader.read();
  await until(() => saves.length === 1);
  assert.equal(saves, [['a.0']]);
  wrote(true);
  assert.is(new TextDecoder().decode((await first).value), 'id: a.0\ndata:\n\n');
  assert.equal(saves, [['a.0']], 'the next event is not taken before the reader asks');
  const second = reader.read();
  await until(() => saves.length === 2);
  wrote(true);
  assert.is(new TextDecoder().decode((await second).value), 'id: a.1\ndata: {"method":"notifications/progress"}\n\n');
  assert.is(new TextDecoder().decode((await reader.read()).value), 'id: a.2\ndata: {"id":1,"result":{}}\n\n');
  assert.equal(saves, [['a.0'], ['a.1']], 'the response is not saved ahead');
  assert.is((await reader.read()).done, true);
});

gate('an event whose end is not within the search bound passes as it comes; a save that timed out ends the gating', async () => {
  const saves: string[][] = [];
  const big = `id: b.1\ndata: {"method":"notifications/message","params":{"data":"${'x'.repeat(200)}"}}\n\n`;
  const source = new ReadableStream<Uint8Array>({
    start(c) { c.enqueue(bytes(big.slice(0, 100))); c.enqueue(bytes(big.slice(100))); c.enqueue(bytes('id: b.2\ndata:\n\n')); c.enqueue(bytes('id: b.3\ndata:\n\n')); c.close(); },
  });
  const reader = gateEvents(source, async (ids) => { saves.push(ids); return false; }, 64).getReader();
  let text = '';
  for (let i = 0; i < 10; i++) {
    const next = await reader.read();
    if (next.done) break;
    text += new TextDecoder().decode(next.value);
  }
  assert.is(text, `${big}id: b.2\ndata:\n\nid: b.3\ndata:\n\n`);
  assert.equal(saves, [['b.2']], 'the long event passed ungated, b.2 timed out, b.3 passed ungated');
});

gate('gated events read together are saved in one call and passed on together; a request ends the batch', async () => {
  const saves: string[][] = [];
  const progress = (n: number) => `id: c.${n}\ndata: {"method":"notifications/progress","params":{"progress":${n}}}\n\n`;
  const request = 'id: c.4\ndata: {"id":9,"method":"sampling/createMessage"}\n\n';
  const source = new ReadableStream<Uint8Array>({
    start(c) { c.enqueue(bytes(progress(1) + progress(2) + progress(3) + request + progress(5))); c.close(); },
  });
  const reader = gateEvents(source, async (ids) => { saves.push(ids); return true; }).getReader();
  const chunks: string[] = [];
  for (let i = 0; i < 10; i++) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(new TextDecoder().decode(next.value));
  }
  assert.equal(chunks, [progress(1) + progress(2) + progress(3), request, progress(5)]);
  assert.equal(saves, [['c.1', 'c.2', 'c.3'], ['c.5']]);
});

/** Wait (bounded) for a condition set by a save call. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await new Promise<void>((r) => setImmediate(r));
  assert.ok(ok(), 'condition reached');
}

gate.run();
end.run();
