/**
 * The client side of bench row s, raw Streamable HTTP (2025-11-25) over undici through the
 * proxy: workload c (S sessions x K echo calls at once) and workload e (one long stream cut
 * at half, then replayed from history with Last-Event-ID), each checked for messages lost or
 * duplicated.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { createSseSplitter, type SseEvent } from './resume.ts';

const VERSION = '2025-11-25';
const ACCEPT = 'application/json, text/event-stream';
/** Longest wait for one stream to reach the message it must carry. */
const READ_MS = 60_000;

type Message = { id?: number; method?: string; params?: { progress?: number }; result?: { content?: Array<{ text?: string }> }; error?: unknown };
/** The JSON-RPC messages of a whole body, JSON or SSE (priming events skipped). */
function messagesOf(text: string, type: string): Message[] {
  if (type.startsWith('application/json')) return [JSON.parse(text) as Message];
  return createSseSplitter()(`${text}\n\n`).filter((e) => e.data !== '').map((e) => JSON.parse(e.data) as Message);
}

/** A session opened through the proxy: POST a message, read the whole answer. */
export class Session {
  readonly headers: Record<string, string>;
  readonly #url: string;
  readonly #agent: Agent;
  readonly #signal: AbortSignal;

  private constructor(url: string, agent: Agent, signal: AbortSignal, id: string) {
    this.#url = url;
    this.#agent = agent;
    this.#signal = signal;
    this.headers = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': id, 'mcp-protocol-version': VERSION };
  }

  /** initialize + notifications/initialized. */
  static async open(url: string, agent: Agent, signal: AbortSignal): Promise<Session> {
    const init = await request(url, {
      dispatcher: agent, method: 'POST', signal, headers: { 'content-type': 'application/json', accept: ACCEPT },
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'bench-s', version: '1' } } }),
    });
    const text = await init.body.text();
    const id = init.headers['mcp-session-id'];
    if (init.statusCode !== 200 || typeof id !== 'string') throw new Error(`initialize answered ${init.statusCode}: ${text.slice(0, 200)}`);
    const session = new Session(url, agent, signal, id);
    const { status } = await session.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    if (status !== 202) throw new Error(`notifications/initialized answered ${status}`);
    return session;
  }

  /** POST one message; the answer's status, messages and the proxy's backend index. */
  async post(message: object): Promise<{ status: number; messages: Message[]; backend: number }> {
    const res = await request(this.#url, { dispatcher: this.#agent, method: 'POST', signal: this.#signal, headers: this.headers, body: JSON.stringify(message) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`POST answered ${res.statusCode}: ${text.slice(0, 200)}`);
    const messages = text === '' ? [] : messagesOf(text, String(res.headers['content-type'] ?? ''));
    return { status: res.statusCode, messages, backend: Number(res.headers['x-bench-backend']) };
  }
}

/**
 * Workload c's load on one configuration: `sessions` sessions opened and warmed up at once,
 * then timed rounds of echo calls (every session sequential, all sessions at once), so
 * rounds of several configurations can be interleaved. Replies missing, wrong or repeated
 * are counted.
 */
export class EchoLoad {
  lost = 0;
  duplicated = 0;
  readonly #sessions: Session[];
  readonly #agent: Agent;
  #next = 1;

  private constructor(sessions: Session[], agent: Agent) {
    this.#sessions = sessions;
    this.#agent = agent;
  }

  /** Open the sessions through `url` and make `warmup` calls on each (untimed). */
  static async open(url: string, sessions: number, warmup: number, signal: AbortSignal): Promise<EchoLoad> {
    const agent = new Agent({ connections: sessions, bodyTimeout: READ_MS, headersTimeout: READ_MS });
    try {
      const load = new EchoLoad(await Promise.all(Array.from({ length: sessions }, () => Session.open(url, agent, signal))), agent);
      await load.run(warmup);
      return load;
    } catch (error) {
      await agent.destroy();
      throw error;
    }
  }

  /** `calls` echo calls on every session at once; the ms they took. */
  async run(calls: number): Promise<number> {
    const first = this.#next;
    this.#next += calls;
    const t = performance.now();
    await Promise.all(this.#sessions.map(async (session, s) => {
      for (let id = first; id < first + calls; id++) {
        const text = `${s}-${id}`;
        const { messages } = await session.post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } });
        const replies = messages.filter((m) => m.id === id);
        if (replies.length === 0 || replies[0]!.result?.content?.[0]?.text !== text) this.lost += 1;
        this.duplicated += Math.max(0, replies.length - 1);
      }
    }));
    return performance.now() - t;
  }

  get sessions(): number { return this.#sessions.length; }

  close(): Promise<void> { return this.#agent.destroy(); }
}

/** The replay's time, what it lost or repeated, and whether another instance than the call's served it. */
export interface ReplayResult { replayMs: number; lost: number; duplicated: number; otherInstance: boolean }

/** Counts every progress value (1..steps) and the response of call `id` over one read of a stream. */
export class Tally {
  readonly steps: number;
  readonly id: number;
  readonly seen: Uint32Array;
  responses = 0;
  strays = 0;

  constructor(steps: number, id: number) {
    this.steps = steps;
    this.id = id;
    this.seen = new Uint32Array(steps + 1);
  }

  /** Count one event; true when it is the call's response. */
  add(e: SseEvent): boolean {
    if (e.data === '') return false; // a priming event
    const m = JSON.parse(e.data) as Message;
    const v = m.params?.progress;
    if (m.method === 'notifications/progress' && typeof v === 'number' && v >= 1 && v <= this.steps) this.seen[v]! += 1;
    else if (m.id === this.id && ('result' in m || 'error' in m)) {
      this.responses += 1;
      return true;
    } else this.strays += 1;
    return false;
  }

  /** Lost and duplicated across `this` and `more` (the first half and one resume). */
  check(more: Tally): { lost: number; duplicated: number } {
    let lost = this.responses + more.responses === 0 ? 1 : 0;
    let duplicated = this.strays + more.strays + Math.max(0, this.responses + more.responses - 1);
    for (let v = 1; v <= this.steps; v++) {
      const n = this.seen[v]! + more.seen[v]!;
      if (n === 0) lost += 1;
      else duplicated += n - 1;
    }
    return { lost, duplicated };
  }
}

/** GET the session's stream from `lastEventId` until call `tally.id`'s response; the proxy's backend index. */
async function resume(url: string, agent: Agent, session: Session, lastEventId: string, tally: Tally, signal: AbortSignal): Promise<number> {
  const stop = AbortSignal.any([signal, AbortSignal.timeout(READ_MS)]);
  const res = await request(url, { dispatcher: agent, method: 'GET', signal: stop, headers: { ...session.headers, accept: 'text/event-stream', 'last-event-id': lastEventId } });
  if (res.statusCode !== 200) throw new Error(`resume answered ${res.statusCode}: ${(await res.body.text()).slice(0, 200)}`);
  const split = createSseSplitter();
  res.body.setEncoding('utf8');
  try {
    for await (const chunk of res.body as AsyncIterable<string>) {
      if (split(chunk).map((e) => tally.add(e)).includes(true)) return Number(res.headers['x-bench-backend']);
    }
  } finally {
    res.body.destroy();
  }
  return Number(res.headers['x-bench-backend']);
}

/**
 * Workload e across instances: a `count` call of `steps` progress events, the connection cut
 * after the `cut`-th; a first resume reads the rest live (so the tool has finished and the
 * history is whole), then the timed replay from the same Last-Event-ID, steered (with pings
 * through the round-robin proxy) to an instance other than the call's when `instances` > 1.
 */
export async function cutAndReplay(url: string, steps: number, cut: number, instances: number, signal: AbortSignal): Promise<ReplayResult> {
  const agent = new Agent({ bodyTimeout: READ_MS, headersTimeout: READ_MS });
  try {
    const session = await Session.open(url, agent, signal);
    const first = new Tally(steps, 1);
    const cutter = new AbortController();
    const post = await request(url, {
      dispatcher: agent, method: 'POST', signal: AbortSignal.any([signal, cutter.signal]), headers: session.headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps }, _meta: { progressToken: 'e' } } }),
    });
    const callBackend = Number(post.headers['x-bench-backend']);
    let lastEventId: string | undefined;
    let counted = 0;
    const split = createSseSplitter();
    post.body.setEncoding('utf8');
    try {
      reading: for await (const chunk of post.body as AsyncIterable<string>) {
        for (const e of split(chunk)) {
          if (e.id !== undefined) lastEventId = e.id;
          first.add(e);
          if (e.data !== '' && (JSON.parse(e.data) as Message).method === 'notifications/progress' && ++counted >= cut) break reading;
        }
      }
    } finally {
      cutter.abort();
    }
    if (lastEventId === undefined) throw new Error('the stream carried no event ids: nothing to resume from');
    const drained = new Tally(steps, 1);
    await resume(url, agent, session, lastEventId, drained, signal);
    // Round robin: the request after one served by the call's instance goes to the next one.
    for (let ping = 2, tries = 0; instances > 1 && tries < 2 * instances; ping++, tries++) {
      const { backend } = await session.post({ jsonrpc: '2.0', id: ping, method: 'ping' });
      if ((backend + 1) % instances !== callBackend) break;
    }
    const replayed = new Tally(steps, 1);
    const t = performance.now();
    const backend = await resume(url, agent, session, lastEventId, replayed, signal);
    const replayMs = performance.now() - t;
    const a = first.check(drained);
    const b = first.check(replayed);
    return { replayMs, lost: a.lost + b.lost, duplicated: a.duplicated + b.duplicated, otherInstance: backend !== callBackend };
  } finally {
    await agent.destroy();
  }
}
