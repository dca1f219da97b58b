// A 2025-11-25 task re-run after kill -9 reports its progress while its client is away: a
// real `mcpwire serve --http --agents --state DIR`, research_agent started as a task with a
// progress token, its progress read on the standalone GET stream, the server killed and
// restarted on the same state. The re-run finishes while no stream of the session is open;
// the client then resumes its standalone stream with Last-Event-ID and gets every step it
// missed, each progress value once over both runs (basic/utilities/progress: the token is
// valid for the task's lifetime; basic/transports: resumability). Real processes, 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSseDecoder } from '../transport/sse/decode.ts';
import { ACCEPT_BOTH } from './http-fixture.ts';
import { killed, startServe, type ServeProcess } from './serve-process.ts';

type Message = Record<string, any>;
const RELATED = 'io.modelcontextprotocol/related-task';
const start = (dir: string) => startServe(['--agents', '--state', dir, '--step-ms', '400']);

/** The events of one SSE response with their ids, read until a message matches (10 s at most). */
class EventReader {
  readonly events: Array<{ id: string | undefined; message: Message | undefined }> = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder: ReturnType<typeof createSseDecoder>;

  constructor(response: Response) {
    assert.is(response.status, 200, 'an event stream');
    this.#reader = response.body!.getReader();
    this.#decoder = createSseDecoder({
      onEvent: (ev) => { this.events.push({ id: ev.id, message: ev.data === '' ? undefined : JSON.parse(ev.data) as Message }); },
      onError: (e) => { throw e; },
    });
  }

  get messages(): Message[] { return this.events.flatMap((e) => (e.message ? [e.message] : [])); }
  get lastId(): string { return [...this.events].reverse().find((e) => e.id !== undefined)!.id!; }

  async until(match: (m: Message) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!this.messages.some(match)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not within 10 s; saw ${JSON.stringify(this.messages).slice(0, 600)}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within 10 s`)), left); });
      const { done, value } = await Promise.race([this.#reader.read(), late]).finally(() => clearTimeout(timer));
      if (done) throw new Error(`${what}: the stream ended first; saw ${JSON.stringify(this.messages).slice(0, 600)}`);
      this.#decoder.push(value);
    }
  }

  cancel(): Promise<void> { return this.#reader.cancel().catch(() => undefined); }
}

/** A 2025-11-25 session over raw HTTP, posting to whichever process `current()` names. */
async function openSession(current: () => ServeProcess) {
  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(current().url, {
    method: 'POST', body: JSON.stringify(body), headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers },
  });
  const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'away', version: '1' } } });
  const sid = init.headers.get('mcp-session-id')!;
  await init.text();
  const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
  assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202);
  const request = async (id: number, method: string, params: unknown): Promise<Message> => {
    const reply = new EventReader(await post({ jsonrpc: '2.0', id, method, params }, headers));
    try {
      await reply.until((m) => m.id === id && !('method' in m), `the answer to ${method}`);
      return reply.messages.find((m) => m.id === id && !('method' in m))!;
    } finally {
      await reply.cancel();
    }
  };
  const stream = async (lastEventId?: string) => new EventReader(await fetch(current().url, {
    headers: { accept: 'text/event-stream', ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
  }));
  return { request, stream };
}

const progressOf = (messages: Message[]) => messages
  .filter((m) => m.method === 'notifications/progress' && m.params.progressToken === 'tok')
  .map((m) => m.params.progress as number);

const test = suite('tasks: a re-run task\'s progress is kept for its client while it is away');

test('after kill -9 and a restart, the steps the re-run reported while no client was connected are replayed once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-rerun-progress-'));
  let server = await start(dir);
  try {
    const s = await openSession(() => server);
    const live = await s.stream();
    const created = await s.request(1, 'tools/call', {
      name: 'research_agent', arguments: { topic: 'grid battery storage', depth: 'quick' }, task: { ttl: 600_000 }, _meta: { progressToken: 'tok' },
    });
    const taskId = created.result.task.taskId as string;
    await live.until((m) => m.method === 'notifications/progress' && m.params.progress === 2, 'step 2 before the kill');
    const total = live.messages.find((m) => m.method === 'notifications/progress')!.params.total as number;
    assert.ok(total > 3, `steps left for the re-run (total ${total})`);
    for (const m of live.messages.filter((x) => x.method === 'notifications/progress')) assert.equal(m.params._meta?.[RELATED], { taskId });
    await live.cancel();
    await killed(server.child);

    server = await start(dir);
    assert.match(server.log(), /resumed 1 tasks/);
    // The re-run goes on while no stream of the session is open; tasks/get (a plain POST) tells when it is done.
    let status = 'working';
    for (let attempt = 0; attempt < 100 && status !== 'completed'; attempt++) {
      status = (await s.request(100 + attempt, 'tasks/get', { taskId })).result.status as string;
      assert.ok(['working', 'completed'].includes(status), `status ${status}`);
      if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.is(status, 'completed', 'the re-run finished');

    const resumed = await s.stream(live.lastId);
    await resumed.until((m) => m.method === 'notifications/progress' && m.params.progress === total, 'the last step, replayed');
    await resumed.cancel();
    const before = progressOf(live.messages);
    const after = progressOf(resumed.messages);
    assert.equal([...before, ...after], Array.from({ length: total }, (_, i) => i + 1), `each step once: before ${before}, after ${after}`);
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
