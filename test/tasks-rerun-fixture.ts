// The client side of the re-run progress tests that run real servers (tasks-rerun-progress-kept
// and -redis): a raw 2025-11-25 session over HTTP whose standalone stream is read event by
// event, with ids, so it can be resumed with Last-Event-ID after the server was killed.
import * as assert from 'uvu/assert';
import { createSseDecoder } from '../transport/sse/decode.ts';
import { ACCEPT_BOTH } from './http-fixture.ts';
import type { ServeProcess } from './serve-process.ts';

export type Message = Record<string, any>;
/** The `_meta` key that ties a message to its task. */
export const RELATED = 'io.modelcontextprotocol/related-task';

/** The events of one SSE response with their ids, read until a message matches (10 s at most). */
export class EventReader {
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
export async function openSession(current: () => ServeProcess) {
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

/**
 * research_agent started as a task with progress token `tok` on session `s`, its progress read
 * on the standalone stream until step 2 (`where` names the instance), every step tagged with
 * the task; the stream is then closed. Returns the task id, the total and what was heard.
 */
export async function taskToStepTwo(s: Awaited<ReturnType<typeof openSession>>, where: string) {
  const live = await s.stream();
  const created = await s.request(1, 'tools/call', {
    name: 'research_agent', arguments: { topic: 'grid battery storage', depth: 'quick' }, task: { ttl: 600_000 }, _meta: { progressToken: 'tok' },
  });
  const taskId = created.result.task.taskId as string;
  await live.until((m) => m.method === 'notifications/progress' && m.params.progress === 2, `step 2 ${where}`);
  const total = live.messages.find((m) => m.method === 'notifications/progress')!.params.total as number;
  assert.ok(total > 3, `steps left for the re-run (total ${total})`);
  for (const m of live.messages.filter((x) => x.method === 'notifications/progress')) assert.equal(m.params._meta?.[RELATED], { taskId });
  await live.cancel();
  return { taskId, total, live };
}

/** The progress values of token `tok`, in order. */
export const progressOf = (messages: Message[]) => messages
  .filter((m) => m.method === 'notifications/progress' && m.params.progressToken === 'tok')
  .map((m) => m.params.progress as number);
