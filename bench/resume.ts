/**
 * Workload e, the same client for every server: raw Streamable HTTP over undici (no MCP
 * client library), so only the server's resumability is measured. One call streams `steps`
 * progress notifications; the client drops the connection after the `cut`-th, waits for the
 * tool to finish, then resumes with `Last-Event-ID` and times the replay up to the call's
 * response. Every progress value must arrive exactly once across both halves, and the
 * response exactly once (2025-11-25 basic/transports: resumability and redelivery).
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { ScenarioResult } from './scenarios.ts';

/** One SSE event: its id, its data (empty for a priming event) and its `retry` field, if any. */
export interface SseEvent {
  id: string | undefined;
  data: string;
  retry?: number;
}

/** An incremental SSE reader: push text, get whole events (LF line ends, as both servers write). */
export function createSseSplitter(): (chunk: string) => SseEvent[] {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    const events: SseEvent[] = [];
    let end: number;
    while ((end = pending.indexOf('\n\n')) !== -1) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      let id: string | undefined;
      let retry: number | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) id = line.slice(3).trimStart();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        else if (/^retry: ?\d+$/.test(line)) retry = Number(line.slice(6));
      }
      events.push({ id, data: data.join('\n'), ...(retry === undefined ? {} : { retry }) });
    }
    return events;
  };
}

type Message = { id?: number; method?: string; params?: { progress?: number }; result?: unknown; error?: unknown };

export async function runResume(url: string, steps: number, cut: number): Promise<ScenarioResult> {
  const agent = new Agent({ bodyTimeout: 0, headersTimeout: 0 });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let nextId = 1;

  /** POST one message; the reply to a request (JSON or SSE) is returned. */
  async function post(message: object): Promise<Message | undefined> {
    const res = await request(url, { dispatcher: agent, method: 'POST', headers, body: JSON.stringify(message) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`POST answered ${res.statusCode}: ${text.slice(0, 200)}`);
    const sid = res.headers['mcp-session-id'];
    if (typeof sid === 'string') headers['mcp-session-id'] = sid;
    if (!('id' in message)) return undefined;
    const type = String(res.headers['content-type'] ?? '');
    if (type.startsWith('application/json')) return JSON.parse(text) as Message;
    return createSseSplitter()(text).filter((e) => e.data !== '').map((e) => JSON.parse(e.data) as Message).find((m) => m.id !== undefined);
  }
  const callStats = async () => {
    const reply = await post({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name: 'stats', arguments: {} } });
    const text = (reply?.result as { content: Array<{ text: string }> }).content[0]!.text;
    return JSON.parse(text) as { progressDone: number };
  };

  const seen = new Uint32Array(steps + 1);
  let responses = 0;
  let strays = 0;
  const tally = (events: SseEvent[], callId: number): boolean => {
    let done = false;
    for (const e of events) {
      if (e.data === '') continue; // a priming event
      const m = JSON.parse(e.data) as Message;
      if (m.method === 'notifications/progress') {
        const v = m.params?.progress;
        if (typeof v === 'number' && v >= 1 && v <= steps) seen[v]! += 1;
        else strays += 1;
      } else if (m.id === callId && ('result' in m || 'error' in m)) {
        responses += 1;
        done = true;
      } else strays += 1;
    }
    return done;
  };

  try {
    const init = await post({
      jsonrpc: '2.0', id: nextId++, method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench-resume', version: '1.0.0' } },
    });
    headers['mcp-protocol-version'] = String((init?.result as { protocolVersion: string }).protocolVersion);
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const baseline = (await callStats()).progressDone;

    // The first half: read until the cut-th progress notification, then drop the connection.
    const callId = nextId++;
    const cutter = new AbortController();
    const first = await request(url, {
      dispatcher: agent, method: 'POST', headers, signal: cutter.signal,
      body: JSON.stringify({ jsonrpc: '2.0', id: callId, method: 'tools/call', params: { name: 'progress', arguments: { steps }, _meta: { progressToken: 'e' } } }),
    });
    const split = createSseSplitter();
    let lastEventId: string | undefined;
    // The server's retry: the client MUST wait this long before it resumes (2025-11-25).
    let retryMs = 0;
    let counted = 0;
    first.body.setEncoding('utf8');
    try {
      reading: for await (const chunk of first.body as AsyncIterable<string>) {
        for (const e of split(chunk)) {
          if (e.id !== undefined) lastEventId = e.id;
          if (e.retry !== undefined) retryMs = e.retry;
          tally([e], callId);
          if (e.data !== '' && (JSON.parse(e.data) as Message).method === 'notifications/progress' && ++counted >= cut) break reading;
        }
      }
    } finally {
      cutter.abort();
    }
    if (lastEventId === undefined) throw new Error('the stream carried no event ids: nothing to resume from');

    // Let the tool finish, so the replay is all history.
    const deadline = Date.now() + 60_000;
    while ((await callStats()).progressDone <= baseline) {
      if (Date.now() > deadline) throw new Error('the progress tool did not finish within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // The replay: GET with Last-Event-ID until the call's response (or 3 s of silence).
    const resumed = new AbortController();
    const started = performance.now();
    let finished = started;
    const res = await request(url, {
      dispatcher: agent, method: 'GET', signal: resumed.signal,
      headers: { ...headers, accept: 'text/event-stream', 'last-event-id': lastEventId },
    });
    if (res.statusCode !== 200) throw new Error(`resume answered ${res.statusCode}: ${(await res.body.text()).slice(0, 200)}`);
    const replay = createSseSplitter();
    res.body.setEncoding('utf8');
    let idle: NodeJS.Timeout | undefined;
    const arm = () => { clearTimeout(idle); idle = setTimeout(() => resumed.abort(), 3_000); };
    arm();
    try {
      for await (const chunk of res.body as AsyncIterable<string>) {
        arm();
        finished = performance.now();
        if (tally(replay(chunk), callId)) break;
      }
    } catch (error) {
      if (!resumed.signal.aborted) throw error;
    } finally {
      clearTimeout(idle);
      resumed.abort();
    }

    let lost = 0;
    let duplicated = strays + Math.max(0, responses - 1);
    for (let i = 1; i <= steps; i++) {
      if (seen[i] === 0) lost += 1;
      else duplicated += seen[i]! - 1;
    }
    if (responses === 0) lost += 1;
    const notes = responses === 0 ? ['the response never arrived'] : [];
    // Resume latency as a client that obeys the server lives it: the retry wait, then the replay.
    const replayMs = finished - started;
    return { metrics: { replayMs, retryMs, cutToDoneMs: retryMs + replayMs }, lost, duplicated, notes };
  } finally {
    await agent.destroy();
  }
}
