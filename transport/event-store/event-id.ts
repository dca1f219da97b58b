/**
 * The event id format of the stores in this folder: `<streamToken>.<seq>`.
 *
 * - `streamToken`: 22 base64url characters, 16 bytes drawn from the CSPRNG when the stream is
 *   created (the stores here replace the last 4 by a keyed tag, leaving 96 random bits; the
 *   memory store puts the stream's slot in the first 3, leaving 72: still unguessable). The
 *   store maps it to the stream's session and stream id, so an id names its stream
 *   (2025-11-25 basic/transports: ids SHOULD encode their stream) and cannot be guessed from
 *   another stream's ids.
 * - `seq`: the event's position in its stream, a decimal integer without leading zeros;
 *   1 for the first event. `<streamToken>.0` is the stream's start (a priming event's id).
 *
 * Both parts are visible ASCII without spaces, as the SSE `id` field needs.
 */
import { decodeBase64Url } from '../../protocol/base64.ts';
import { crc32, crc32End, crc32Update, crc32UpdateAscii, CRC32_START } from './crc32.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const EVENT_ID = /^([A-Za-z0-9_-]{22})\.(0|[1-9][0-9]{0,15})$/;

const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));

/**
 * A new stream token: 16 bytes from the platform's CSPRNG, base64url, no padding. With a
 * `tag`, its last 4 bytes are replaced by a keyed checksum of the first 12 and the session
 * id ({@link streamTag}), so the store that issued it can tell later that it did (a stream
 * dropped since answers 410, not 400) without remembering every token: 96 random bits stay.
 * Built from character codes in one step: a token grown by `+=` stays a rope of eight
 * pieces in the heap (about 200 bytes) for as long as its stream lives, a flat one is 40.
 * The bytes are read where they lie in the pool and the codes passed straight to
 * `String.fromCharCode` ({@link tokenOfBytes}): no copy of the bytes, no array and no spread
 * per token (every SSE POST makes one).
 * With a `slot` (below {@link MAX_TOKEN_SLOT}), its first 3 bytes are that number, so the
 * store finds the stream by {@link slotOf} without a map keyed by token: 72 random bits stay.
 * With `into`, the token's 16 bytes are also written to its words `intoWord` to `intoWord + 3`.
 */
export function newStreamToken(tag?: { key: Uint8Array; sessionId: string }, slot?: number, into?: Uint32Array, intoWord = 0): string {
  const at = takePool16();
  const bytes = pool;
  if (slot !== undefined) {
    bytes[at] = slot >>> 16;
    bytes[at + 1] = (slot >>> 8) & 0xff;
    bytes[at + 2] = slot & 0xff;
  }
  if (tag) {
    const t = tagAt(tag.key, tag.sessionId, bytes, at);
    bytes[at + 12] = t >>> 24;
    bytes[at + 13] = (t >>> 16) & 0xff;
    bytes[at + 14] = (t >>> 8) & 0xff;
    bytes[at + 15] = t & 0xff;
  }
  const token = tokenOfBytes(bytes, at);
  // With `into`, the 16 bytes are kept there too (the memory store's token column, as words).
  // Each byte is handed out once: zeroed in the pool as it leaves, in the same steps (`fill` is
  // a call into V8's C++ per token). By word, not byte: 12 typed-array accesses, not 48 (a
  // word view keeps the bytes' order in memory, whatever the machine's endianness).
  const words = poolWords;
  const w = at >>> 2;
  if (into !== undefined) {
    into[intoWord] = words[w]!;
    into[intoWord + 1] = words[w + 1]!;
    into[intoWord + 2] = words[w + 2]!;
    into[intoWord + 3] = words[w + 3]!;
  }
  words[w] = 0;
  words[w + 1] = 0;
  words[w + 2] = 0;
  words[w + 3] = 0;
  return token;
}

/**
 * The token of the 16 bytes at `at` of `bytes` (as {@link newStreamToken} spells them). One
 * `String.fromCharCode` call with its 22 codes as arguments makes the flat string at once;
 * the codes laid out in an array and spread by `apply` cost V8 a copy of the array onto the
 * stack first (`CallWithArrayLike`: 1,631 of newStreamToken's 2,128 instructions a call in
 * bench c, bench/README "Session 37: callc4").
 */
export function tokenOfBytes(bytes: Uint8Array, at: number): string {
  const c = CODES;
  const a = (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
  const b = (bytes[at + 3]! << 16) | (bytes[at + 4]! << 8) | bytes[at + 5]!;
  const d = (bytes[at + 6]! << 16) | (bytes[at + 7]! << 8) | bytes[at + 8]!;
  const e = (bytes[at + 9]! << 16) | (bytes[at + 10]! << 8) | bytes[at + 11]!;
  const f = (bytes[at + 12]! << 16) | (bytes[at + 13]! << 8) | bytes[at + 14]!;
  const last = bytes[at + 15]!;
  return String.fromCharCode(
    c[a >> 18]!, c[(a >> 12) & 63]!, c[(a >> 6) & 63]!, c[a & 63]!,
    c[b >> 18]!, c[(b >> 12) & 63]!, c[(b >> 6) & 63]!, c[b & 63]!,
    c[d >> 18]!, c[(d >> 12) & 63]!, c[(d >> 6) & 63]!, c[d & 63]!,
    c[e >> 18]!, c[(e >> 12) & 63]!, c[(e >> 6) & 63]!, c[e & 63]!,
    c[f >> 18]!, c[(f >> 12) & 63]!, c[(f >> 6) & 63]!, c[f & 63]!,
    c[last >> 2]!, c[(last & 3) << 4]!,
  );
}

/**
 * Whether `token` spells the 16 bytes at `at` of `bytes` exactly as {@link newStreamToken}
 * does (the characters compared, so only the canonical spelling matches): no string made.
 */
export function tokenIsBytes(token: string, bytes: Uint8Array, at: number): boolean {
  if (token.length !== 22) return false;
  let c = 0;
  const last = at + 15;
  for (let i = at; i < last; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    if (token.charCodeAt(c) !== CODES[n >> 18] || token.charCodeAt(c + 1) !== CODES[(n >> 12) & 63]) return false;
    if (token.charCodeAt(c + 2) !== CODES[(n >> 6) & 63] || token.charCodeAt(c + 3) !== CODES[n & 63]) return false;
    c += 4;
  }
  return token.charCodeAt(20) === CODES[bytes[last]! >> 2] && token.charCodeAt(21) === CODES[(bytes[last]! & 3) << 4];
}

/** Slots a token can carry (3 bytes): {@link newStreamToken}'s `slot` is below it. */
export const MAX_TOKEN_SLOT = 1 << 24;

/** Value of each base64url character code (the token's alphabet), -1 for others. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < CODES.length; i++) VALUES[CODES[i]!] = i;

/**
 * The slot a token made with one carries (its first 3 bytes: 4 characters), or -1 when those
 * characters are not base64url. Any 22-character token has a slot: the store checks that the
 * stream it finds there has this token.
 */
export function slotOf(token: string): number {
  const a = VALUES[token.charCodeAt(0)] ?? -1;
  const b = VALUES[token.charCodeAt(1)] ?? -1;
  const c = VALUES[token.charCodeAt(2)] ?? -1;
  const d = VALUES[token.charCodeAt(3)] ?? -1;
  return (a | b | c | d) < 0 ? -1 : (a << 18) | (b << 12) | (c << 6) | d;
}

/** Bytes drawn from the CSPRNG per call of it: enough for 256 tokens. */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
/** {@link pool} as 32-bit words (its 16-byte blocks are word-aligned): copied and zeroed 4 bytes at a time. */
let poolWords = new Uint32Array(0);
let poolAt = POOL_BYTES;

/**
 * The offset in `pool` of 16 fresh CSPRNG bytes, the pool drawn 4 KiB at a time. What it
 * buys: one getRandomValues call (OpenSSL's fork check costs a getpid syscall each) per 256
 * streams rather than per stream, which was ~2% of the server's CPU in bench b-sse (every
 * POST opens a stream; `node --cpu-prof`: randomFillSync).
 */
function takePool16(): number {
  if (poolAt + 16 > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolWords = new Uint32Array(pool.buffer);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += 16;
  return at;
}

const encoder = new TextEncoder();
/** Room for the tag's input when the session id is not ASCII, reused. */
let scratch = new Uint8Array(256);

/**
 * The tag of a token's first 12 bytes: CRC-32 of key, session id (UTF-8) and those bytes. Not
 * a MAC: a forged tag only turns a 400 into a 410; the random bits (96, or 72 with a slot) keep tokens unguessable.
 * An ASCII session id goes to the CRC by code unit: no TextEncoder call, no copy and no
 * allocation per new stream (every SSE POST makes one).
 */
export function streamTag(key: Uint8Array, sessionId: string, bytes: Uint8Array): number {
  return tagAt(key, sessionId, bytes, 0);
}

/**
 * {@link streamTag} of the 12 bytes of `source` from `from`. An ASCII session id (every id
 * this server makes) is fed to the CRC as it is read, with no copy: ~0.3 µs of each new
 * stream before, a third of it after (a loop of newStreamToken; bench c's `--cpu-prof`).
 */
function tagAt(key: Uint8Array, sessionId: string, source: Uint8Array, from: number): number {
  const ascii = prefixState(key, sessionId);
  if (ascii !== undefined) return crc32End(crc32Update(ascii, source, from, from + 12));
  const most = key.length + 3 * sessionId.length + 12;
  if (scratch.length < most) scratch = new Uint8Array(most);
  // A session id with non-ASCII characters (a caller's own ids): its UTF-8 laid out first.
  const input = scratch;
  input.set(key, 0);
  const at = key.length + encoder.encodeInto(sessionId, input.subarray(key.length)).written;
  for (let i = 0; i < 12; i++) input[at + i] = source[from + i]!;
  return crc32(input, 0, at + 12);
}

/** Session ids whose CRC prefix state {@link prefixState} keeps at most (see there). */
const PREFIX_STATES = 256;

/** The key whose prefix states {@link prefixStates} holds, and those states by session id. */
let statesKey: Uint8Array | undefined;
const prefixStates = new Map<string, number>();

/**
 * The CRC state after `key` and an ASCII `sessionId` (undefined when it is not ASCII), kept
 * per session id for the last key. What it buys: a session's streams share key and session
 * id, so each new stream feeds the CRC its 12 bytes only, not the ~50 before them (every SSE
 * POST makes a stream). Kept per session, not for the last one only: with 50 sessions
 * calling at once (bench c) the last one was another session's nearly every time (~1,700
 * instructions a new stream, counted). At most {@link PREFIX_STATES} ids, all dropped when
 * full (a state is cheap to make again). Keys are never changed in place (the stores make
 * them once); another key (a second store in the process) starts the states afresh.
 */
function prefixState(key: Uint8Array, sessionId: string): number | undefined {
  if (key === statesKey) {
    const known = prefixStates.get(sessionId);
    if (known !== undefined) return known;
  } else {
    statesKey = key;
    prefixStates.clear();
  }
  const state = crc32UpdateAscii(crc32Update(CRC32_START, key, 0, key.length), sessionId);
  // Not-ASCII ids are not kept: their tags are made from their UTF-8 bytes (tagAt).
  if (state === undefined) return undefined;
  if (prefixStates.size >= PREFIX_STATES) prefixStates.clear();
  prefixStates.set(sessionId, state);
  return state;
}

/** Whether `token` was made by {@link newStreamToken} with this key for this session. */
export function hasStreamTag(token: string, key: Uint8Array, sessionId: string): boolean {
  // Our tokens are canonical base64url of 16 bytes; anything else was not made here.
  const bytes = token.length === 22 ? decodeBase64Url(token) : undefined;
  return bytes !== undefined && new DataView(bytes.buffer).getUint32(12) === streamTag(key, sessionId, bytes);
}

/** A random key for {@link newStreamToken} tags, 16 bytes. */
export function newTagKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(16));
}

/** Format the id of event `seq` of the stream with `token`. */
export function formatEventId(token: string, seq: number): string {
  return `${token}.${seq}`;
}

/** The stream token part of an event id (`<token>.<seq>`). */
export function tokenOf(eventId: string): string {
  return eventId.slice(0, eventId.indexOf('.'));
}

/** Split an event id into token and seq, or `undefined` when it does not have the format. */
export function parseEventId(eventId: string): { token: string; seq: number } | undefined {
  const m = EVENT_ID.exec(eventId);
  if (m === null) return undefined;
  const seq = Number(m[2]);
  return Number.isSafeInteger(seq) ? { token: m[1]!, seq } : undefined;
}
