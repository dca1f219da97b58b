// Lines on a stdio server's stdout that are not MCP messages (2025-11-25 basic/transports,
// stdio: the server MUST NOT write them). The client never answers one: before, each line
// that was not JSON got a -32700 answer, and a program that writes back what it reads looped
// with the client (over 20,000 lines in 5 s) while initialize waited out its timeout. Now
// each line is reported (a bounded number of times), and a line that holds our own request
// or its answer with other text around it fails that request at once, saying so.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, type ClientOptions } from '../../client/index.ts';
import { createPeer } from '../../protocol/index.ts';
import { createStdioClientTransport } from './client.ts';

const fixture = fileURLToPath(new URL('./fixtures/prefix-echo-server.mjs', import.meta.url));
const test = suite('stdio client: lines from the server that are not MCP messages');

interface Run {
  transport: ReturnType<typeof createStdioClientTransport>;
  errors: Error[];
  /** The program's stderr, whole once it exited. */
  stderr(): Promise<string>;
}

function start(mode: string, extra: { maxStrayLineReports?: number } = {}): Run {
  let text = '';
  let exited!: () => void;
  const whenExited = new Promise<void>((r) => { exited = r; });
  const transport = createStdioClientTransport({
    command: process.execPath, args: [fixture, mode], closeGraceMs: 2_000, ...extra,
    stderr: (chunk) => { text += chunk; if (text.includes('lines read:')) exited(); },
  });
  return { transport, errors: [], stderr: () => whenExited.then(() => text) };
}

/** The number the program wrote as "lines read: N" when its stdin ended. */
function linesRead(stderr: string): number {
  return Number(/lines read: (\d+)/.exec(stderr)?.[1] ?? NaN);
}

for (const era of ['legacy', 'auto', 'modern'] as const) {
  test(`era ${era}: a program that writes every line back with a prefix: connect fails at once, precisely, and nothing is answered`, async () => {
    const run = start('prefix');
    const client = createClient({ name: 't', version: '1' }, { era, onError: (e) => run.errors.push(e) } as ClientOptions);
    // The timeout is far beyond what the failure takes: a timeout error means the fix is gone.
    const failure = await client.connect(run.transport, { timeoutMs: 30_000 }).then(() => undefined, (e: unknown) => e as Error & { code?: string });
    await client.peer.close();
    const stderr = await run.stderr();
    assert.is(failure?.code, 'MCP_ERR_PROTOCOL', failure?.message);
    assert.match(String(failure?.message), /wrote this request back with other text around it \("you said: " before it\)/);
    assert.match(String(failure?.message), /echoes its input and does not speak MCP over stdio/);
    // auto: server/discover, then initialize; the others: one request. No answer was written.
    assert.ok(linesRead(stderr) <= 2, `the program read ${linesRead(stderr)} lines`);
    assert.not.match(stderr, /not a request/);
    assert.ok(run.errors.length <= 2, run.errors.map((e) => e.message).join(' | '));
    assert.match(run.errors[0]!.message, /not JSON, ignored and not answered: "you said: \{/);
  });
}

test('a program that writes every line back as it is (cat): initialize fails saying so, no answer written', async () => {
  const run = start('plain');
  const client = createClient({ name: 't', version: '1' }, { era: 'legacy', onError: (e) => run.errors.push(e) });
  const failure = await client.connect(run.transport, { timeoutMs: 30_000 }).then(() => undefined, (e: unknown) => e as Error & { code?: string });
  await client.peer.close();
  const stderr = await run.stderr();
  assert.is(failure?.code, 'MCP_ERR_PROTOCOL', failure?.message);
  assert.match(String(failure?.message), /^initialize: the peer wrote this request back instead of answering it/);
  assert.is(linesRead(stderr), 1);
  assert.not.match(stderr, /not a request/);
});

test('an answer with a prefix on its line fails its request at once, naming the prefix', async () => {
  const run = start('answer-prefixed');
  const peer = createPeer({ onError: (e) => run.errors.push(e) });
  await peer.connect(run.transport);
  const failure = await (peer.request as (m: string, p: unknown, o: unknown) => Promise<unknown>)('tools/list', {}, { timeoutMs: 30_000 })
    .then(() => undefined, (e: unknown) => e as Error & { code?: string });
  await peer.close();
  await run.stderr();
  assert.is(failure?.code, 'MCP_ERR_PROTOCOL', failure?.message);
  assert.match(String(failure?.message), /^tools\/list: the server wrote the answer with other text on its line \("log: " before it\)/);
});

test('a chatty server: its answers still arrive, the stray lines are reported a bounded number of times, none answered', async () => {
  const run = start('chatty', { maxStrayLineReports: 3 });
  const peer = createPeer({ onError: (e) => run.errors.push(e), replyToUnreadable: false });
  await peer.connect(run.transport);
  const request = (peer.request as (m: string, p: unknown, o: unknown) => Promise<unknown>).bind(peer);
  for (let i = 0; i < 4; i++) assert.equal(await request('tools/list', {}, { timeoutMs: 30_000 }), {});
  await peer.close();
  const stderr = await run.stderr();
  // 100 lines that are not JSON: the first 3 reported, then the 10th and 100th; 4 values that are no
  // JSON-RPC message, each reported by the peer.
  const stray = run.errors.filter((e) => /not JSON, ignored/.test(e.message));
  assert.equal(stray.map((e) => /"noise \d+"/.exec(e.message)?.[0]), ['"noise 1"', '"noise 2"', '"noise 3"', '"noise 10"', '"noise 25"']);
  assert.match(stray[3]!.message, /10 such lines so far/);
  assert.match(stray[4]!.message, /100 such lines so far/);
  assert.is(run.errors.length - stray.length, 4, run.errors.map((e) => e.message).join(' | '));
  assert.is(linesRead(stderr), 4);
  assert.not.match(stderr, /not a request/);
});

test('maxStrayLineReports must be a non-negative number', () => {
  assert.throws(() => createStdioClientTransport({ command: process.execPath, maxStrayLineReports: -1 }), /maxStrayLineReports must be a non-negative number, got -1/);
});

test.run();
