import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkContentBlock, fitContentBlock, fitContentBlocks, toReadResult } from './contents.ts';
import type { ContentBlock } from '../protocol/index.ts';

const read = suite('contents: what readers return becomes a read result');

read('text takes the definition mimeType; bytes become base64; undefined and null mean not found', () => {
  assert.equal(toReadResult('hi', 'a://x', 'text/plain'), { contents: [{ uri: 'a://x', mimeType: 'text/plain', text: 'hi' }] });
  assert.equal(toReadResult('hi', 'a://x', undefined), { contents: [{ uri: 'a://x', text: 'hi' }] });
  assert.equal(toReadResult(new Uint8Array([104, 105]), 'a://x', undefined), { contents: [{ uri: 'a://x', blob: 'aGk=' }] });
  const view = new Uint8Array([0, 104, 105, 0]).subarray(1, 3);
  assert.equal(toReadResult(view, 'a://x', undefined)!.contents[0], { uri: 'a://x', blob: 'aGk=' }, 'only the view, not its whole buffer');
  assert.is(toReadResult(undefined, 'a://x', undefined), undefined);
  assert.is(toReadResult(null, 'a://x', undefined), undefined);
});

read('one contents object, an array or a full result pass through', () => {
  const one = { uri: 'a://x', blob: 'AA==' };
  assert.equal(toReadResult(one, 'a://x', 'text/plain'), { contents: [one] });
  assert.equal(toReadResult([one, one], 'a://x', undefined), { contents: [one, one] });
  const full = { contents: [one], _meta: { k: 1 } };
  assert.is(toReadResult(full, 'a://x', undefined), full);
});

read('contents without a uri, with neither or both of text and blob, are refused', () => {
  assert.throws(() => toReadResult({ text: 'x' } as never, 'a://x', undefined), /contents\[0\]/);
  assert.throws(() => toReadResult([{ uri: 'a://x', text: 'x' }, { uri: 'a://y' }] as never, 'a://x', undefined), /contents\[1\]/);
  assert.throws(() => toReadResult({ uri: 'a://x', text: 'x', blob: 'AA==' } as never, 'a://x', undefined), /exactly one/);
  assert.throws(() => toReadResult(42 as never, 'a://x', undefined));
});

const fit = suite('contents: blocks fitted to the protocol version');

const link: ContentBlock = { type: 'resource_link', uri: 'a://l', name: 'l', title: 'The L', mimeType: 'text/plain' };
const audio: ContentBlock = { type: 'audio', data: 'AA==', mimeType: 'audio/wav' };

fit('resource_link becomes text before 2025-06-18; audio before 2025-03-26; the rest is untouched', () => {
  assert.is(fitContentBlock(link, '2025-06-18'), link);
  assert.equal(fitContentBlock(link, '2025-03-26'), { type: 'text', text: 'Resource link: The L <a://l> (text/plain)' });
  assert.is(fitContentBlock(audio, '2025-03-26'), audio);
  assert.equal(fitContentBlock(audio, '2024-11-05'), { type: 'text', text: '[audio content (audio/wav) omitted: protocol version too old]' });
  const blocks: ContentBlock[] = [{ type: 'text', text: 'x' }];
  assert.is(fitContentBlocks(blocks, '2024-11-05'), blocks, 'same array when nothing changes');
  assert.is(fitContentBlock(link, ''), link, 'no version known yet: untouched');
});

fit('checkContentBlock refuses unknown types and embedded resources without contents', () => {
  checkContentBlock(link, 'x');
  assert.throws(() => checkContentBlock({ type: 'video' }, 'm[0]'), /m\[0\]: not a content block/);
  assert.throws(() => checkContentBlock({ type: 'resource', resource: { uri: 'a://x' } }, 'm'), /embedded resource/);
  assert.throws(() => checkContentBlock('text', 'm'));
});

read.run();
fit.run();
