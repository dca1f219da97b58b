/**
 * A 2026-07-28 result as the dispatcher answers it (basic/index: every result names its type
 * and the server that made it): `resultType` ("complete" unless the handler set one) and
 * `_meta` with the server's info, plus the cache hints of cacheable results. The shaped
 * message is made only when read; a transport that writes text reads {@link ResultAnswer.json},
 * which for a plain result splices a pre-serialised tail after the handler's own members.
 */
import type { Implementation, JsonRpcResultResponse, RequestId } from '../../protocol/index.ts';
import { META } from './envelope.ts';

/** Results a client may cache: they carry `ttlMs` and `cacheScope` (2026-07-28 server/utilities/caching). */
const CACHEABLE: ReadonlySet<string> = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']);

/** What every result of one dispatcher carries: made once per dispatcher. */
export class ResultShape {
  readonly #info: Implementation;
  readonly #ttlMs: number;
  readonly #scope: 'public' | 'private';
  /** `_meta` of a result that has none: the server's info (frozen, shared by every result). */
  readonly #infoMeta: Readonly<Record<string, unknown>>;
  /** `,"resultType":"complete","_meta":{...}}` as text: what a plain result's JSON ends with. */
  readonly #tail: string;
  /** `"_meta":{...}}` as text: what an {@link InputRequired}'s JSON ends with. */
  readonly #metaTail: string;

  constructor(info: Implementation, ttlMs: number, scope: 'public' | 'private') {
    this.#info = info;
    this.#ttlMs = ttlMs;
    this.#scope = scope;
    this.#infoMeta = Object.freeze({ [META.serverInfo]: info });
    this.#metaTail = `"_meta":${JSON.stringify(this.#infoMeta)}}`;
    this.#tail = `"resultType":"complete",${this.#metaTail}`;
  }

  /** The answer to request `id` of `method` whose handler returned `result`. */
  answer(id: RequestId, method: string, result: Record<string, unknown>): ResultAnswer {
    return new ResultAnswer(this, id, method, result);
  }

  /** The result as sent: the handler's members, then `resultType`, `_meta` (and cache hints). */
  shape(method: string, result: Record<string, unknown>): Record<string, unknown> {
    // Copied member by member: an object spread followed by more members (`{ ...result,
    // resultType, _meta }`) takes V8's slow path, ~1.5 µs a call on Node 20 against ~0.1 µs.
    const shaped: Record<string, unknown> = {};
    for (const key in result) shaped[key] = result[key];
    shaped.resultType = result.resultType ?? 'complete';
    const meta = result._meta;
    shaped._meta = typeof meta === 'object' && meta !== null ? { ...meta, [META.serverInfo]: this.#info } : this.#infoMeta;
    if (CACHEABLE.has(method) && shaped.resultType === 'complete') {
      shaped.ttlMs ??= this.#ttlMs;
      shaped.cacheScope ??= this.#scope;
    }
    return shaped;
  }

  /**
   * The shaped result's JSON text. A plain object without `resultType`, `_meta` or cache hints
   * to add (a tool's result, a prompt's) is serialised as the handler made it and the tail
   * spliced in: no copy of it, and the server's info is not serialised again for each result
   * (the copy and that serialising made the m-b-json server's responses cost ~5k instructions a
   * call more than the 2025 era's, bench/README "Session 35 (lead)").
   */
  text(method: string, result: Record<string, unknown>): string {
    if (result instanceof InputRequired) {
      // The state is written as it is: the sealer made it of base64url and dots, which JSON
      // never escapes, so its ~400 characters are not serialised (and escape-checked) again.
      return `{"resultType":"input_required","inputRequests":${JSON.stringify(result.inputRequests)},"requestState":"${result.requestState}",${this.#metaTail}`;
    }
    if (result.resultType !== undefined || result._meta !== undefined || CACHEABLE.has(method) || Object.getPrototypeOf(result) !== Object.prototype) {
      return JSON.stringify(this.shape(method, result));
    }
    const own = JSON.stringify(result);
    // `{}` takes the tail alone; otherwise the tail follows the last member.
    return own.length === 2 ? `{${this.#tail}` : `${own.slice(0, -1)},${this.#tail}`;
  }
}

/**
 * The InputRequiredResult the dispatcher answers a round that asks with (2026-07-28
 * basic/patterns/mrtr), its members in this order: its `requestState` is a sealed state
 * (request-state.ts: `v2.`, base64url, `.`, base64url), text that needs no JSON escaping.
 */
export class InputRequired {
  [key: string]: unknown;
  readonly resultType = 'input_required';
  readonly inputRequests: Record<string, unknown>;
  readonly requestState: string;

  constructor(inputRequests: Record<string, unknown>, requestState: string) {
    this.inputRequests = inputRequests;
    this.requestState = requestState;
  }
}

/** A successful answer: its message shaped when read, its JSON text made without it when only that is read. */
export class ResultAnswer {
  readonly status = 200;
  readonly #shape: ResultShape;
  readonly #id: RequestId;
  readonly #method: string;
  readonly #result: Record<string, unknown>;
  #message: JsonRpcResultResponse | undefined;

  constructor(shape: ResultShape, id: RequestId, method: string, result: Record<string, unknown>) {
    this.#shape = shape;
    this.#id = id;
    this.#method = method;
    this.#result = result;
  }

  get message(): JsonRpcResultResponse {
    return this.#message ??= { jsonrpc: '2.0', id: this.#id, result: this.#shape.shape(this.#method, this.#result) as never };
  }

  /** The message as JSON text, the same members in the same order as `JSON.stringify(message)`. */
  json(): string {
    if (this.#message) return JSON.stringify(this.#message);
    return `{"jsonrpc":"2.0","id":${JSON.stringify(this.#id)},"result":${this.#shape.text(this.#method, this.#result)}}`;
  }
}
