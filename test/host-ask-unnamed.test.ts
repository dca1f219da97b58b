// A question a stdio server asks with two of its calls running: stdio ties a server's request
// to no call (2025-11-25 basic/transports), so it came as "? local asks:" and neither call's
// live line said anything of it; the person could not tell which call waited on the answer
// (hostwalk15's leftover). Now the header names each call it may be for, and each of their
// live lines says so while it is on screen. A question that names its call is unchanged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { CreateMessageParams, ElicitParams } from 'mcpwire/protocol';
import { createAskHandlers } from '../host/asks.ts';
import { createCallOutput, waitingText } from '../host/calls.ts';
import type { Connection } from '../host/connection-types.ts';
import { createCallHistory } from '../host/history.ts';
import { createLocalSummariser } from '../host/sampling.ts';
import { tempDir } from './host-harness.ts';
import { scriptedTerminal } from './scripted-terminal.ts';

async function setUp(tools: string[]) {
  const dir = await tempDir('mcpwire-ask-unnamed-');
  const { term, printed, asked, nextAsk } = scriptedTerminal();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const history = createCallHistory({ file: join(dir.path, 'history.json'), onError: (e) => { throw e; } });
  const conn = { name: 'local', spec: { kind: 'stdio' }, reconnects: 0, hold() {}, holdQuestion() {}, release() {}, releaseOnNext() {}, noteProgress() {} } as unknown as Connection;
  const calls = tools.map((tool, i) => {
    const record = history.begin({ server: 'local', serverName: 'local', tool, args: {}, requestId: i + 1 });
    const call = output.add(record.n, { conn, tool, args: {}, resumed: false, quiet: false });
    call.requestId = i + 1;
    return { call, record };
  });
  const shutdown = new AbortController();
  const asks = createAskHandlers({
    term, output, shutdown: shutdown.signal, yes: false, provider: createLocalSummariser(), openUrl: undefined,
    history, pageLines: 1_000, recordOf: (c) => calls.find((x) => x.call === c)?.record,
  });
  const done = async () => {
    for (const { call } of calls) output.finish(call);
    shutdown.abort();
    await history.flush();
    await dir.remove();
  };
  // The live lines as a terminal draws them (scriptedTerminal is a pipe, which draws none).
  const live = new Map<string, string>();
  (term as { tty: boolean }).tty = true;
  (term as { setLive(key: string, line: string | undefined): void }).setLive = (key, line) => { if (line === undefined) live.delete(key); else live.set(key, line); };
  return { conn, asks, output, live, printed, asked, nextAsk, calls: calls.map((c) => c.call), done };
}

const form: ElicitParams = { mode: 'form', message: 'Book London → Tokyo?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } } as ElicitParams;
const model: CreateMessageParams = { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise: trains run on time.' } }], maxTokens: 60 };

const unnamed = suite('host: a question that names no call, with several running on its server');

unnamed('a form names both calls it may be for, and both live lines say so until it is answered', async () => {
  const t = await setUp(['travel_agent', 'research_agent']);
  try {
    const answer = t.asks.elicit(t.conn, undefined, form, new AbortController().signal);
    await t.nextAsk(1);
    const text = t.printed.join('\n');
    assert.match(text, /\? local asks, for #1 travel_agent or #2 research_agent \(a stdio server's question does not say which call it is for\):/, text);
    for (const call of t.calls) assert.is(waitingText(call), 'the form below may be for it', `#${call.n}`);
    // On the live lines too (drawn with the next progress): they said nothing of it.
    for (const call of t.calls) t.output.progress(call, { progress: 6, total: 10, message: 'Waiting' });
    for (const call of t.calls) assert.match(t.live.get(`call-${call.n}`) ?? '(none)', / · the form below may be for it · Waiting$/);
    t.asked[0]!.answer('d');
    assert.is((await answer).action, 'decline');
    for (const call of t.calls) assert.is(waitingText(call), '', `#${call.n} after the answer`);
  } finally {
    await t.done();
  }
});

unnamed('a model request names them too', async () => {
  const t = await setUp(['travel_agent', 'research_agent', 'research_agent']);
  try {
    const answer = t.asks.sample(t.conn, undefined, model, new AbortController().signal);
    await t.nextAsk(1);
    assert.match(t.printed.join('\n'), /🧠 local asks the model, for #1 travel_agent, #2 research_agent or #3 research_agent \(a stdio server's question does not say which call it is for\):/);
    assert.is(waitingText(t.calls[2]!), 'the model request below may be for it');
    t.asked[0]!.answer('y');
    await answer;
    assert.is(waitingText(t.calls[2]!), '');
  } finally {
    await t.done();
  }
});

unnamed('with one call running, the question is that call\'s, as before', async () => {
  const t = await setUp(['travel_agent']);
  try {
    const answer = t.asks.elicit(t.conn, undefined, form, new AbortController().signal);
    await t.nextAsk(1);
    assert.match(t.printed.join('\n'), /\? #1 travel_agent asks:/);
    assert.is(waitingText(t.calls[0]!), 'answer its form below');
    t.asked[0]!.answer('c');
    await answer;
  } finally {
    await t.done();
  }
});

unnamed.run();
