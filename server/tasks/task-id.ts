/**
 * Task ids (2025-11-25 basic/utilities/tasks, security: without an authorization context,
 * ids MUST be cryptographically secure and hard to guess): 128 random bits from Web Crypto,
 * base64url, 22 characters.
 */
import { encodeBase64Url } from '../../protocol/base64.ts';

/** Bytes of randomness in a task id. */
const ID_BYTES = 16;

/** A new, unguessable task id. */
export function newTaskId(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(ID_BYTES)));
}
