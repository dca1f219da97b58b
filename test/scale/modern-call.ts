// Stateless 2026-07-28 requests through the proxy for the task scenarios (tasks extension,
// SEP-2663): one request and its result, polling tasks/get, and steering the next request
// to one instance (the proxy is round-robin, so requests alternate between two).
import * as assert from 'uvu/assert';
import type { RoundRobinProxy } from './proxy.ts';

const VERSION = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': VERSION,
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } },
  'io.modelcontextprotocol/clientInfo': { name: 'scale-modern', version: '1' },
};
let nextId = 1;

/** One 2026 request through `url`; its result (fails on an error). */
export async function call(url: string, method: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const name = typeof params.taskId === 'string' ? params.taskId : typeof params.name === 'string' ? params.name : undefined;
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: META } }),
    headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': VERSION, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) },
  });
  const text = await res.text();
  const body = JSON.parse(text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data: {'))!.slice(6)) as Record<string, any>;
  assert.ok(body.result, `${method}: ${text}`);
  return body.result;
}

/** Poll tasks/get (bounded: 150 tries, 50 ms apart) until `want` matches. */
export async function until(url: string, taskId: string, want: (t: Record<string, any>) => boolean): Promise<Record<string, any>> {
  let task: Record<string, any> = {};
  for (let i = 0; i < 150; i++) {
    task = await call(url, 'tasks/get', { taskId });
    if (want(task)) return task;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`task ${taskId}: not the wanted state; last ${JSON.stringify(task)}`);
}

/** A task waiting in input_required with its questions listed. */
export const asking = (t: Record<string, any>): boolean => t.status === 'input_required' && Object.keys(t.inputRequests ?? {}).length > 0;

/**
 * Make the proxy send the next request to the instance that is not `backend` (of two): the
 * proxy alternates, so the last request must have gone to `backend`; `filler` sends one
 * harmless request (bounded).
 */
export async function nextAvoids(proxy: RoundRobinProxy, backend: number, filler: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 4 && proxy.served.at(-1)?.backend !== backend; i++) await filler();
  assert.is(proxy.served.at(-1)?.backend, backend, 'steered');
}

/** Which backend served the last request. */
export const lastBackend = (proxy: RoundRobinProxy): number => proxy.served.at(-1)!.backend;
