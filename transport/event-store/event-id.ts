/**
 * The event id format of the stores in this folder: `<streamToken>.<seq>`.
 *
 * - `streamToken`: 22 base64url characters, 16 random bytes (128 bits) drawn when the stream
 *   is created. The store maps it to the stream's session and stream id, so an id names its
 *   stream (2025-11-25 basic/transports: ids SHOULD encode their stream) and cannot be
 *   guessed from another stream's ids.
 * - `seq`: the event's position in its stream, a decimal integer without leading zeros;
 *   1 for the first event. `<streamToken>.0` is the stream's start (a priming event's id).
 *
 * Both parts are visible ASCII without spaces, as the SSE `id` field needs.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const EVENT_ID = /^([A-Za-z0-9_-]{22})\.(0|[1-9][0-9]{0,15})$/;

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time: one call per 256 tokens instead of
 * one per token (a POST opens a stream, so this is on every call's path).
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));

/**
 * A new random stream token (16 bytes from the platform's CSPRNG, base64url, no padding).
 * Built from character codes in one step: a token grown by `+=` stays a rope of eight
 * pieces in the heap (about 200 bytes) for as long as its stream lives, a flat one is 40.
 */
export function newStreamToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = new Array<number>(22);
  let i = 0;
  let c = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chars[c++] = CODES[n >> 18]!;
    chars[c++] = CODES[(n >> 12) & 63]!;
    chars[c++] = CODES[(n >> 6) & 63]!;
    chars[c++] = CODES[n & 63]!;
  }
  // 16 = 5 * 3 + 1: one byte left, two characters.
  const last = bytes[i]!;
  chars[c++] = CODES[last >> 2]!;
  chars[c] = CODES[(last & 3) << 4]!;
  return String.fromCharCode(...chars);
}

/** Format the id of event `seq` of the stream with `token`. */
export function formatEventId(token: string, seq: number): string {
  return `${token}.${seq}`;
}

/** Split an event id into token and seq, or `undefined` when it does not have the format. */
export function parseEventId(eventId: string): { token: string; seq: number } | undefined {
  const m = EVENT_ID.exec(eventId);
  if (m === null) return undefined;
  const seq = Number(m[2]);
  return Number.isSafeInteger(seq) ? { token: m[1]!, seq } : undefined;
}
