/**
 * The sealed `requestState` of a multi round-trip request (2026-07-28 basic/patterns/mrtr): the
 * server MUST treat the echoed state as attacker-controlled, SHOULD bind it to the
 * principal, a short TTL and the method plus a digest of the params, and enforce single use
 * itself. The state is `v2.<payload>.<HMAC-SHA256>` (base64url; HMAC in state-mac.ts): the
 * payload is readable but any change breaks the MAC, and a used nonce is refused. The MAC
 * covers the payload and the request's params (canonical text), so the params are bound by
 * the MAC itself with no separate SHA-256 of them: a multi round trip costs one Web Crypto
 * call per round instead of two (v1 hashed the params on both rounds; digest, sign, digest,
 * verify were ~30% of the m-f row's server profile, each a trip to the thread pool).
 */
import { ErrorCode, RpcError } from '../../protocol/index.ts';
import { decodeBase64Url, encodeBase64Url } from '../../protocol/base64.ts';
import type { SingleUseMarkers } from '../../transport/single-use-markers.ts';
import { createStateMac, type StateMac } from './state-mac.ts';

/** What the server keeps between rounds, inside the sealed state. */
export interface StatePayload {
  /** The suspended handler's id (see continuations.ts). */
  readonly continuation: string;
  readonly method: string;
  /**
   * A 32-bit FNV-1a of the params' text ({@link paramsText}): not a security check (the MAC
   * binds the params) but what tells "other request" from "tampered" when the MAC fails.
   */
  readonly paramsHint: string;
  /** Who asked: issuer and subject (tasks/principal.ts subjectPrincipal); empty when unauthenticated. */
  readonly principal: string;
  /** Epoch ms after which the state is refused. */
  readonly expiresAt: number;
  /** Single use: refused once seen. */
  readonly nonce: string;
  /** Every answer the client gave in earlier rounds, by input key (for a re-run). */
  readonly answers: Readonly<Record<string, unknown>>;
}

/**
 * A state as its sealer issued it, kept by the issuer (with the suspended handler it names) so
 * that the retry which echoes it to the same instance is checked without a second HMAC:
 * `mac` is the MAC computed at sealing, `params` the text it covered.
 */
export interface IssuedState {
  readonly state: string;
  readonly mac: Uint8Array;
  readonly params: string;
}

/** Why an echoed state was refused: `data.reason` of the -32602 error. */
export const StateRefusal = {
  Malformed: 'malformed',
  Tampered: 'tampered',
  Expired: 'expired',
  Replayed: 'replayed',
  OtherRequest: 'other-request',
} as const;
export type StateRefusal = (typeof StateRefusal)[keyof typeof StateRefusal];

/** Options of {@link RequestStateSealer}. */
export interface RequestStateOptions {
  /**
   * HMAC key (at least 32 bytes). Default: random per process, so a state outlives neither a
   * restart nor a move to another instance; give several instances the same key to share.
   */
  key?: Uint8Array;
  /** How long a state is accepted after it is issued. Default 600 000 ms (a person may answer). */
  ttlMs?: number;
  /** Nonces remembered to refuse replays (oldest forgotten first). Default 10 000. */
  maxReplayMemory?: number;
  /**
   * Single-use markers shared by several instances (e.g. `createRedisStores().markers`): a
   * state used on one instance is refused on every other. Default: this process only.
   */
  nonces?: SingleUseMarkers;
}

export const REQUEST_STATE_DEFAULTS = { ttlMs: 600_000, maxReplayMemory: 10_000 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface NativeBuffer {
  from(text: string, encoding: 'utf8' | 'base64url'): { toString(encoding: 'utf8' | 'base64url'): string };
  from(bytes: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64url'): string };
}
/**
 * Node's (and Bun's) Buffer where there is one: the state's text goes to base64url and back in
 * native code. The portable codec (protocol/base64.ts, a loop per character) was ~6% of a
 * round trip's in-process profile, and `seal`, which inlined it, was the largest function
 * TurboFan compiled inside the m-f row's timed window (bench/README "Session 8: m-f").
 */
const native = (globalThis as { Buffer?: NativeBuffer }).Buffer;

/** base64url of the UTF-8 of `text`, unpadded. */
function encodeText(text: string): string {
  return native ? native.from(text, 'utf8').toString('base64url') : encodeBase64Url(encoder.encode(text));
}

/** base64url of `bytes`, unpadded. */
function encodeBytes(bytes: Uint8Array): string {
  return native ? native.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url') : encodeBase64Url(bytes);
}

/**
 * The text whose UTF-8 `body` carries in base64url. Buffer's decoder skips characters
 * outside the alphabet where the portable one refuses them: either is fine here, since a body
 * is trusted only once the MAC over its exact text matched (see `open`).
 */
function decodeText(body: string): string | undefined {
  if (native) return native.from(body, 'base64url').toString('utf8');
  const bytes = decodeBase64Url(body);
  return bytes ? decoder.decode(bytes) : undefined;
}

function refuse(reason: StateRefusal, message: string): never {
  throw new RpcError(ErrorCode.InvalidParams, `Invalid params: requestState ${message}`, { reason });
}

/** Random bytes for nonces, used 16 at a time and each byte once (refilled when spent). */
const pool = new Uint8Array(4096);
let poolAt = pool.byteLength;

/** Seals and opens request states with one key; remembers used nonces. */
export class RequestStateSealer {
  readonly ttlMs: number;
  readonly #mac: StateMac;
  /** Nonces already used, oldest first. */
  readonly #used: UsedNonces;
  readonly #nonces: RequestStateOptions['nonces'];

  constructor(options: RequestStateOptions = {}) {
    this.ttlMs = options.ttlMs ?? REQUEST_STATE_DEFAULTS.ttlMs;
    this.#used = new UsedNonces(options.maxReplayMemory ?? REQUEST_STATE_DEFAULTS.maxReplayMemory);
    this.#nonces = options.nonces;
    const raw = options.key ?? crypto.getRandomValues(new Uint8Array(32));
    if (raw.byteLength < 32) throw new RangeError('requestState key must be at least 32 bytes');
    this.#mac = createStateMac(raw);
  }

  /** A fresh single-use nonce. */
  static nonce(): string {
    // Drawn from a pool filled 4 KiB at a time: one getRandomValues per nonce was ~2% of the
    // m-f row's server profile (each call pays Web IDL checks and a trip into the CSPRNG).
    if (poolAt + 16 > pool.byteLength) {
      crypto.getRandomValues(pool);
      poolAt = 0;
    }
    poolAt += 16;
    return encodeBytes(pool.subarray(poolAt - 16, poolAt));
  }

  /** Seal `payload` for the request whose params read `params` ({@link paramsText}). */
  async seal(payload: StatePayload, params: string): Promise<string> {
    return (await this.issue(payload, params)).state;
  }

  /**
   * {@link seal}, with what the issuer keeps to know the state again without its MAC ({@link IssuedState}).
   * The state is `v2.` and two base64url parts joined by a dot: characters JSON never escapes,
   * which result-answer.ts relies on to write it into a reply's text without `JSON.stringify`.
   */
  async issue(payload: StatePayload, params: string): Promise<IssuedState> {
    const body = encodeText(JSON.stringify(payload));
    const mac = await this.#mac.sign(macInput(body, params));
    return { state: `v2.${body}.${encodeBytes(mac)}`, mac, params };
  }

  /**
   * Open an echoed state for `method` with params `params` ({@link paramsText}) at `now`:
   * precise -32602 errors for a malformed, tampered, expired, replayed or foreign state.
   * Consumes its nonce. `issued` finds what this sealer issued for a continuation still kept
   * (see {@link IssuedState}): a state that is exactly that one, for exactly those params, is
   * known without computing its MAC again.
   */
  async open(state: unknown, method: string, params: string, principal: string, now: number, issued?: (continuation: string) => IssuedState | undefined): Promise<StatePayload> {
    if (typeof state !== 'string') refuse(StateRefusal.Malformed, 'must be the string the server sent');
    const parts = state.split('.');
    const body = parts[1];
    const mac = parts[2] === undefined ? undefined : decodeBase64Url(parts[2]);
    if (parts.length !== 3 || parts[0] !== 'v2' || body === undefined || !mac) refuse(StateRefusal.Malformed, 'is not a state this server issued');
    const text = decodeText(body);
    const payload = text === undefined ? undefined : parsePayload(text);
    // One HMAC a round trip where two were made (sign at the ask, verify at the retry): the
    // retry that comes back to the instance still holding its continuation echoes the state
    // this sealer issued, whose MAC it computed then. Equal MACs (compared in constant time,
    // the only secret part), equal text and equal params prove it as the verify would; any
    // other state (changed, replayed with an older MAC, moved to other params, from another
    // instance, or whose continuation was dropped) is verified below. Expiry, binding and
    // single use are checked after either way.
    const kept = payload && issued?.(payload.continuation);
    const ok = kept && sameMac(kept.mac, mac) && kept.state === state && kept.params === params ? true : await this.#mac.verify(mac, macInput(body, params));
    const foreign = (p: StatePayload) => p.method !== method || p.principal !== principal || p.paramsHint !== paramsHint(params);
    if (!ok) {
      // The payload is unproven here: it only names the refusal.
      if (payload && foreign(payload)) refuse(StateRefusal.OtherRequest, 'belongs to another request (method, params or principal differ)');
      refuse(StateRefusal.Tampered, 'failed its integrity check (changed, or sealed with another key)');
    }
    if (!payload) refuse(StateRefusal.Malformed, 'is not a state this server issued');
    if (payload.expiresAt <= now) refuse(StateRefusal.Expired, 'has expired; send the request again without it');
    if (foreign(payload)) refuse(StateRefusal.OtherRequest, 'belongs to another request (method, params or principal differ)');
    this.#used.forgetExpired(now);
    if (this.#used.has(payload.nonce)) refuse(StateRefusal.Replayed, 'was already used; each state is single use');
    this.#used.add(payload.nonce, payload.expiresAt);
    if (this.#nonces && !(await this.#nonces.claim('mrtr', payload.nonce, payload.expiresAt))) refuse(StateRefusal.Replayed, 'was already used (on another instance); each state is single use');
    return payload;
  }
}

/**
 * The used nonces: a Map for the lookup and a ring for the age order. Forgetting the oldest
 * through the Map's own order (`keys().next()` after deletes) steps over every deleted entry
 * V8 keeps until it rebuilds the table: ~10 µs per state once the memory is full (session 6
 * measured this pattern at 10 000 entries); the ring makes it O(1). The ring starts small and
 * doubles up to `max`: allocated at `max` (10 000 by default) it cost every 2026-07-28
 * dispatcher 160 KB before its first state, i.e. every `serveEras` connection an embedder
 * opens in process or over stdio.
 */
class UsedNonces {
  readonly #expiry = new Map<string, number>();
  readonly #max: number;
  #ring: (string | undefined)[];
  #ringExpiry: Float64Array;
  #head = 0;
  #count = 0;

  constructor(max: number) {
    this.#max = Math.max(0, Math.floor(max));
    const size = Math.min(this.#max, FIRST_RING_SIZE);
    this.#ring = new Array<string | undefined>(size).fill(undefined);
    this.#ringExpiry = new Float64Array(size);
  }

  has(nonce: string): boolean {
    return this.#expiry.has(nonce);
  }

  /** Remember `nonce` until `expiresAt`; the oldest is forgotten when the memory is full. */
  add(nonce: string, expiresAt: number): void {
    if (this.#max === 0) return;
    if (this.#count === this.#ring.length) {
      if (this.#ring.length < this.#max) this.#grow();
      else this.#dropOldest();
    }
    const size = this.#ring.length;
    const at = (this.#head + this.#count) % size;
    this.#ring[at] = nonce;
    this.#ringExpiry[at] = expiresAt;
    this.#count++;
    this.#expiry.set(nonce, expiresAt);
  }

  /** Forget the oldest nonces while they have expired (a replayed state is refused as expired anyway). */
  forgetExpired(now: number): void {
    while (this.#count > 0 && this.#ringExpiry[this.#head]! <= now) this.#dropOldest();
  }

  /** A ring twice the size (at most `max`), oldest first from slot 0. Called only when full. */
  #grow(): void {
    const size = Math.min(this.#max, this.#ring.length * 2);
    const ring = new Array<string | undefined>(size).fill(undefined);
    const expiry = new Float64Array(size);
    for (let i = 0; i < this.#count; i++) {
      const from = (this.#head + i) % this.#ring.length;
      ring[i] = this.#ring[from];
      expiry[i] = this.#ringExpiry[from]!;
    }
    this.#ring = ring;
    this.#ringExpiry = expiry;
    this.#head = 0;
  }

  #dropOldest(): void {
    const nonce = this.#ring[this.#head];
    if (nonce !== undefined) this.#expiry.delete(nonce);
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#ring.length;
    this.#count--;
  }
}

/** Slots of a fresh nonce ring; it doubles as states are used, up to `maxReplayMemory`. */
const FIRST_RING_SIZE = 64;

function parsePayload(text: string): StatePayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // the MAC matched, so only a state from a foreign format reaches here
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  const strings = ['continuation', 'method', 'paramsHint', 'principal', 'nonce'].every((k) => typeof p[k] === 'string');
  const answers = typeof p.answers === 'object' && p.answers !== null && !Array.isArray(p.answers);
  return strings && typeof p.expiresAt === 'number' && answers ? p as unknown as StatePayload : undefined;
}

/**
 * JSON with sorted keys, so equal params give equal text whatever their key order; at the
 * top level the keys in `skip` are left out. Written into one string, without the entry,
 * filter and map arrays of each object: the old form was ~7% of the m-b-json server's
 * in-process profile (every `tools/call` takes this text, see InputRounds.play).
 */
function canonical(value: unknown, skip?: ReadonlySet<string>): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonical(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || skip?.has(key)) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonical(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** Top-level params that are not part of the request's identity: the envelope and the round's own fields. */
const ROUND_FIELDS: ReadonlySet<string> = new Set(['_meta', 'inputResponses', 'requestState']);

/** The params that identify the request across rounds, as canonical text (what the MAC covers). */
export function paramsText(params: Record<string, unknown>): string {
  return canonical(params, ROUND_FIELDS);
}

/** Whether two MACs are equal, in time that depends on their length only (the length is public). */
function sameMac(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** What the MAC covers: the sealed body and the params it was issued for (base64url has no '.'). */
function macInput(body: string, params: string): string {
  return `v2.${body}.${params}`;
}

/** 32-bit FNV-1a of `text` (UTF-16 units), hex: a hint, never a check (see StatePayload.paramsHint). */
export function paramsHint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}
