// A question a handler asks through `ctx.request` belongs to the request it handles: it goes
// out related to it (`relatedRequestId`, its stream over HTTP), and fails at once when that
// request is aborted (the peer cancelled it, or this peer closed), with or without a `signal`
// of the caller's. The request's entry holds its pending questions (inbound-requests.ts):
// no listener on the request's signal a question (bench f).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer, type Peer, type RequestContext } from './peer.ts';
import type { MethodSpec, SideMaps } from './methods.ts';
import type { SendOptions, Transport, TransportHandlers } from './transport.ts';
import type { JsonRpcMessage, RequestId } from './jsonrpc.ts';
import { LocalErrorCode, McpError } from './errors.ts';

interface Side extends SideMaps {
  outRequests: { ask: MethodSpec<undefined, { answer: string }> };
  inRequests: { work: MethodSpec<undefined, object> };
  outNotifications: object;
  inNotifications: object;
}

interface Sent { message: JsonRpcMessage; options: SendOptions | undefined }

/** A peer that handles `work` by running `handler`, over a transport that records what it sends. */
async function handling(handler: (ctx: RequestContext<Side>) => Promise<unknown>) {
  let handlers: TransportHandlers | undefined;
  const sent: Sent[] = [];
  const transport: Transport = {
    async start(h) { handlers = h; },
    async send(message, options) { sent.push({ message: message as JsonRpcMessage, options }); },
    async close() { handlers?.onClose(); },
  };
  const peer: Peer<Side> = createPeer<Side>();
  let ctx!: RequestContext<Side>;
  peer.onRequest('work', (_params, c) => {
    ctx = c;
    return handler(c);
  });
  await peer.connect(transport);
  const deliver = (message: unknown) => handlers!.onMessage(message);
  return { peer, sent, deliver, ctx: () => ctx, transport };
}

/** What `promise` settled with: `ok` or the rejection's code and message. */
const outcome = (promise: Promise<unknown>): Promise<string> =>
  promise.then(() => 'ok', (e: unknown) => (e instanceof McpError ? `${e.code}: ${e.message}` : String(e)));

const flush = () => new Promise((resolve) => setImmediate(resolve));

const questionsOf = (sent: Sent[]) => sent.filter((s) => (s.message as { method?: string }).method === 'ask');
const cancelsOf = (sent: Sent[]) => sent.filter((s) => (s.message as { method?: string }).method === 'notifications/cancelled')
  .map((s) => (s.message as unknown as { params: { requestId: RequestId } }).params.requestId);

const owner = suite('protocol: a question ends with the request it was asked for');

for (const explicit of [false, true]) {
  const how = explicit ? 'with a signal of its own' : 'without a signal';

  owner(`${how}: the peer cancels the request; the question fails at once and is cancelled in turn`, async () => {
    let asked!: Promise<string>;
    const controller = new AbortController();
    const { sent, deliver } = await handling((ctx) => {
      asked = outcome(ctx.request('ask', undefined, explicit ? { signal: controller.signal } : undefined));
      return new Promise(() => {});
    });
    deliver({ jsonrpc: '2.0', id: 7, method: 'work' });
    const [question] = questionsOf(sent);
    assert.ok(question, 'the question was sent');
    assert.is(question!.options?.relatedRequestId, 7, 'related to the request it was asked for');
    deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'user gave up' } });
    // At once: no timer had to pass, and nothing else was sent to it.
    const result = await asked;
    assert.is(result, `${LocalErrorCode.Aborted}: ask aborted`);
    assert.equal(cancelsOf(sent), [(question!.message as { id: RequestId }).id], 'the question cancelled');
    controller.abort(); // the caller's signal later: nothing more
    await flush();
    assert.is(cancelsOf(sent).length, 1);
  });

  owner(`${how}: this peer closes (its client gone); the question fails with MCP_ERR_CLOSED`, async () => {
    let asked!: Promise<string>;
    const { deliver, transport } = await handling((ctx) => {
      asked = outcome(ctx.request('ask', undefined, explicit ? { signal: new AbortController().signal } : undefined));
      return new Promise(() => {});
    });
    deliver({ jsonrpc: '2.0', id: 'w', method: 'work' });
    await transport.close();
    assert.match(await asked, /^MCP_ERR_CLOSED: /);
  });
}

owner('the caller\'s own signal still aborts the question, and the request goes on', async () => {
  const controller = new AbortController();
  let asked!: Promise<string>;
  let ctx!: RequestContext<Side>;
  const { sent, deliver } = await handling((c) => {
    ctx = c;
    asked = outcome(c.request('ask', undefined, { signal: controller.signal }));
    return new Promise(() => {});
  });
  deliver({ jsonrpc: '2.0', id: 1, method: 'work' });
  controller.abort(new Error('closed the form'));
  assert.is(await asked, `${LocalErrorCode.Aborted}: ask aborted`);
  assert.is(cancelsOf(sent).length, 1);
  assert.not.ok(ctx.signal.aborted, 'the request itself is not aborted');
});

owner('several questions pending at once all fail; one already answered is not cancelled', async () => {
  const results: Array<Promise<string>> = [];
  const { sent, deliver } = await handling((ctx) => {
    for (let i = 0; i < 3; i += 1) results.push(outcome(ctx.request('ask', undefined)));
    return new Promise(() => {});
  });
  deliver({ jsonrpc: '2.0', id: 1, method: 'work' });
  const ids = questionsOf(sent).map((s) => (s.message as { id: RequestId }).id);
  assert.is(ids.length, 3);
  deliver({ jsonrpc: '2.0', id: ids[1], result: { answer: 'yes' } });
  assert.is(await results[1], 'ok');
  deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
  assert.equal(await Promise.all([results[0], results[2]]), [`${LocalErrorCode.Aborted}: ask aborted`, `${LocalErrorCode.Aborted}: ask aborted`]);
  assert.equal(cancelsOf(sent), [ids[0], ids[2]]);
});

owner('a question answered before its request ends is not touched by a later cancel', async () => {
  let asked!: Promise<string>;
  let release!: () => void;
  const { sent, deliver } = await handling((ctx) => {
    asked = outcome(ctx.request('ask', undefined));
    return new Promise((resolve) => { release = () => resolve({}); });
  });
  deliver({ jsonrpc: '2.0', id: 1, method: 'work' });
  const [question] = questionsOf(sent);
  deliver({ jsonrpc: '2.0', id: (question!.message as { id: RequestId }).id, result: { answer: 'a' } });
  assert.is(await asked, 'ok');
  deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
  await flush();
  assert.equal(cancelsOf(sent), []);
  release();
});

owner('a question asked after its request was cancelled is refused before it is sent, naming why', async () => {
  let ctx!: RequestContext<Side>;
  const { sent, deliver } = await handling((c) => {
    ctx = c;
    return new Promise(() => {});
  });
  deliver({ jsonrpc: '2.0', id: 1, method: 'work' });
  deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'gone' } });
  const error = await ctx.request('ask', undefined).catch((e: unknown) => e) as McpError;
  assert.is(error.code, LocalErrorCode.Aborted);
  assert.is(error.message, 'ask aborted before it was sent');
  assert.match(String((error.cause as Error).message), /gone/);
  assert.equal(questionsOf(sent), []);
});

owner('a relatedRequestId in the options is the request\'s own, and the options are not changed', async () => {
  const options = { relatedRequestId: 99, timeoutMs: 5_000 };
  const { sent, deliver } = await handling((ctx) => {
    void ctx.request('ask', undefined, options).catch(() => {});
    return new Promise(() => {});
  });
  deliver({ jsonrpc: '2.0', id: 3, method: 'work' });
  assert.is(questionsOf(sent)[0]!.options?.relatedRequestId, 3);
  assert.equal(options, { relatedRequestId: 99, timeoutMs: 5_000 });
});

owner.run();
