// The tasks extension's messages against its own schema (ext-tasks schema.json): a defect is named
// by the branch of the task's own status, and a schema folder without the file skips the rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskSchemaProblem } from './task-schema.ts';

const test = suite('check: task messages against the ext-tasks schema');
const at = '2026-12-06T08:00:00.000Z';
const task = { taskId: 't1', createdAt: at, lastUpdatedAt: at, ttlMs: null, resultType: 'complete' };

test('a working task and a completed one with its result conform', () => {
  assert.is(taskSchemaProblem('GetTaskResult', { ...task, status: 'working' }), '');
  assert.is(taskSchemaProblem('GetTaskResult', { ...task, status: 'completed', result: { content: [] } }), '');
  assert.is(taskSchemaProblem('CreateTaskResult', { ...task, status: 'working', resultType: 'task', pollIntervalMs: 300 }), '');
});

test('a completed task without result is named by the CompletedTask branch, not every branch', () => {
  assert.is(taskSchemaProblem('GetTaskResult', { ...task, status: 'completed' }), "(top) must have required property 'result'");
});

test('a task without ttlMs (or createdAt) is named', () => {
  const { ttlMs: _t, ...untimed } = task;
  assert.is(taskSchemaProblem('CreateTaskResult', { ...untimed, status: 'working', resultType: 'task' }), "(top) must have required property 'ttlMs'");
  const { createdAt: _c, ...undated } = task;
  assert.is(taskSchemaProblem('GetTaskResult', { ...undated, status: 'working' }), "(top) must have required property 'createdAt'");
});

test('a client request without its taskId is named', () => {
  assert.is(taskSchemaProblem('GetTaskRequest', { jsonrpc: '2.0', id: 1, method: 'tasks/get', params: {} }), "/params must have required property 'taskId'");
});

test('a schema folder without ext-tasks/schema.json gives undefined (the rule is skipped, not failed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-no-ext-'));
  const before = process.env.MCP_SCHEMA_DIR;
  process.env.MCP_SCHEMA_DIR = dir;
  try {
    assert.is(taskSchemaProblem('GetTaskResult', { ...task, status: 'completed' }), undefined);
  } finally {
    if (before === undefined) delete process.env.MCP_SCHEMA_DIR;
    else process.env.MCP_SCHEMA_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
