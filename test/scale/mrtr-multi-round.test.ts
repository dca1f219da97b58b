// Issue #18: a three-round MRTR request whose rounds alternate between two instances (A, B,
// A). The instance that answered round one still holds that round's continuation; round three
// must not resume it (it is a round behind) but re-run with every recorded answer
// (2026-07-28 basic/patterns/mrtr). In process: two dispatchers sharing the sealing key.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../../server/server.ts';
import { createModernDispatcher } from '../../server/modern/dispatcher.ts';
import { request } from '../modern-kit.ts';

const test = suite('scale-out: MRTR rounds alternating between instances');

test('A, B, A: the third round completes with both answers', async () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const instance = () => {
    const server = createServer({ name: 'multi-round', version: '1.0.0' });
    server.tool({ name: 'two_steps', description: 'Asks twice, one after the other.' }, async (_args, ctx) => {
      const form = { type: 'object' as const, properties: { value: { type: 'string' as const } }, required: ['value'] };
      const first = await ctx.elicit({ message: 'First?', requestedSchema: form });
      const second = await ctx.elicit({ message: 'Second?', requestedSchema: form });
      return `${String(first.content?.value)} then ${String(second.content?.value)}`;
    });
    return createModernDispatcher(server, { inputRounds: { key } });
  };
  const [a, b] = [instance(), instance()];
  const caps = { elicitation: {} };
  const call = async (on: typeof a, params: Record<string, unknown>) => (await on.handle(request('tools/call', { name: 'two_steps', ...params }, caps)))!.message as { result: Record<string, any> };
  const one = await call(a, {});
  assert.is(one.result.resultType, 'input_required');
  const [k1] = Object.keys(one.result.inputRequests);
  const two = await call(b, { inputResponses: { [k1!]: { action: 'accept', content: { value: 'x' } } }, requestState: one.result.requestState });
  assert.is(two.result.resultType, 'input_required');
  const [k2] = Object.keys(two.result.inputRequests);
  assert.is.not(k2, k1);
  const three = await call(a, { inputResponses: { [k2!]: { action: 'accept', content: { value: 'y' } } }, requestState: two.result.requestState });
  assert.equal(three.result.content, [{ type: 'text', text: 'x then y' }]);
});

test.run();
