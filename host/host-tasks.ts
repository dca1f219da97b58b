/**
 * The host's tasks (issue #15 item 6): which calls start as tasks, their ids on record in the
 * call history (so a task outlives the host), following them, and the tasks an earlier run
 * left: polled with `tasks/get`, shown, followed again, cancelled.
 */
import { type McpClient, type TaskSnapshot } from 'mcpwire/client';
import type { CallToolResult, RequestId } from 'mcpwire/protocol';
import type { CallOutput, HostCall } from './calls.ts';
import { serverKey } from './config.ts';
import type { Connection } from './connection.ts';
import { explain, failureKind } from './explain.ts';
import type { CallHistory, CallRecord, TaskRef } from './history.ts';
import { callAsTask, cancelTask, followTask, taskable, waitingFor, type HostTaskMode, type TaskHooks } from './task-calls.ts';

export interface HostTaskDeps {
  mode: HostTaskMode;
  history: CallHistory;
  output: CallOutput;
  recordOf(call: HostCall): CallRecord | undefined;
  callTimeoutMs: number;
  /** Aborted when the host leaves: following stops, the tasks go on. */
  shutdown: AbortSignal;
}

/** A task an earlier run (or this one) started and nobody follows now. */
export interface StoredTask {
  conn: Connection;
  record: CallRecord & { task: TaskRef };
}

export interface HostTasks {
  /** The call's outcome: as a task when the mode, server and tool allow it, else `plain()`. */
  run(call: HostCall, plain: () => Promise<CallToolResult>): Promise<CallToolResult>;
  /** Follow the task of `call` (its record holds the id). */
  follow(call: HostCall, taskId: string): Promise<CallToolResult>;
  /** Unfinished tasks on record that no running call of this run follows. */
  stored(connections: readonly Connection[]): StoredTask[];
  /** `tasks/get` for a stored task; its record is updated. A task the server no longer knows ends as failed. */
  poll(task: StoredTask): Promise<TaskSnapshot | undefined>;
  /** `tasks/cancel` for a stored task; its record ends as cancelled. */
  cancel(task: StoredTask): Promise<void>;
  /**
   * A question arrived on our request `related`: when it belongs to a task (2025-11-25
   * basic/utilities/tasks: `_meta` related-task), that request is the task's `tasks/result`;
   * it becomes the task's call id (questions are routed by it) and is kept on record.
   */
  questionCame(conn: Connection, related: RequestId | undefined, params: { _meta?: Record<string, unknown> } | undefined): void;
  /** The 2025 session the unfinished tasks on this server belong to (the newest). */
  session(conn: Pick<Connection, 'spec'>): { sessionId: string; protocolVersion: string } | undefined;
}

/** The record's view of a task after a status. */
function refAfter(ref: TaskRef, task: TaskSnapshot): TaskRef {
  return { ...ref, status: task.status, statusMessage: task.statusMessage, waitingFor: waitingFor(task), checkedAt: Date.now() };
}

/** 2025-11-25 basic/utilities/tasks: the `_meta` key naming the task a message belongs to. */
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

const open = (r: CallRecord): r is CallRecord & { task: TaskRef } => r.task !== undefined && (r.status === 'running' || r.status === 'kept');

export function createHostTasks(deps: HostTaskDeps): HostTasks {
  const { history, output } = deps;

  function hooks(call: HostCall): TaskHooks {
    return {
      signal: call.controller.signal,
      stop: deps.shutdown,
      timeoutMs: deps.callTimeoutMs,
      onProgress: (p) => output.progress(call, p),
      onTask(task) {
        const record = deps.recordOf(call);
        if (record) history.update(record, { task: { id: task.taskId, sessionId: call.conn.sessionId, protocolVersion: call.conn.protocolVersion } });
        output.emit(call, `  ${output.label(call)} runs as task ${task.taskId}: it goes on on the server if you leave ("status" shows it)`);
      },
      onStatus(task) {
        const before = call.task;
        call.task = task;
        const record = deps.recordOf(call);
        if (record?.task && (before?.status !== task.status || before.statusMessage !== task.statusMessage)) history.update(record, { task: refAfter(record.task, task) });
        // A watched task looks like a plain call (its forms and progress show); a detached one's buffer says how it went.
        if (before && before.status !== task.status && !call.attached) output.emit(call, `  ${output.label(call)} task ${task.status}${task.statusMessage ? `: ${task.statusMessage}` : ''}`);
      },
    };
  }

  async function clientOf(conn: Connection): Promise<McpClient> {
    return conn.ensure();
  }

  const tasks: HostTasks = {
    async run(call, plain) {
      if (deps.mode === 'off') return plain();
      const client = await clientOf(call.conn);
      const tool = (await call.conn.tools()).find((t) => t.name === call.tool);
      if (!taskable(client, tool)) return plain();
      return callAsTask(client, call.tool, call.args, hooks(call));
    },
    async follow(call, taskId) {
      const client = await clientOf(call.conn);
      const record = deps.recordOf(call);
      const carrier = record?.task?.carrier;
      if (record?.task && carrier !== undefined) {
        // 2025-11-25 basic/utilities/cancellation: the earlier run's tasks/result, which a
        // restarted server re-runs and would ask on, is given up, so the task asks on ours.
        await client.peer.notify('notifications/cancelled', { requestId: carrier, reason: 'the host that waited on this tasks/result is gone' })
          .catch(() => undefined); // the server may not know it any more: nothing to give up then
        history.update(record, { task: { ...record.task, carrier: undefined } });
      }
      return followTask(client, taskId, hooks(call));
    },
    questionCame(conn, related, params) {
      const taskId = (params?._meta?.[RELATED_TASK] as { taskId?: unknown } | undefined)?.taskId;
      if (related === undefined || typeof taskId !== 'string') return;
      const call = output.calls.find((c) => c.conn === conn && c.status === 'running' && c.task?.taskId === taskId);
      if (!call) return;
      call.requestId = related;
      const record = deps.recordOf(call);
      if (record?.task && record.task.carrier !== related) history.update(record, { task: { ...record.task, carrier: related } });
    },
    stored(connections) {
      const out: StoredTask[] = [];
      for (const record of history.list()) {
        if (!open(record)) continue;
        const conn = connections.find((c) => serverKey(c.spec) === record.server);
        const followed = output.calls.some((c) => c.n === record.n && c.status === 'running');
        if (conn && !followed) out.push({ conn, record });
      }
      return out;
    },
    async poll({ conn, record }) {
      const client = await clientOf(conn);
      try {
        const task = await client.tasks.get(record.task.id, { timeoutMs: 15_000 });
        history.update(record, { task: refAfter(record.task, task) });
        return task;
      } catch (error) {
        // -32602: the server does not know the task (expired past its TTL, or another principal's).
        if (failureKind(error) !== 'server') throw error;
        history.update(record, { status: 'failed', endedAt: Date.now(), error: `task ${record.task.id}: ${explain(error, conn.name)}` });
        return undefined;
      }
    },
    async cancel({ conn, record }) {
      const task = await cancelTask(await clientOf(conn), record.task.id);
      const ended = task?.status === 'completed' || task?.status === 'failed';
      history.update(record, { status: ended ? (task.status === 'completed' ? 'kept' : 'failed') : 'cancelled', endedAt: ended ? undefined : Date.now(), ...(task ? { task: refAfter(record.task, task) } : {}) });
    },
    session(conn) {
      const key = serverKey(conn.spec);
      const newest = history.list().findLast((r) => open(r) && r.server === key && r.task.sessionId !== undefined && r.task.protocolVersion !== undefined);
      return newest?.task ? { sessionId: newest.task.sessionId!, protocolVersion: newest.task.protocolVersion! } : undefined;
    },
  };
  return tasks;
}
