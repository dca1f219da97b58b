/**
 * Ids that survive a restart. A tool call is named by its session and JSON-RPC request id;
 * the HTTP server re-runs an interrupted call after a restart with both unchanged, so the
 * re-run finds the record the first run wrote and does not book twice. A call that runs as a
 * task is named by its task id, which a restarted server's re-run keeps.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RequestId } from 'mcpwire/protocol';

/** What names a call: the session (undefined over stdio and memory) and the request id. */
export interface CallIdentity {
  readonly sessionId: string | undefined;
  readonly requestId: RequestId;
  /**
   * The task the call runs as: unguessable, and the same when a restarted server runs the
   * task again, also without a session (2026-07-28 tasks), so it names the call on its own.
   */
  readonly taskId?: string | undefined;
}

/**
 * Connections without a session id (stdio, memory) cannot be resumed, and their request ids
 * restart from 0 in every process, so they are salted per process: a new process sharing the
 * state directory never mistakes an old record for its own.
 */
const PROCESS_SALT = randomBytes(8).toString('hex');

/** The record id of a call: `prefix-` and 20 hex digits of a hash of who asked. */
export function recordId(prefix: 'bk' | 'rp', call: CallIdentity): string {
  const who = call.taskId !== undefined ? `task:${call.taskId}` : call.sessionId === undefined ? `process:${PROCESS_SALT}` : `session:${call.sessionId}`;
  const digest = createHash('sha256').update(`${prefix}\n${who}\n${JSON.stringify(call.requestId)}`).digest('hex');
  return `${prefix}-${digest.slice(0, 20)}`;
}

/** What an idempotency key may look like: 8 to 128 letters, digits and `._:-`. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]{8,128}$';

/**
 * The record id of an operation named by its caller's idempotency key: the same key gives the
 * same record from any session, any process and any server sharing the records directory, so
 * a retried or redirected booking continues the first one instead of making a second.
 */
export function keyedRecordId(prefix: 'bk' | 'rp', key: string): string {
  const digest = createHash('sha256').update(`${prefix}\nkey:${key}`).digest('hex');
  return `${prefix}-${digest.slice(0, 20)}`;
}

/** Letters and digits that cannot be misread (no 0/O, 1/I/L). */
const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A six-character booking reference derived from the record id (stable across re-runs). */
export function bookingReference(id: string): string {
  const bytes = createHash('sha256').update(`reference\n${id}`).digest();
  let out = '';
  for (let i = 0; i < 6; i++) out += REFERENCE_ALPHABET[bytes[i]! % REFERENCE_ALPHABET.length];
  return out;
}
