/**
 * One HMAC a multi round trip (request-state.ts `IssuedState`): the retry that comes back to the
 * instance still holding its continuation is known by the state issued for it, without a
 * second MAC; every other state (changed, replayed, expired, for other params, another
 * instance's) is still verified and refused as before. The HMACs are counted where they are
 * made (`createHmac` of the node:crypto module the MAC uses).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type * as NodeCrypto from 'node:crypto';
import type { Timers } from '../../protocol/index.ts';
import { createServer, type McpServer } from '../server.ts';
import { Exchange, refusal, request } from '../../test/modern-kit.ts';
import { RequestStateSealer, paramsHint, paramsText, type IssuedState, type StatePayload } from './request-state.ts';

const nodeCrypto = process.getBuiltinModule('node:crypto') as typeof NodeCrypto & { createHmac: typeof NodeCrypto.createHmac };

/** Run `body` counting the HMACs made meanwhile. */
async function countHmacs(body: () => Promise<void>): Promise<number> {
  const original = nodeCrypto.createHmac;
  let count = 0;
  nodeCrypto.createHmac = ((...args: Parameters<typeof original>) => {
    count++;
    return original(...args);
  }) as typeof original;
  try {
    await body();
  } finally {
    nodeCrypto.createHmac = original;
  }
  return count;
}

const CAPS = { elicitation: {} };
const ELICIT = { message: 'Your name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
const accept = (name: string) => ({ action: 'accept', content: { name } });
const KEY = new Uint8Array(32).fill(9);

function askingServer(): McpServer {
  const server = createServer({ name: 'issued', version: '1.0.0' });
  server.tool({ name: 'greet', description: 'Asks a name.' }, async (_args, ctx) => {
    const answer = await ctx.elicit(ELICIT, { key: 'who' });
    return `Hello, ${String(answer.content?.name)}!`;
  });
  return server;
}

const ask = (args: Record<string, unknown> = {}) => request('tools/call', { name: 'greet', arguments: args }, CAPS);
const retry = (args: Record<string, unknown>, state: unknown) => request('tools/call', { name: 'greet', arguments: args, inputResponses: { who: accept('Ada') }, requestState: state }, CAPS);

async function reason(x: Exchange, message: Record<string, unknown>): Promise<string> {
  const error = await x.error(message, 200);
  assert.is(error.code, -32602);
  return error.data.reason as string;
}

const Trip = suite('a multi round trip makes one HMAC when its retry comes back to its instance');

Trip('ask, then the retry with the state: one HMAC (the seal), the handler resumed', async () => {
  const x = new Exchange(askingServer());
  let done: Record<string, unknown> | undefined;
  const hmacs = await countHmacs(async () => {
    const first = await x.result(ask({ lang: 'en' }));
    assert.is(first.resultType, 'input_required');
    done = await x.result(retry({ lang: 'en' }, first.requestState));
  });
  assert.equal(done?.content, [{ type: 'text', text: 'Hello, Ada!' }]);
  assert.is(hmacs, 1, 'sealed once, known again without a second MAC');
});

Trip('a retry at another instance (same key) holds no continuation: its state is verified', async () => {
  const a = new Exchange(askingServer(), { inputRounds: { key: KEY } });
  const b = new Exchange(askingServer(), { inputRounds: { key: KEY } });
  const first = await a.result(ask());
  const hmacs = await countHmacs(async () => {
    const done = await b.result(retry({}, first.requestState));
    assert.equal(done.content, [{ type: 'text', text: 'Hello, Ada!' }]);
  });
  assert.is(hmacs, 1, 'the verify');
});

Trip('states the instance still holds a continuation for are refused as before', async () => {
  const x = new Exchange(askingServer());
  const first = await x.result(ask({ lang: 'en' }));
  const state = first.requestState as string;
  const [, body, mac] = state.split('.') as [string, string, string];
  // Its MAC on a changed body (the MAC is the issued one, the text is not).
  const changedBody = `v2.${body.slice(0, 8)}${body[8] === 'A' ? 'B' : 'A'}${body.slice(9)}.${mac}`;
  assert.is(await reason(x, retry({ lang: 'en' }, changedBody)), 'tampered');
  const changedMac = `v2.${body}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
  assert.is(await reason(x, retry({ lang: 'en' }, changedMac)), 'tampered');
  // The exact state for other params (moved to another request).
  assert.is(await reason(x, retry({ lang: 'fr' }, state)), 'other-request');
  // Used once, then replayed.
  const done = await x.result(retry({ lang: 'en' }, state));
  assert.equal(done.content, [{ type: 'text', text: 'Hello, Ada!' }]);
  assert.is(await reason(x, retry({ lang: 'en' }, state)), 'replayed');
});

Trip('an expired state is refused though its continuation is still kept', async () => {
  let now = 1_000_000;
  const timers: Timers = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const x = new Exchange(askingServer(), { timers, inputRounds: { ttlMs: 1000 } });
  const first = await x.result(ask());
  now += 1001; // the sweep timer never runs here: the continuation is still in the map
  assert.is(await reason(x, retry({}, first.requestState)), 'expired');
});

const Sealer = suite('RequestStateSealer.open with the issued state');
const params = paramsText({ name: 'greet', arguments: {} });
const payload = (nonce: string): StatePayload => ({ continuation: 'c1', method: 'tools/call', paramsHint: paramsHint(params), principal: '', expiresAt: 10_000, nonce, answers: {} });

Sealer('an issued state that is not the one echoed is no proof: the echoed one is verified', async () => {
  const sealer = new RequestStateSealer({ key: KEY });
  const older = await sealer.issue(payload('n1'), params);
  const newer = await sealer.issue(payload('n2'), params);
  const kept = (id: string): IssuedState | undefined => (id === 'c1' ? newer : undefined);
  // The older state of the same continuation, echoed while the newer is kept: verified (one HMAC), then taken.
  assert.is(await countHmacs(async () => { await sealer.open(older.state, 'tools/call', params, '', 0, kept); }), 1);
  assert.is(await countHmacs(async () => { await sealer.open(newer.state, 'tools/call', params, '', 0, kept); }), 0);
  assert.is(await refusal(() => sealer.open(newer.state, 'tools/call', params, '', 0, kept)), 'replayed');
  // A state from another key, naming the kept continuation: refused.
  const foreign = await new RequestStateSealer({ key: new Uint8Array(32).fill(1) }).issue(payload('n3'), params);
  assert.is(await refusal(() => sealer.open(foreign.state, 'tools/call', params, '', 0, kept)), 'tampered');
});

for (const s of [Trip, Sealer]) s.run();
