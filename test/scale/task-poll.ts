// Task requests through the proxy for the failover scenarios: one request and its answer,
// polling tasks/get until a status, and reading a fixture's side effects.
import { readFile } from 'node:fs/promises';
import { SseReader, type Session } from './mcp-http.ts';

let nextId = 1000;

/** Send one request; resolves with its response message. */
export async function ask(session: Session, method: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const id = nextId++;
  const res = await session.post({ jsonrpc: '2.0', id, method, params });
  if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
  const reader = new SseReader(res);
  const reply = await reader.until((m) => m.id === id && !('method' in m));
  await reader.cancel();
  return reply!.message!;
}

/** Poll tasks/get (at most `tries` times, `pauseMs` apart) until `want` matches; the last result. */
export async function pollTask(session: Session, taskId: string, want: (task: Record<string, any>) => boolean, tries = 150, pauseMs = 100): Promise<Record<string, any>> {
  let task: Record<string, any> = {};
  for (let i = 0; i < tries; i++) {
    const reply = await ask(session, 'tasks/get', { taskId });
    task = reply.result ?? reply;
    if (want(task)) return task;
    await new Promise<void>((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`task ${taskId} never reached the wanted state; last: ${JSON.stringify(task)}`);
}

/** The lines `file` holds for `taskId` (none when it does not exist yet). */
export async function effectsOf(file: string, taskId: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return ''; throw e; });
  return text.split('\n').filter((line) => line.startsWith(`${taskId} `));
}

/** Wait (bounded) until `file` holds a line for `taskId`. */
export async function effectMade(file: string, taskId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await effectsOf(file, taskId)).length === 0) {
    if (Date.now() > deadline) throw new Error(`no side effect of task ${taskId} within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
}
