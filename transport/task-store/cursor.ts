/**
 * tasks/list cursors: opaque to clients, naming the creation sequence number a page starts
 * at, so they survive deletions (2025-11-25 server/utilities/pagination: an invalid cursor
 * is -32602). Shared by every TaskStore.
 */
import { ErrorCode, RpcError } from '../../protocol/index.ts';
import { decodeBase64Url, encodeBase64Url } from '../../protocol/base64.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeTaskCursor(seq: number): string {
  return encodeBase64Url(encoder.encode(`tasks:${seq}`));
}

/**
 * The sequence number of a cursor a store issued; 0 without one. 2025-11-25
 * basic/utilities/tasks, error handling: an invalid cursor in `tasks/list` is -32602.
 */
export function decodeTaskCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const bytes = decodeBase64Url(cursor);
  const text = bytes ? decoder.decode(bytes) : '';
  const seq = text.startsWith('tasks:') ? Number(text.slice(6)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0 || encodeTaskCursor(seq) !== cursor) throw new RpcError(ErrorCode.InvalidParams, 'Invalid cursor for tasks/list');
  return seq;
}
