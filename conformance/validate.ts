/**
 * Checks JSON-RPC messages against the spec schema of a protocol version: the envelope
 * definition, the typed definition picked by `method` (or, for a response, by the method of
 * the request it answers), and the rules a schema cannot state (null ids, reused ids,
 * progress that does not increase, `resultType` values, logs and tasks not asked for).
 */
import { isRequestId } from 'mcpwire/protocol';
import { getValidator, hasDefinition, isSchemaVersion, type SchemaVersion } from './schema.ts';
import { getMethodMap, opposite, type Direction, type MethodMap, type RequestEntry } from './method-map.ts';
import { check, checkEnvelopeAndTyped, isObject, push, unknownMethod, type Ctx, type Obj } from './validate-schema-checks.ts';

export { isObject } from './validate-schema-checks.ts';
import { levelAsked, logBelowLevel, modernAsk, unaskedLog, unaskedTask, type ModernAsk } from './validate-asks.ts';
import { foreignRoot, foreignRootInRetry } from './validate-roots.ts';
import { secretField, secretFieldInAsks } from './validate-forms.ts';

/** One way a message breaks the spec. */
export interface Violation {
  /** The direction the message travelled; undefined for {@link validateAs}. */
  readonly direction: Direction | undefined;
  readonly version: string;
  /** One-line summary naming the message and what it fails. */
  readonly message: string;
  /** JSON Pointer into the message (or the value given to {@link validateAs}). */
  readonly path: string;
  /** The schema definition that failed, a union name for an unknown method, or a `rule:` id. */
  readonly definition: string;
  /** ajv's messages (or the rule's explanation). */
  readonly detail: string;
  /** The message (for a batch: the element) that was checked. */
  readonly raw: unknown;
}

/** The `definition` of violations found in code rather than by a schema. */
export const RULES = {
  KnownVersion: 'rule:known-version',
  RequestIdNotNull: 'rule:request-id-not-null',
  RequestIdUnique: 'rule:request-id-unique',
  ResponseMatchesRequest: 'rule:response-matches-request',
  ProgressIncreases: 'rule:progress-increases',
  ResultType: 'rule:result-type',
  InputRequired: 'rule:input-required',
  Batch: 'rule:batch',
  ResultXorError: 'rule:result-xor-error',
  ProgressToken: 'rule:progress-token',
  LogUnasked: 'rule:log-unasked',
  TaskUnasked: 'rule:task-unasked',
  LogBelowLevel: 'rule:log-below-level',
  ServerRequest: 'rule:server-request',
  ClientResponse: 'rule:client-response',
  RootUri: 'rule:root-uri',
  FormSecret: 'rule:form-secret',
} as const;

/** Per-call options of {@link MessageValidator.validate}. */
export interface ValidateContext {
  /** Check this message against another version than the validator's own (after negotiation). */
  version?: string;
}

/** A stateful validator for one connection's messages; see {@link createMessageValidator}. */
export interface MessageValidator {
  /** The version used when a call names none. */
  readonly version: string;
  /** Check one message (or a 2025-03-26 batch) and update the tracked ids and progress. */
  validate(message: unknown, direction: Direction, context?: ValidateContext): Violation[];
  /** Forget tracked requests, ids and progress (a new session). */
  reset(): void;
}

/** 2026-07-28 basic/index: `resultType` values; `task` comes from the Tasks extension. */
const RESULT_TYPES = new Set(['complete', 'input_required', 'task']);

interface Pending {
  readonly method: string;
  readonly entry: RequestEntry | undefined;
  /** The request asked for task augmentation (`params.task`, 2025-11-25). */
  readonly task: boolean;
  readonly progressKey: string | undefined;
  /** A 2026-07-28 request's opt-ins (log level, tasks extension); undefined in earlier versions. */
  readonly ask: ModernAsk | undefined;
  readonly level: string | undefined; // what a logging/setLevel asks for
}

function idKey(id: string | number): string {
  return `${typeof id}:${id}`;
}

/** 2026-07-28 basic/index: ids must differ from outstanding ones only; earlier: never reused. */
function isModern(version: SchemaVersion): boolean {
  return version === 'draft' || version >= '2026-07-28';
}

function progressTokenOf(params: unknown): string | number | undefined {
  if (!isObject(params) || !isObject(params._meta)) return undefined;
  const token = params._meta.progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

/** Create a validator whose state (pending requests, used ids, progress) spans one connection. */
export function createMessageValidator(version: string): MessageValidator {
  const pending: Record<Direction, Map<string, Pending>> = { 'client-to-server': new Map(), 'server-to-client': new Map() };
  const used: Record<Direction, Set<string>> = { 'client-to-server': new Set(), 'server-to-client': new Set() };
  // `${direction of the notifications}|${token key}` -> last progress value seen.
  const progress = new Map<string, number>();
  // Every progress key a request ever gave: a token no request gave is the sender's invention.
  const given = new Set<string>();
  let logsAsked = false; // 2026-07-28: a request from the client set a log level
  let minLevel: string | undefined; // earlier: the level the last acknowledged logging/setLevel set

  function onRequest(c: Ctx & { direction: Direction }, map: MethodMap, msg: Obj): void {
    const { direction } = c;
    const method = typeof msg.method === 'string' ? msg.method : undefined;
    const label = `${method ?? '(no method)'} request (id ${JSON.stringify(msg.id)})`;
    const entry = method === undefined ? undefined : map.requests[direction].get(method);
    const typed = entry ? { definitions: [entry.definition], value: msg, prefix: '' } : undefined;
    checkEnvelopeAndTyped(c, map.envelope.request, msg, label, '/params', typed);
    // 2025-11-25 basic/index: "Unlike base JSON-RPC, the ID MUST NOT be null."
    if (msg.id === null) push(c, RULES.RequestIdNotNull, '/id', `${label}: request id is null`, 'request ids MUST NOT be null');
    if (method === undefined) return;
    if (!entry && direction === 'server-to-client' && map.requests[direction].size === 0) {
      // 2026-07-28 basic/transports: servers do not initiate JSON-RPC requests (stdio: "MUST NOT
      // write JSON-RPC requests to stdout"; streamable-http: "MUST NOT send independent JSON-RPC
      // requests"); input is asked for in an InputRequiredResult.
      const detail = `a ${c.version} server sends no JSON-RPC requests (elicitation, sampling and roots are asked for in an InputRequiredResult)`;
      push(c, RULES.ServerRequest, '/method', `${label}: ${detail}`, detail);
    } else if (!entry) unknownMethod(c, map, direction, method, 'request');
    const root = direction === 'client-to-server' ? foreignRootInRetry(msg.params) : undefined;
    if (root) push(c, RULES.RootUri, root.path, `${label}: ${root.detail}`, root.detail);
    const secret = direction === 'server-to-client' && method === 'elicitation/create' ? secretField(msg.params, '/params') : undefined;
    if (secret) push(c, RULES.FormSecret, secret.path, `${label}: ${secret.detail}`, secret.detail);
    const token = progressTokenOf(msg.params);
    const progressKey = token === undefined ? undefined : `${opposite(direction)}|${idKey(token)}`;
    if (progressKey !== undefined) {
      progress.delete(progressKey); // a new request starts its token afresh
      given.add(progressKey);
    }
    if (!isRequestId(msg.id)) return;
    const key = idKey(msg.id);
    const modern = isModern(c.version);
    // basic/index: the sender MUST NOT reuse an id in the session (2026-07-28: while outstanding).
    if (pending[direction].has(key) || (!modern && used[direction].has(key))) {
      const detail = `id ${JSON.stringify(msg.id)} was already used by this sender${modern ? ' and is still outstanding' : ''}`;
      push(c, RULES.RequestIdUnique, '/id', `${label}: ${detail}`, detail);
    }
    if (!modern) used[direction].add(key);
    const task = isObject(msg.params) && msg.params.task !== undefined;
    const ask = modern ? modernAsk(msg.params) : undefined;
    if (ask?.logs && direction === 'client-to-server') logsAsked = true;
    pending[direction].set(key, { method, entry, task, progressKey, ask, level: method === 'logging/setLevel' ? levelAsked(msg.params) : undefined });
  }

  function onNotification(c: Ctx & { direction: Direction }, map: MethodMap, msg: Obj): void {
    const method = typeof msg.method === 'string' ? msg.method : undefined;
    const label = `${method ?? '(no method)'} notification`;
    const entry = method === undefined ? undefined : map.notifications[c.direction].get(method);
    const typed = entry ? { definitions: [entry.definition], value: msg, prefix: '' } : undefined;
    checkEnvelopeAndTyped(c, map.envelope.notification, msg, label, '/params', typed);
    if (method === undefined) return;
    if (!entry) unknownMethod(c, map, c.direction, method, 'notification');
    const unasked = c.direction === 'server-to-client' && isModern(c.version) ? unaskedLog(method, logsAsked) : undefined;
    if (unasked !== undefined) push(c, RULES.LogUnasked, '/method', `${label}: sent, but no request set a logLevel`, unasked);
    const below = method === 'notifications/message' && c.direction === 'server-to-client' && !isModern(c.version) ? logBelowLevel(msg.params, minLevel) : undefined;
    if (below !== undefined) push(c, RULES.LogBelowLevel, '/params/level', `${label}: below the level set`, below);
    if (method !== 'notifications/progress' || !isObject(msg.params)) return;
    const { progressToken: token, progress: value } = msg.params;
    if ((typeof token !== 'string' && typeof token !== 'number') || typeof value !== 'number') return;
    const key = `${c.direction}|${idKey(token)}`;
    // basic/utilities/progress: tokens MUST be ones "provided in an active request". Only a token
    // never given is held against the sender: one arriving just after its response may have
    // crossed it on another stream.
    if (!given.has(key)) {
      const detail = `progress token ${JSON.stringify(token)} was given by no request`;
      push(c, RULES.ProgressToken, '/params/progressToken', `${label}: ${detail}`, detail);
    }
    // basic/utilities/progress: "The progress value MUST increase with each notification".
    const previous = progress.get(key);
    if (previous !== undefined && !(value > previous)) {
      const detail = `progress ${value} is not greater than the previous ${previous} for token ${JSON.stringify(token)}`;
      push(c, RULES.ProgressIncreases, '/params/progress', `${label}: ${detail}`, detail);
    }
    progress.set(key, previous === undefined ? value : Math.max(previous, value));
  }

  function resultDefinitions(map: MethodMap, direction: Direction, p: Pending | undefined, result: Obj): string[] {
    const entry = p?.entry;
    if (!entry) return [map.unions[direction].results];
    if (entry.inputRequiredResult !== undefined && result.resultType === 'input_required') return [entry.inputRequiredResult];
    // A Tasks-extension result (`resultType: "task"`): its schema is not in the core file, so
    // only the common Result fields are checked here.
    if (map.resultTypeRequired && result.resultType === 'task') return ['Result'];
    // 2025-11-25 basic/utilities/tasks: a task-augmented request is answered with CreateTaskResult.
    if (entry.taskResult !== undefined) return p.task ? [entry.taskResult, entry.result] : [entry.result, entry.taskResult];
    return [entry.result];
  }

  function checkResultType(c: Ctx, p: Pending | undefined, result: Obj, label: string): void {
    const type = result.resultType;
    if (typeof type !== 'string') return; // missing or mistyped: the schema reports it
    const unasked = p ? unaskedTask(type, p.ask, p.method) : undefined;
    if (unasked !== undefined) push(c, RULES.TaskUnasked, '/result/resultType', `${label}: a task for a request that did not declare the extension`, unasked);
    if (!RESULT_TYPES.has(type)) {
      const detail = `resultType "${type}" is not one of ${[...RESULT_TYPES].join(', ')}`;
      push(c, RULES.ResultType, '/result/resultType', `${label}: ${detail}`, detail);
    } else if (type === 'input_required') {
      // 2026-07-28 basic/patterns/mrtr: only requests that accept inputResponses may need input, and
      // an InputRequiredResult carries at least one of inputRequests / requestState.
      if (p?.entry && p.entry.inputRequiredResult === undefined) {
        const detail = `${p.method} cannot be answered with an InputRequiredResult`;
        push(c, RULES.InputRequired, '/result/resultType', `${label}: ${detail}`, detail);
      }
      if (result.inputRequests === undefined && result.requestState === undefined) {
        const detail = 'an InputRequiredResult needs inputRequests or requestState';
        push(c, RULES.InputRequired, '/result', `${label}: ${detail}`, detail);
      }
    }
  }

  function onResponse(c: Ctx & { direction: Direction }, map: MethodMap, sent: Obj): void {
    // JSON-RPC 2.0 §5 (2025-11-25 basic/index: responses): result or error, never both, not even
    // `"error": null`. Said once by its own rule; the rest is checked as the result it carries.
    if (c.direction === 'client-to-server' && map.requests['server-to-client'].size === 0) {
      // 2026-07-28 basic/transports: "clients do not send JSON-RPC responses" (stdio: "The client
      // MUST NOT write JSON-RPC responses"; streamable-http: "The client MUST NOT send JSON-RPC
      // responses"). Said once, by this rule: there is no request it could answer or schema for it.
      const detail = `a ${c.version} client sends no JSON-RPC responses (input is answered by retrying the request with inputResponses)`;
      push(c, RULES.ClientResponse, '', `${'error' in sent ? 'error' : 'result'} response (id ${JSON.stringify(sent.id)}): ${detail}`, detail);
      return;
    }
    const both = 'result' in sent && 'error' in sent;
    if (both) push(c, RULES.ResultXorError, '', `response (id ${JSON.stringify(sent.id)}): carries both result and error`, 'a response has result or error, never both');
    const { error: _dropped, ...withoutError } = sent;
    let msg = both ? withoutError : sent;
    const isError = 'error' in msg;
    const requester = opposite(c.direction);
    let p: Pending | undefined;
    if (!isError && !isRequestId(msg.id)) {
      // basic/index: a result names the request it answers; without an id it answers nothing (a
      // notification answered: "the receiver MUST NOT send a response"). Said once, by this rule:
      // the rest is checked with a stand-in id so the envelope does not restate it.
      const detail = `a result response with id ${JSON.stringify(msg.id) ?? '(none)'} answers no request (a notification answered?)`;
      push(c, RULES.ResponseMatchesRequest, '/id', `result response: ${detail}`, detail);
      // In 2026-07-28 every result needs the resultType of the method it answers; answering no
      // method, it has none to be held to (else the one defect is said twice).
      if (map.resultTypeRequired) return;
      msg = { ...msg, id: 0 };
    } else if (isRequestId(msg.id)) {
      const key = idKey(msg.id);
      p = pending[requester].get(key);
      if (p) {
        pending[requester].delete(key);
        if (p.progressKey !== undefined) progress.delete(p.progressKey);
        if (p.level !== undefined && !isError) minLevel = p.level;
      } else {
        const detail = `id ${JSON.stringify(msg.id)} answers no outstanding ${requester} request`;
        push(c, RULES.ResponseMatchesRequest, '/id', `${isError ? 'error' : 'result'} response: ${detail}`, detail);
      }
    }
    const label = `${isError ? 'error' : 'result'} response${p ? ` to ${p.method}` : ''} (id ${JSON.stringify(sent.id)})`;
    if (isError) {
      check(c, [map.envelope.error], msg, '', label);
      return;
    }
    const result = isObject(msg.result) ? msg.result : undefined;
    const definitions = result ? resultDefinitions(map, c.direction, p, result).filter((d) => hasDefinition(c.version, d)) : [];
    const typed = result ? { definitions, value: result, prefix: '/result' } : undefined;
    checkEnvelopeAndTyped(c, map.envelope.result, msg, label, '/result', typed);
    if (result && map.resultTypeRequired && c.direction === 'server-to-client') checkResultType(c, p, result, label);
    const root = p?.method === 'roots/list' ? foreignRoot(result, '/result') : undefined;
    if (root) push(c, RULES.RootUri, root.path, `${label}: ${root.detail}`, root.detail);
    const secret = c.direction === 'server-to-client' && result?.resultType === 'input_required' ? secretFieldInAsks(result) : undefined;
    if (secret) push(c, RULES.FormSecret, secret.path, `${label}: ${secret.detail}`, secret.detail);
  }

  function validateOne(message: unknown, direction: Direction, v: SchemaVersion, out: Violation[]): void {
    const c = { direction, version: v, raw: message, out };
    const map = getMethodMap(v);
    if (!isObject(message)) {
      if (check(c, [map.envelope.message], message, '', 'message')) {
        push(c, map.envelope.message, '', 'message: not a JSON-RPC object', 'a message must be a JSON object');
      }
      return;
    }
    if ('method' in message) {
      if ('id' in message) onRequest(c, map, message);
      else onNotification(c, map, message);
    } else if ('result' in message || 'error' in message) {
      onResponse(c, map, message);
    } else {
      check(c, [map.envelope.message], message, '', 'message');
    }
  }

  function validateBatch(batch: unknown[], direction: Direction, v: SchemaVersion, out: Violation[]): void {
    const c = { direction, version: v, raw: batch, out };
    const map = getMethodMap(v);
    if (map.envelope.batch === undefined) {
      // basic/index: batches were added in 2025-03-26 and removed in 2025-06-18.
      push(c, RULES.Batch, '', `batch of ${batch.length}: ${v} has no JSON-RPC batches`, `JSON-RPC batches are not part of ${v}`);
    } else if (batch.length === 0) {
      push(c, RULES.Batch, '', 'empty batch', 'a batch must hold at least one message');
    } else {
      const responses = batch.filter((m) => isObject(m) && !('method' in m)).length;
      if (responses !== 0 && responses !== batch.length) {
        const detail = `a batch holds either requests/notifications (${map.envelope.batch.request}) or responses (${map.envelope.batch.response})`;
        push(c, RULES.Batch, '', `mixed batch: ${detail}`, detail);
      }
    }
    for (const element of batch) validateOne(element, direction, v, out);
  }

  return {
    version,
    validate(message, direction, context) {
      const out: Violation[] = [];
      const v = context?.version ?? version;
      if (!isSchemaVersion(v)) {
        const detail = `no spec schema for protocol version "${v}"`;
        out.push({ direction, version: v, message: `message not checked: ${detail}`, path: '', definition: RULES.KnownVersion, detail, raw: message });
        return out;
      }
      if (Array.isArray(message)) validateBatch(message, direction, v, out);
      else validateOne(message, direction, v, out);
      return out;
    },
    reset() {
      for (const d of ['client-to-server', 'server-to-client'] as const) {
        pending[d].clear();
        used[d].clear();
      }
      progress.clear();
      given.clear();
      logsAsked = false;
      minLevel = undefined;
    },
  };
}

/**
 * Check `value` directly against one definition of one version. Throws McpError
 * `MCP_ERR_VALIDATION` for an unknown version or definition.
 */
export function validateAs(version: string, defName: string, value: unknown): Violation[] {
  const out: Violation[] = [];
  if (!isSchemaVersion(version)) {
    // getValidator throws the descriptive McpError for an unknown version.
    getValidator(version as SchemaVersion, defName);
    return out;
  }
  check({ direction: undefined, version, raw: value, out }, [defName], value, '', 'value');
  return out;
}
