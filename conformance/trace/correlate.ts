/**
 * Works out what each message of a conversation is: the request a response answers, the
 * call a progress notification or a server-to-client request belongs to, the era and
 * version in force, multi round-trip rounds and task ids; and checks each message against
 * the spec's schema and rules (conformance/validate.ts). It only reads: the proxies hand it
 * copies of what they pass on unchanged.
 */
import { createMessageValidator, isObject, RULES, type MessageValidator } from '../validate.ts';
import { citeTopic, type SpecTopic } from '../spec-pages.ts';
import { meaningOf } from './explain.ts';
import { ruleIdOf } from './finding-ids.ts';
import type { TraceDirection, TraceFinding, TraceHttp, TraceKind, TraceRecord, TraceSink } from './record.ts';
import type { Obj } from '../validate-schema-checks.ts';

/** Where a message was seen. */
export interface ObserveContext {
  readonly transport: 'stdio' | 'http';
  readonly http?: TraceHttp;
  /** The HTTP session (Mcp-Session-Id) the message belongs to, when there is one. */
  readonly session?: string;
  /** The client requests the HTTP exchange carries (a POST's request ids): its server-to-client requests belong to them. */
  readonly streamCalls?: ReadonlyArray<string | number>;
}

type Id = string | number;

interface Pending {
  readonly method: string;
  /** The client call it belongs to (for server-to-client requests). */
  readonly call?: Id;
  /** Its progress token's key in the token map, forgotten with the answer. */
  readonly token?: string;
}

/** Add to `map`, forgetting its oldest entry once it holds more than `max`. */
function setBounded<K, V>(map: Map<K, V>, k: K, v: V, max: number): void {
  map.set(k, v);
  if (map.size > max) map.delete(map.keys().next().value!);
}

const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
/** Requests whose answers may need input from the client (2026-07-28 multi round-trip). */
const MRTR_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);
const LEGACY_DEFAULT = '2025-11-25';
/**
 * Methods of the 2026-07-28 tasks extension (SEP-2663): not in the core schema, so the
 * schema's "method not in this version" is no finding for them. Its push is
 * `notifications/tasks` (ext-tasks TaskStatusNotification), not 2025-11-25's `notifications/tasks/status`.
 */
const EXTENSION_METHODS = new Set(['tasks/get', 'tasks/update', 'tasks/cancel', 'notifications/tasks']);
const UNION_NAMES = /^(Client|Server)(Request|Notification)$/;
const MODERN_VERSION = '2026-07-28';

export interface CorrelatorOptions {
  /** Check each message against the schema of its version. Default true. */
  validate?: boolean;
  /** Told when schema validation had to be turned off (no schema found). */
  onWarning?: (text: string) => void;
  /** SSE event ids remembered to recognise a replay after a resume (oldest dropped). Default 100 000. */
  maxEventIds?: number;
  /**
   * Requests awaiting an answer (each direction), progress tokens, multi round-trip states and
   * sessions' versions remembered; past it the oldest are forgotten (a later answer shows
   * unpaired). Default 100 000.
   */
  maxPending?: number;
  now?: () => number;
}

export class TraceCorrelator {
  #sink: TraceSink;
  #seq = 0;
  #now: () => number;
  #start: number;
  #validate: boolean;
  #onWarning: ((text: string) => void) | undefined;
  /** Requests awaiting answers, per direction, keyed by session and id. */
  #pending: Record<TraceDirection, Map<string, Pending>> = { 'client-to-server': new Map(), 'server-to-client': new Map() };
  /** Progress token -> the client call that asked for progress. */
  #tokens = new Map<string, Id>();
  /** Negotiated version per session ('' for stdio / no session). */
  #versions = new Map<string, string>();
  #validators = new Map<string, MessageValidator>();
  /** Multi round-trip rounds so far, by the requestState the server handed out. */
  #rounds = new Map<string, number>();
  /** SSE event ids seen, by session: the same id again is a replay after a resume. */
  #eventIds = new Set<string>();
  #maxEventIds: number;
  #maxPending: number;

  constructor(sink: TraceSink, options: CorrelatorOptions = {}) {
    this.#sink = sink;
    this.#now = options.now ?? Date.now;
    this.#start = this.#now();
    this.#validate = options.validate ?? true;
    this.#onWarning = options.onWarning;
    this.#maxEventIds = options.maxEventIds ?? 100_000;
    this.#maxPending = options.maxPending ?? 100_000;
  }

  /** Observe one frame as it passed (a stdio line, a POST body, an SSE event's data). */
  observeText(text: string, direction: TraceDirection, ctx: ObserveContext): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.#emit(direction, ctx, { kind: 'invalid', explain: 'not JSON: the receiver must answer a parse error (-32700) or drop it', topic: 'transports', message: text, findings: [finding('rule:json', 'the frame is not valid JSON', ctx, direction)] });
      return;
    }
    this.observe(parsed, direction, ctx);
  }

  /** An HTTP event that carries no message: a GET that opens or resumes a stream, a DELETE, a cut stream. */
  observeHttp(direction: TraceDirection, ctx: ObserveContext, explain: string): void {
    this.#emit(direction, ctx, { kind: 'http', explain, topic: 'transports', message: null, findings: [] });
  }

  /**
   * A stdio event that carries no message: the client closing the server's stdin, a signal
   * passed on, the server's exit (2025-11-25 basic/lifecycle: shutdown over stdio).
   */
  observeStdio(direction: TraceDirection, explain: string): void {
    this.#emit(direction, { transport: 'stdio' }, { kind: 'stdio', explain, topic: 'stdio-end', message: null, findings: [] });
  }

  /** A frame too large for the tracer's view passed (unchanged): record its size only. */
  observeOversize(bytes: number, direction: TraceDirection, ctx: ObserveContext): void {
    this.#emit(direction, ctx, { kind: 'invalid', explain: `a frame of ${bytes} bytes, over the tracer's view limit (passed on unchanged)`, message: null, findings: [] });
  }

  /**
   * `count` messages passed on unanalysed: the analysis fell behind the traffic and its queue
   * was full. Later pairing may miss what they carried (a request whose answer is shown alone).
   */
  observeSkipped(count: number, direction: TraceDirection, ctx: ObserveContext): void {
    this.#emit(direction, ctx, {
      kind: 'skipped', skipped: count, message: null, findings: [],
      explain: `analysis skipped ${count} message${count === 1 ? '' : 's'} (passed on unchanged; the tracer's analysis queue was full)`,
    });
  }

  /** Observe one parsed message (a batch is observed element by element). */
  observe(message: unknown, direction: TraceDirection, ctx: ObserveContext): void {
    if (Array.isArray(message)) {
      for (const m of message) this.observe(m, direction, ctx);
      return;
    }
    const eventKey = ctx.http?.eventId !== undefined ? `${ctx.session ?? ''}|${ctx.http.eventId}` : undefined;
    if (eventKey !== undefined && this.#replayed(eventKey)) {
      // 2025-11-25 basic/transports (resumability): the server sends again what followed the
      // client's Last-Event-ID; the first copy went out on a stream that was cut.
      const kind: TraceKind = isObject(message) && typeof message.method === 'string' ? ('id' in message ? 'request' : 'notification') : isObject(message) && 'error' in message ? 'error' : 'response';
      const method = isObject(message) && typeof message.method === 'string' ? message.method : undefined;
      this.#emit(direction, ctx, {
        kind, ...(method ? { method } : {}), explain: `replayed: event ${ctx.http!.eventId} already went out on a stream that was cut; the resume sends it again`,
        topic: 'transports', message, findings: [],
      });
      return;
    }
    if (!isObject(message)) {
      this.#emit(direction, ctx, { kind: 'invalid', explain: 'not a JSON-RPC message (not an object)', topic: 'messages', message, findings: [finding('rule:json-rpc', 'a message must be a JSON object', ctx, direction)] });
      return;
    }
    const session = ctx.session ?? '';
    const findings = this.#check(message, direction, session).map((x) => finding(x.definition, x.message, ctx, direction));
    if (typeof message.method === 'string') {
      if ('id' in message && message.id !== undefined) this.#request(message, direction, ctx, findings);
      else this.#notification(message, direction, ctx, findings);
      return;
    }
    if (!('result' in message) && !('error' in message)) {
      // JSON-RPC 2.0 sections 4-5: no method, result or error (`{}`): not a response, whatever it is.
      this.#emit(direction, ctx, { kind: 'invalid', explain: 'neither a request, a notification nor a response (no method, result or error): the receiver answers -32600 Invalid Request', topic: 'messages', message, findings });
      return;
    }
    this.#response(message, direction, ctx, findings);
  }

  #request(msg: Obj, direction: TraceDirection, ctx: ObserveContext, findings: TraceFinding[]): void {
    const method = msg.method as string;
    const id = msg.id as Id;
    const session = ctx.session ?? '';
    const params = isObject(msg.params) ? msg.params : undefined;
    const meta = params && isObject(params._meta) ? params._meta : undefined;
    let call: Id | undefined;
    let tokenKey: string | undefined;
    let { explain, topic } = meaningOf(method, 'request');
    if (direction === 'client-to-server') {
      const token = meta?.progressToken;
      if (typeof token === 'string' || typeof token === 'number') setBounded(this.#tokens, tokenKey = key(session, token), id, this.#maxPending);
      const modern = typeof meta?.[META_VERSION] === 'string' ? meta[META_VERSION] as string : undefined;
      if (modern) setBounded(this.#versions, session, modern, this.#maxPending);
      if (method === 'initialize' && typeof params?.protocolVersion === 'string' && !this.#versions.has(session)) setBounded(this.#versions, session, params.protocolVersion, this.#maxPending);
      const state = typeof params?.requestState === 'string' ? params.requestState : undefined;
      const answers = isObject(params?.inputResponses) ? Object.keys(params.inputResponses).length : 0;
      if (state !== undefined || answers > 0) {
        const round = (state !== undefined ? this.#rounds.get(state) : undefined) ?? 1;
        explain = `retries ${method} with ${answers} input response${answers === 1 ? '' : 's'}${state !== undefined ? ' and the requestState echoed' : ''} (round ${round + 1}, a new id)`;
        topic = 'mrtr';
      }
    } else {
      // A server-to-client request belongs to the call whose stream carries it (HTTP), or
      // on stdio to the one client call in flight, when there is exactly one.
      call = ctx.streamCalls?.[0] ?? this.#onlyCall(session);
    }
    setBounded(this.#pending[direction], key(session, id), { method, ...(call !== undefined ? { call } : {}), ...(tokenKey !== undefined ? { token: tokenKey } : {}) }, this.#maxPending);
    const taskId = typeof params?.taskId === 'string' ? params.taskId : undefined;
    if (taskId) explain += ` (task ${taskId})`;
    this.#emit(direction, ctx, { kind: 'request', id, method, ...(call !== undefined ? { call } : {}), explain, ...(topic ? { topic } : {}), message: msg, findings });
  }

  #notification(msg: Obj, direction: TraceDirection, ctx: ObserveContext, findings: TraceFinding[]): void {
    const method = msg.method as string;
    const session = ctx.session ?? '';
    const params = isObject(msg.params) ? msg.params : undefined;
    let { explain, topic } = meaningOf(method, 'notification');
    let call: Id | undefined;
    if (method === 'notifications/progress') {
      const token = params?.progressToken;
      if (typeof token === 'string' || typeof token === 'number') call = this.#tokens.get(key(session, token));
      const total = typeof params?.total === 'number' ? `/${params.total}` : '';
      explain = `progress ${String(params?.progress)}${total} of ${call !== undefined ? `call ${JSON.stringify(call)}` : 'an unknown request (no call asked for this token)'}`;
    } else if (method === 'notifications/cancelled') {
      const requestId = params?.requestId;
      if (typeof requestId === 'string' || typeof requestId === 'number') {
        call = requestId;
        const other: TraceDirection = direction === 'client-to-server' ? 'client-to-server' : 'server-to-client';
        this.#pending[other].delete(key(session, requestId));
      }
    } else if (direction === 'server-to-client' && ctx.streamCalls?.length) {
      call = ctx.streamCalls[0];
    }
    this.#emit(direction, ctx, { kind: 'notification', method, ...(call !== undefined ? { call } : {}), explain, ...(topic ? { topic } : {}), message: msg, findings });
  }

  #response(msg: Obj, direction: TraceDirection, ctx: ObserveContext, findings: TraceFinding[]): void {
    const id = msg.id as Id | null | undefined;
    const session = ctx.session ?? '';
    const asked: TraceDirection = direction === 'client-to-server' ? 'server-to-client' : 'client-to-server';
    const pending = id === null || id === undefined ? undefined : this.#pending[asked].get(key(session, id));
    if (pending) {
      this.#pending[asked].delete(key(session, id!));
      // Progress ends with the answer (2025-11-25 basic/utilities/progress).
      if (pending.token !== undefined) this.#tokens.delete(pending.token);
    }
    const isError = 'error' in msg;
    const kind: TraceKind = isError ? 'error' : 'response';
    let { explain, topic } = meaningOf(pending?.method, kind);
    if (!pending) {
      explain = id === null || id === undefined
        ? (isError ? 'an error with no request id (the request could not be read)' : 'a response with no id')
        : `answers ${JSON.stringify(id)}, which no request in this trace had`;
      if (id !== null && id !== undefined) findings.push(finding(RULES.ResponseMatchesRequest, `no request with id ${JSON.stringify(id)} is awaiting an answer`, ctx, direction));
    }
    const result = isObject(msg.result) ? msg.result : undefined;
    if (pending?.method === 'initialize' && typeof result?.protocolVersion === 'string') {
      setBounded(this.#versions, session, result.protocolVersion, this.#maxPending);
      explain = `the server accepts: they will speak ${result.protocolVersion}`;
    }
    if (isError && isObject(msg.error)) explain += `: ${String(msg.error.code)} ${String(msg.error.message ?? '')}`.trimEnd();
    if (result?.resultType === 'input_required' && pending && MRTR_METHODS.has(pending.method)) {
      const requests = isObject(result.inputRequests) ? Object.values(result.inputRequests) : [];
      const methods = requests.map((r) => (isObject(r) ? String(r.method) : '?'));
      const state = typeof result.requestState === 'string' ? result.requestState : undefined;
      const round = this.#roundAfter(state);
      explain = `the server needs input before it can answer (round ${round}): ${methods.join(', ') || 'no input requests'}; the client retries with inputResponses${state !== undefined ? ' and this requestState' : ''}`;
      topic = 'mrtr';
    }
    const task = isObject(result?.task) ? result.task : result?.resultType === 'task' ? result : undefined;
    if (task && typeof task.taskId === 'string') explain = `the call runs as task ${task.taskId} (status ${String(task.status)})`;
    this.#emit(direction, ctx, {
      kind, ...(id !== null && id !== undefined ? { id } : {}), ...(pending ? { answers: pending.method } : {}),
      ...(pending?.call !== undefined ? { call: pending.call } : {}), explain, ...(topic ? { topic } : {}), message: msg, findings,
    });
  }

  /** True when `eventKey` was seen before; else remember it (bounded, oldest dropped). */
  #replayed(eventKey: string): boolean {
    if (this.#eventIds.has(eventKey)) return true;
    this.#eventIds.add(eventKey);
    if (this.#eventIds.size > this.#maxEventIds) this.#eventIds.delete(this.#eventIds.values().next().value!);
    return false;
  }

  #roundAfter(state: string | undefined): number {
    if (state === undefined) return 1;
    const round = (this.#rounds.get(state) ?? 0) + 1;
    setBounded(this.#rounds, state, round, this.#maxPending);
    return round;
  }

  #onlyCall(session: string): Id | undefined {
    let found: string | undefined;
    let count = 0;
    for (const [k, p] of this.#pending['client-to-server']) {
      if (!k.startsWith(`${session}|`) || !MRTR_METHODS.has(p.method)) continue;
      found = k.slice(session.length + 1);
      count++;
    }
    if (count !== 1 || found === undefined) return undefined;
    const parsed: unknown = JSON.parse(found);
    return typeof parsed === 'number' || typeof parsed === 'string' ? parsed : undefined;
  }

  #check(msg: Obj, direction: TraceDirection, session: string): Array<{ definition: string; message: string }> {
    if (!this.#validate) return [];
    const version = this.#versions.get(session) ?? modernVersionOf(msg) ?? LEGACY_DEFAULT;
    try {
      let v = this.#validators.get(session);
      if (!v) this.#validators.set(session, (v = createMessageValidator(version)));
      const extension = version >= MODERN_VERSION && typeof msg.method === 'string' && EXTENSION_METHODS.has(msg.method);
      return v.validate(msg, direction, { version })
        .filter((x) => !(extension && UNION_NAMES.test(x.definition) && x.path === '/method'))
        .map((x) => ({ definition: x.definition, message: x.message }));
    } catch (error) {
      this.#validate = false;
      this.#onWarning?.(`schema checks are off: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** Record `r`, its topic cited at the revision its conversation speaks (spec-pages.ts). */
  #emit(direction: TraceDirection, ctx: ObserveContext, r: Omit<TraceRecord, 'seq' | 'time' | 'ms' | 'direction' | 'transport' | 'era' | 'version' | 'spec'> & { topic?: SpecTopic }): void {
    const now = this.#now();
    const version = this.#versions.get(ctx.session ?? '');
    const era = version === undefined ? undefined : version >= MODERN_VERSION ? 'modern' : 'legacy';
    const { topic, ...rest } = r;
    this.#sink({
      seq: ++this.#seq, time: new Date(now).toISOString(), ms: now - this.#start, direction, transport: ctx.transport,
      ...(era ? { era } : {}), ...(version ? { version } : {}), ...rest,
      ...(topic ? { spec: citeTopic(topic, version, ctx.transport) } : {}), ...(ctx.http ? { http: ctx.http } : {}),
    });
  }
}

/** A finding named by `mcpwire check`'s rule id, with the validator's name for what failed. */
function finding(definition: string, message: string, ctx: ObserveContext, direction: TraceDirection): TraceFinding {
  return { id: ruleIdOf(definition, ctx.transport, direction), definition, message };
}

function key(session: string, id: Id): string {
  return `${session}|${JSON.stringify(id)}`;
}

function modernVersionOf(msg: Obj): string | undefined {
  const params = isObject(msg.params) ? msg.params : undefined;
  const meta = params && isObject(params._meta) ? params._meta : undefined;
  return typeof meta?.[META_VERSION] === 'string' ? meta[META_VERSION] as string : undefined;
}
