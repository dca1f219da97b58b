/**
 * The raw ceiling's client: an undici Agent shared by the sessions of the process (as the MCP
 * clients share theirs), one JSON-RPC POST per call, and for stdio a bare newline-JSON echo
 * over the child's pipes. See raw-server.ts for the server side.
 */
import { spawn } from 'node:child_process';
import { Agent } from 'undici';
import type { BenchSession, ClientAdapter } from './types.ts';
import { parseStats } from './types.ts';
import type { RawRequest } from './raw-server.ts';

/** Split bare SSE text into the JSON payloads of its events. */
function* ssePayloads(text: string): Generator<string> {
  for (const block of text.split('\n\n')) {
    const at = block.indexOf('data: ');
    if (at !== -1) yield block.slice(at + 6, block.indexOf('\n', at) === -1 ? undefined : block.indexOf('\n', at));
  }
}

let agent: Agent | undefined;

function httpSession(url: string, counters: { elicited: number; sampled: number }): BenchSession & { openStandalone(): Promise<void> } {
  const { origin, pathname } = new URL(url);
  const client = (agent ??= new Agent({ bodyTimeout: 0, headersTimeout: 0 }));
  let standalone: { destroy(): void } | undefined;
  let nextId = 1;
  const post = async (method: string, params: RawRequest['params']): Promise<string> => {
    const id = nextId++;
    const { body, headers } = await client.request({
      origin, path: pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    const sse = String(headers['content-type']).startsWith('text/event-stream');
    const reply = (sse ? JSON.parse(ssePayloads(await body.text()).next().value ?? 'null') : await body.json()) as { id: number; result: { text: string } };
    if (reply.id !== id) throw new Error(`raw: reply for ${reply.id}, expected ${id}`);
    return reply.result.text;
  };
  const roundTrips = async (rounds: number, count: () => void): Promise<string> => {
    for (let i = 0; i < rounds; i++) {
      await post('ask', { text: `question ${i}` });
      count();
    }
    return String(rounds);
  };
  return {
    echo: (text) => post('echo', { text }),
    async progress(steps, onProgress) {
      const { body } = await client.request({ origin, path: `${pathname}?steps=${steps}`, method: 'GET' });
      body.setEncoding('utf8');
      let pending = '';
      let final = '';
      for await (const chunk of body as AsyncIterable<string>) {
        pending += chunk;
        const cut = pending.lastIndexOf('\n\n');
        if (cut === -1) continue;
        for (const data of ssePayloads(pending.slice(0, cut))) {
          const message = JSON.parse(data) as { params?: { progress: number }; result?: { text: string } };
          if (message.params) onProgress(message.params.progress);
          else if (message.result) final = message.result.text;
        }
        pending = pending.slice(cut + 2);
      }
      return final;
    },
    elicit: (rounds) => roundTrips(rounds, () => { counters.elicited += 1; }),
    sample: (rounds) => roundTrips(rounds, () => { counters.sampled += 1; }),
    stats: async (gc) => parseStats(await post('stats', { gc })),
    async openStandalone() {
      standalone = (await client.request({ origin, path: `${pathname}?idle`, method: 'GET' })).body;
    },
    close: async () => { standalone?.destroy(); },
  };
}

function stdioSession(command: string, args: string[]): BenchSession {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: Array<(line: string) => void> = [];
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      waiting.shift()?.(line);
    }
  });
  let nextId = 1;
  const post = (method: string, params: RawRequest['params']): Promise<string> => new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.push((line) => {
      const reply = JSON.parse(line) as { id: number; result: { text: string } };
      if (reply.id === id) resolve(reply.result.text);
      else reject(new Error(`raw stdio: reply for ${reply.id}, expected ${id}`));
    });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
  const unsupported = () => Promise.reject(new Error('raw stdio: only echo and stats'));
  return {
    echo: (text) => post('echo', { text }),
    progress: unsupported,
    elicit: unsupported,
    sample: unsupported,
    stats: async (gc) => parseStats(await post('stats', { gc })),
    close: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end();
    }),
  };
}

export const client: ClientAdapter = {
  async connectHttp(url, counters) {
    // A session's start costs two exchanges, like MCP's initialize + initialized, then the
    // idle GET the MCP clients open as their standalone stream.
    const session = httpSession(url, counters);
    await session.echo('initialize');
    await session.echo('initialized');
    await session.openStandalone();
    return session;
  },
  connectStdio: async (command) => stdioSession(command.command, command.args),
};
