/**
 * The record of a new task (2025-11-25 basic/utilities/tasks: created `working`, its TTL the
 * one asked for capped by the server's): the call it runs, with what a re-run after a restart
 * needs of the request that made it (era, client, session, progress token).
 */
import type { CallToolParams } from '../../protocol/index.ts';
import type { ServerRequest } from '../request.ts';
import type { TaskRecord } from '../../transport/task-store/types.ts';
import type { TaskLimits } from './options.ts';
import { newTaskId } from './task-id.ts';

/** A new task of `owner` running `params` for `req`; `inputs` are answers it already has. */
export function newTaskRecord(
  params: CallToolParams, req: ServerRequest, owner: string, limits: TaskLimits, ttl: number | undefined, inputs: readonly unknown[],
): TaskRecord {
  const now = Date.now();
  return {
    taskId: newTaskId(), owner, status: 'working', createdAt: now, lastUpdatedAt: now,
    ttl: Math.min(ttl ?? limits.defaultTtlMs, limits.maxTtlMs),
    pollInterval: limits.pollIntervalMs,
    inputs: [...inputs],
    request: {
      method: 'tools/call',
      params: params.arguments === undefined ? { name: params.name } : { name: params.name, arguments: params.arguments },
      protocolVersion: req.protocolVersion,
      clientCapabilities: req.clientCapabilities as Record<string, unknown>,
      ...(req.clientInfo ? { clientInfo: req.clientInfo as unknown as Record<string, unknown> } : {}),
      ...(req.sessionId !== undefined ? { sessionId: req.sessionId } : {}),
      ...(req.progressToken !== undefined ? { progressToken: req.progressToken } : {}),
    },
  };
}
