/**
 * Progress after the response, over stdio. 2025-11-25 basic/utilities/progress: "Progress
 * notifications MUST only reference tokens that: Are provided in an active request; Are
 * associated with an in-progress operation" (2026-07-28 keeps the sentence). The message
 * validator lets a progress that arrives just after its response pass, because over HTTP the
 * two may cross on different streams; stdio is one ordered pipe, so a progress read after the
 * response to the request that gave its token was sent after it, and breaks `progress.token`.
 */
import type { TappedMessage } from '../tap.ts';
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

const key = (v: unknown): string => `${typeof v}:${String(v)}`;

/** A progress the server sent for a request it had already answered. */
export interface LateProgress {
  readonly token: string | number;
  readonly requestId: string | number;
  readonly message: unknown;
}

/** The progress notifications of `wire` (a stdio session, in order) sent after their request's response. */
export function lateProgress(wire: readonly TappedMessage[]): { late: LateProgress[]; seen: number } {
  const requestOf = new Map<string, string | number>(); // token key -> id of the request that gave it last
  const answered = new Set<string>(); // ids (keys) of client requests the server has answered
  const late: LateProgress[] = [];
  let seen = 0;
  for (const { direction, message } of wire) {
    if (!isObj(message)) continue;
    const id = message.id;
    const idOk = typeof id === 'string' || typeof id === 'number';
    if (direction === 'client-to-server' && typeof message.method === 'string' && idOk) {
      const meta = isObj(message.params) && isObj(message.params._meta) ? message.params._meta : undefined;
      const token = meta?.progressToken;
      if (typeof token === 'string' || typeof token === 'number') requestOf.set(key(token), id);
      answered.delete(key(id));
    } else if (direction === 'server-to-client' && !('method' in message) && idOk) {
      answered.add(key(id));
    } else if (direction === 'server-to-client' && message.method === 'notifications/progress' && isObj(message.params)) {
      const token = message.params.progressToken;
      if (typeof token !== 'string' && typeof token !== 'number') continue;
      seen++;
      const requestId = requestOf.get(key(token));
      if (requestId !== undefined && answered.has(key(requestId))) late.push({ token, requestId, message });
    }
  }
  return { late, seen };
}

/** Record `progress.token` for the late progress of a stdio session (nothing when it saw no progress). */
export function checkProgressOrder(rec: FindingRecorder, wire: readonly TappedMessage[], era: 'legacy' | 'modern'): void {
  if (!rec.wants('progress.token')) return;
  const { late, seen } = lateProgress(wire);
  const first = late[0];
  if (first !== undefined) {
    rec.fail('progress.token', `${late.length} of ${seen} progress notification(s) came after the response to the request that gave their token (token ${JSON.stringify(first.token)}, request ${JSON.stringify(first.requestId)}); stdio keeps order, so they were sent after it`, first.message, era);
  } else if (seen > 0) {
    rec.pass('progress.token', `${seen} progress notification(s) of the ${era} stdio session, each before its request's response`, era);
  }
}
