// The agents run as tasks (issue #15 item 6): travel_agent called as a 2025-11-25 task books
// after the confirmation asked on tasks/result, and as a 2026-07-28 task after the form waits
// in inputRequests and comes back through tasks/update; either way one booking.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventBus, createServer, type McpServer, type ServerEvent } from 'mcpwire/server';
import { createMemoryTaskStore } from 'mcpwire/transport';
import { createModernDispatcher } from '../server/modern/dispatcher.ts';
import { registerAgents } from '../examples/agents/index.ts';
import { NOW } from './agents-fixture.ts';
import { envelope } from './modern-kit.ts';
import { connectClient, within } from './tasks-fixture.ts';
import { WITH_TASKS } from './tasks-modern-kit.ts';

const test = suite('agents-tasks');
const TRIP = { destination: 'lisbon', travellers: 1, dates: '2026-05-01/2026-05-05' };

interface AgentsServer {
  server: McpServer;
  /** Resolves with the task as published once it reached `status` (2026 tasks: `task_changed`). */
  reached(taskId: string, status: string): Promise<Record<string, any>>;
  close(): Promise<void>;
}

async function agentsServer(): Promise<AgentsServer> {
  const state = await mkdtemp(join(tmpdir(), 'mcpwire-agents-tasks-'));
  const events: ServerEvent[] = [];
  const wakes = new Set<() => void>();
  const eventBus = createMemoryEventBus();
  eventBus.subscribe((event) => { events.push(event); for (const wake of [...wakes]) wake(); return true; });
  const server = createServer({ name: 'agents-tasks', version: '1.0.0' }, { eventBus, tasks: { store: createMemoryTaskStore(), pollIntervalMs: 10 } });
  await registerAgents(server, { stateDir: state, stepDelayMs: 0, now: () => NOW });
  const reached = (taskId: string, status: string) => within(new Promise<Record<string, any>>((resolve) => {
    const check = () => {
      const hit = events.find((e) => e.type === 'task_changed' && e.task.taskId === taskId && e.task.status === status);
      if (hit?.type === 'task_changed') { wakes.delete(check); resolve(hit.task as Record<string, any>); }
    };
    wakes.add(check);
    check();
  }), 5000, `task ${taskId} reaching ${status}`);
  return { server, reached, close: async () => { await server.close(); await rm(state, { recursive: true, force: true }); } };
}

test('travel_agent lists task support and books as a 2025-11-25 task', async () => {
  const a = await agentsServer();
  const c = await connectClient(a.server, { client: { onElicit: () => ({ action: 'accept', content: { confirm: true, fareClass: 'economy' } }) } });
  const tool = (await c.client.listTools()).find((t) => t.name === 'travel_agent');
  assert.is(tool?.execution?.taskSupport, 'optional');
  let taskId = '';
  const result = await within(c.client.callTool('travel_agent', TRIP, { task: 'auto', pollIntervalMs: 10, onTask: (t) => { taskId = t.taskId; } }));
  assert.ok(taskId, 'it ran as a task');
  assert.is((result.structuredContent as Record<string, unknown>).status, 'booked');
  await c.close();
  await a.close();
});

test('travel_agent as a 2026-07-28 task: the confirmation form waits in inputRequests', async () => {
  const a = await agentsServer();
  const dispatcher = createModernDispatcher(a.server);
  let id = 0;
  const call = async (method: string, params: Record<string, unknown>) => {
    const reply = await dispatcher.handle({ jsonrpc: '2.0', id: ++id, method, params: { ...params, _meta: envelope(WITH_TASKS) } });
    const message = reply!.message as { result?: Record<string, any>; error?: unknown };
    assert.ok(message.result, JSON.stringify(message.error));
    return message.result!;
  };
  const created = await call('tools/call', { name: 'travel_agent', arguments: TRIP });
  assert.is(created.resultType, 'task');
  await a.reached(created.taskId, 'input_required');
  let task = await call('tasks/get', { taskId: created.taskId });
  assert.is(task.status, 'input_required');
  const [key, request] = Object.entries(task.inputRequests as Record<string, any>)[0]!;
  assert.is(request.method, 'elicitation/create');
  assert.match(request.params.message, /Lisbon/);
  await call('tasks/update', { taskId: created.taskId, inputResponses: { [key]: { action: 'accept', content: { confirm: true, fareClass: 'economy' } } } });
  await a.reached(created.taskId, 'completed');
  task = await call('tasks/get', { taskId: created.taskId });
  assert.is(task.result.structuredContent.status, 'booked');
  await a.close();
});

test.run();
