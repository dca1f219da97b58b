import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TaskSnapshot } from 'mcpwire/client';
import { createCallHistory } from './history.ts';
import { historyEntry, historyList } from './history-view.ts';
import { parseEra, parseTaskMode, waitingFor } from './task-calls.ts';
import { storedTaskLine, taskFacts } from './task-view.ts';

const test = suite('host tasks: on record and in view');
const fail = (error: Error) => { throw error; };
const ID = 'Qk3v2af2JQ-Pbr84AGyZ9w';

const snapshot = (over: Partial<TaskSnapshot>): TaskSnapshot => ({ taskId: ID, status: 'working', createdAt: '', lastUpdatedAt: '', ttlMs: null, ...over });

test('a task reference survives a reload of the history, and history shows it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-view-'));
  try {
    const file = join(dir, 'history.json');
    const a = createCallHistory({ file, onError: fail });
    await a.load();
    const record = a.begin({ server: 's', serverName: 'S', tool: 'travel_agent', args: { destination: 'Lisbon' } });
    a.update(record, { task: { id: ID, sessionId: 'sess', protocolVersion: '2025-11-25', status: 'input_required', waitingFor: 'your answer to a form', carrier: 17 } });
    await a.flush();
    const b = createCallHistory({ file, onError: fail });
    await b.load();
    const again = b.byNumber(1)!;
    assert.equal(again.task, { id: ID, sessionId: 'sess', protocolVersion: '2025-11-25', status: 'input_required', waitingFor: 'your answer to a form', carrier: 17 });
    assert.match(historyList(b.list()), /#1 travel_agent@S · running · task Qk3v2af2… input_required · waits for your answer to a form/);
    assert.match(historyEntry(again), /task Qk3v2af2… input_required · waits for your answer to a form/);
    b.update(again, { status: 'done', endedAt: Date.now() });
    await b.flush();
    assert.match(historyList(b.list()), /#1 travel_agent@S · done in [^·]+ · task Qk3v2af2… ·/, 'an ended call shows its task id, not a stale status');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('what a task waits for: 2026 questions by their first line, 2025 by the status message', () => {
  const modern = snapshot({ status: 'input_required', inputRequests: { a: { method: 'elicitation/create', params: { message: 'Book this trip?\nFlight AU 1502' } }, b: { method: 'sampling/createMessage' } } });
  assert.is(waitingFor(modern), 'your answer to "Book this trip?"; your approval of a model request');
  assert.is(waitingFor(snapshot({ status: 'input_required', statusMessage: 'waiting for the client to answer sampling/createMessage; call tasks/result' })), 'your approval of a model request');
  assert.is(waitingFor(snapshot({ status: 'input_required', statusMessage: 'waiting for the client to answer elicitation/create; call tasks/result' })), 'your answer to a form');
  assert.is(waitingFor(snapshot({ status: 'working' })), undefined);
  assert.equal(taskFacts(snapshot({ status: 'working', statusMessage: 'resumed after a restart' })), [`task Qk3v2af2… working`, 'resumed after a restart']);
});

test('a stored task line says what to type for its status', () => {
  const record = { n: 4, tool: 'travel_agent', args: {}, startedAt: Date.now() - 5_000, task: { id: ID, status: 'input_required', waitingFor: 'your answer to a form' } } as never;
  assert.match(storedTaskLine(record, ''), /^ {2}\(task\) #4 travel_agent · task Qk3v2af2… input_required · waits for your answer to a form · started 5\.\d s ago: type "resume 4" to answer, "cancel 4" to cancel$/);
  const done = { ...(record as object), task: { id: ID, status: 'completed' } } as never;
  assert.match(storedTaskLine(done, ''), /type "resume 4" for its result$/);
  assert.match(storedTaskLine(record, ' on b', 'cannot reach b'), /#4 travel_agent on b · task Qk3v2af2… · not checked: cannot reach b/);
});

test('--tasks and --era take their choices only, and say which', () => {
  assert.is(parseTaskMode('auto'), 'auto');
  assert.throws(() => parseTaskMode('on'), /--tasks must be auto or off, got "on"/);
  assert.is(parseEra('modern'), 'modern');
  assert.throws(() => parseEra('2026'), /--era must be one of legacy-first, modern, legacy, auto, got "2026"/);
});

test.run();
