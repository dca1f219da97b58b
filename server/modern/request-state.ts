/**
 * The sealed `requestState` of a multi round-trip request (2026-07-28 basic/mrtr): the
 * server MUST treat the echoed state as attacker-controlled, SHOULD bind it to the
 * principal, a short TTL and the method plus a digest of the params, and enforce single use
 * itself. The state is `v1.<payload>.<HMAC-SHA256>` (base64url, Web Crypto only): the
 * payload is readable but any change breaks the MAC, and a used nonce is refused.
 */
import { ErrorCode, RpcError } from '../../protocol/index.ts';
import { decodeBase64Url, encodeBase64Url } from '../../protocol/base64.ts';

/** What the server keeps between rounds, inside the sealed state. */
export interface StatePayload {
  /** The suspended handler's id (see continuations.ts). */
  readonly continuation: string;
  readonly method: string;
  /** SHA-256 of the request's params without `_meta`, `inputResponses` and `requestState`. */
  readonly digest: string;
  /** Who asked (empty until requests are authenticated). */
  readonly principal: string;
  /** Epoch ms after which the state is refused. */
  readonly expiresAt: number;
  /** Single use: refused once seen. */
  readonly nonce: string;
  /** Every answer the client gave in earlier rounds, by input key (for a re-run). */
  readonly answers: Readonly<Record<string, unknown>>;
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
  nonces?: { claim(scope: string, id: string, expiresAt: number): Promise<boolean> };
}

export const REQUEST_STATE_DEFAULTS = { ttlMs: 600_000, maxReplayMemory: 10_000 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function refuse(reason: StateRefusal, message: string): never {
  throw new RpcError(ErrorCode.InvalidParams, `Invalid params: requestState ${message}`, { reason });
}

/** Seals and opens request states with one key; remembers used nonces. */
export class RequestStateSealer {
  readonly ttlMs: number;
  readonly #maxReplay: number;
  readonly #key: ReturnType<typeof crypto.subtle.importKey>;
  /** nonce -> expiry; insertion order is age order. */
  readonly #used = new Map<string, number>();
  readonly #nonces: RequestStateOptions['nonces'];

  constructor(options: RequestStateOptions = {}) {
    this.ttlMs = options.ttlMs ?? REQUEST_STATE_DEFAULTS.ttlMs;
    this.#maxReplay = options.maxReplayMemory ?? REQUEST_STATE_DEFAULTS.maxReplayMemory;
    this.#nonces = options.nonces;
    const raw = options.key ?? crypto.getRandomValues(new Uint8Array(32));
    if (raw.byteLength < 32) throw new RangeError('requestState key must be at least 32 bytes');
    this.#key = crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /** A fresh single-use nonce. */
  static nonce(): string {
    return encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  }

  async seal(payload: StatePayload): Promise<string> {
    const body = encodeBase64Url(encoder.encode(JSON.stringify(payload)));
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await this.#key, encoder.encode(`v1.${body}`)));
    return `v1.${body}.${encodeBase64Url(mac)}`;
  }

  /**
   * Open an echoed state for `method` with `digest` at `now`: precise -32602 errors for a
   * malformed, tampered, expired, replayed or foreign state. Consumes its nonce.
   */
  async open(state: unknown, method: string, digest: string, principal: string, now: number): Promise<StatePayload> {
    if (typeof state !== 'string') refuse(StateRefusal.Malformed, 'must be the string the server sent');
    const parts = state.split('.');
    const body = parts[1];
    const mac = parts[2] === undefined ? undefined : decodeBase64Url(parts[2]);
    if (parts.length !== 3 || parts[0] !== 'v1' || body === undefined || !mac) refuse(StateRefusal.Malformed, 'is not a state this server issued');
    const ok = await crypto.subtle.verify('HMAC', await this.#key, mac as Uint8Array<ArrayBuffer>, encoder.encode(`v1.${body}`));
    if (!ok) refuse(StateRefusal.Tampered, 'failed its integrity check (changed, or sealed with another key)');
    const bytes = decodeBase64Url(body);
    const payload = bytes ? parsePayload(decoder.decode(bytes)) : undefined;
    if (!payload) refuse(StateRefusal.Malformed, 'is not a state this server issued');
    if (payload.expiresAt <= now) refuse(StateRefusal.Expired, 'has expired; send the request again without it');
    if (payload.method !== method || payload.digest !== digest || payload.principal !== principal) {
      refuse(StateRefusal.OtherRequest, 'belongs to another request (method, params or principal differ)');
    }
    this.#forgetExpired(now);
    if (this.#used.has(payload.nonce)) refuse(StateRefusal.Replayed, 'was already used; each state is single use');
    this.#used.set(payload.nonce, payload.expiresAt);
    if (this.#used.size > this.#maxReplay) this.#used.delete(this.#used.keys().next().value as string);
    if (this.#nonces && !(await this.#nonces.claim('mrtr', payload.nonce, payload.expiresAt))) refuse(StateRefusal.Replayed, 'was already used (on another instance); each state is single use');
    return payload;
  }

  #forgetExpired(now: number): void {
    for (const [nonce, expiresAt] of this.#used) {
      if (expiresAt > now) break;
      this.#used.delete(nonce);
    }
  }
}

function parsePayload(text: string): StatePayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // the MAC matched, so only a state from a foreign format reaches here
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  const strings = ['continuation', 'method', 'digest', 'principal', 'nonce'].every((k) => typeof p[k] === 'string');
  const answers = typeof p.answers === 'object' && p.answers !== null && !Array.isArray(p.answers);
  return strings && typeof p.expiresAt === 'number' && answers ? p as unknown as StatePayload : undefined;
}

/** JSON with sorted keys, so equal params give equal digests whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 (base64url) of the params that identify the request across rounds. */
export async function paramsDigest(params: Record<string, unknown>): Promise<string> {
  const { _meta: _m, inputResponses: _i, requestState: _s, ...rest } = params;
  const hash = await crypto.subtle.digest('SHA-256', encoder.encode(canonical(rest)));
  return encodeBase64Url(new Uint8Array(hash));
}
