/**
 * The single-use memory of request states (request-state.ts, `maxReplayMemory`): a used state
 * is refused as replayed while it is remembered; past the memory's size the oldest is
 * forgotten first, and an expired one is forgotten (it is refused as expired anyway).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RequestStateSealer, paramsHint, paramsText, type StatePayload } from './request-state.ts';
import { refusal } from '../../test/modern-kit.ts';

const test = suite('requestState single-use memory');
const params = paramsText({ name: 'ask', arguments: {} });

function payload(nonce: string, expiresAt: number): StatePayload {
  // paramsHint as open() computes it, or the state reads as another request's.
  return { continuation: 'c', method: 'tools/call', paramsHint: paramsHint(params), principal: '', expiresAt, nonce, answers: {} };
}

async function sealed(sealer: RequestStateSealer, nonce: string, expiresAt = 10_000): Promise<string> {
  return sealer.seal(payload(nonce, expiresAt), params);
}

test('a used state is refused as replayed; past maxReplayMemory the oldest is forgotten first', async () => {
  const sealer = new RequestStateSealer({ maxReplayMemory: 2 });
  const states = [await sealed(sealer, 'n1'), await sealed(sealer, 'n2'), await sealed(sealer, 'n3')];
  for (const state of states) await sealer.open(state, 'tools/call', params, '', 0);
  // n1 was pushed out by n3; n2 and n3 are still remembered.
  assert.is(await refusal(() => sealer.open(states[0], 'tools/call', params, '', 0)), undefined);
  assert.is(await refusal(() => sealer.open(states[2], 'tools/call', params, '', 0)), 'replayed');
  // n1 again pushed out n2 (the oldest now).
  assert.is(await refusal(() => sealer.open(states[1], 'tools/call', params, '', 0)), undefined);
  assert.is(await refusal(() => sealer.open(states[0], 'tools/call', params, '', 0)), 'replayed');
});

test('the memory holds many more states than its size over time (the ring wraps)', async () => {
  const sealer = new RequestStateSealer({ maxReplayMemory: 3 });
  const states: string[] = [];
  for (let i = 0; i < 20; i++) {
    states.push(await sealed(sealer, `w${i}`));
    await sealer.open(states[i], 'tools/call', params, '', 0);
  }
  for (let i = 17; i < 20; i++) assert.is(await refusal(() => sealer.open(states[i], 'tools/call', params, '', 0)), 'replayed', `w${i}`);
});

test('an expired state is refused as expired, and forgetting it leaves the newer ones remembered', async () => {
  const sealer = new RequestStateSealer({ maxReplayMemory: 10 });
  const early = await sealed(sealer, 'e', 100);
  const late = await sealed(sealer, 'l', 1_000);
  await sealer.open(early, 'tools/call', params, '', 0);
  await sealer.open(late, 'tools/call', params, '', 0);
  assert.is(await refusal(() => sealer.open(early, 'tools/call', params, '', 500)), 'expired');
  assert.is(await refusal(() => sealer.open(late, 'tools/call', params, '', 500)), 'replayed');
});

test('the ring grows while wrapped (its first 64 slots) and keeps the age order up to maxReplayMemory', async () => {
  const sealer = new RequestStateSealer({ maxReplayMemory: 150 });
  const open = (state: string, now: number) => sealer.open(state, 'tools/call', params, '', now);
  // 10 that expire early, forgotten at now 200: the ring's head moves off slot 0 before it grows.
  for (let i = 0; i < 10; i++) await open(await sealed(sealer, `x${i}`, 100), 0);
  const states: string[] = [];
  for (let i = 0; i < 160; i++) {
    states.push(await sealed(sealer, `k${i}`));
    await open(states[i]!, 200);
  }
  // 150 remembered: k10..k159; k0..k9 were the oldest, forgotten first.
  for (let i = 0; i < 10; i++) assert.is(await refusal(() => open(states[i]!, 200)), undefined, `k${i}`);
  for (let i = 20; i < 160; i++) assert.is(await refusal(() => open(states[i]!, 200)), 'replayed', `k${i}`);
});

test('maxReplayMemory 0 remembers nothing (the option as it always read)', async () => {
  const sealer = new RequestStateSealer({ maxReplayMemory: 0 });
  const state = await sealed(sealer, 'z');
  await sealer.open(state, 'tools/call', params, '', 0);
  assert.is(await refusal(() => sealer.open(state, 'tools/call', params, '', 0)), undefined);
});

test.run();
