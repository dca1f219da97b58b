/**
 * Deliberately broken servers, 2026-07-28 defects beyond the transport (servers.ts) and the
 * JSON-RPC ones (servers-protocol.ts): `subscriptions/listen` streams, logs, `_meta`, skills,
 * `server/discover` saying other than what is served, tools/list stability; the tasks extension's
 * are in servers-tasks.ts. Each wraps the correct endpoint and
 * breaks one rule, so `mcpwire check` can be shown to report it with exactly that rule id.
 * Test-only.
 */
import { createHash } from 'node:crypto';
import { FAULT_NESTED_SKILL, FAULT_SKILL, legacy, type Fault } from './servers.ts';
import { OTHER_URI } from './probe-tools.ts';
import { HEADER_FAULTS } from './servers-headers.ts';
import { STATE_FAULTS } from './servers-state.ts';
import { TASK_ID_FAULTS } from './servers-task-ids.ts';
import { TASK_FAULTS } from './servers-tasks.ts';
import { bodyOf, mapModern, precedeCallReplies, withMeta } from './modern-wraps.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';
const LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

/** Each modern tools/list reply's tools through `change`, with the count of listings so far (this one included). */
function listings(inner: Parameters<Fault['wrap']>[0], change: (tools: unknown[], n: number) => unknown[]): ReturnType<Fault['wrap']> {
  let n = 0;
  return mapModern('tools/list', (m) => (isObj(m.result) && Array.isArray(m.result.tools) ? { ...m, result: { ...m.result, tools: change(m.result.tools, ++n) } } : m))(inner);
}

/** Replies to modern skills/list with each entry's file (`resources` item) passed through `change`. */
function mapSkillFiles(change: (file: unknown) => unknown): Fault['wrap'] {
  return mapModern('skills/list', (m) => (isObj(m.result) && Array.isArray(m.result.skills)
    ? { ...m, result: { ...m.result, skills: m.result.skills.map((k) => (isObj(k) && Array.isArray(k.resources) ? { ...k, resources: k.resources.map(change) } : k)) } } : m));
}

/** `params._meta` of a notification without its subscription id. */
function untagged(m: Obj): Obj {
  if (!isObj(m.params) || !isObj(m.params._meta)) return m;
  const { [SUBSCRIPTION_ID]: _dropped, ...meta } = m.params._meta;
  return { ...m, params: { ...m.params, _meta: meta } };
}

/** A modern listen request whose `resourceSubscriptions` gain `uri` (other requests as they are). */
async function widenListen(request: Request, uri: string): Promise<Request> {
  const body = await bodyOf(request);
  if (legacy(request) || body?.method !== 'subscriptions/listen' || !isObj(body.params) || !isObj(body.params.notifications)) return request;
  const asked = body.params.notifications.resourceSubscriptions;
  if (!Array.isArray(asked)) return request;
  const notifications = { ...body.params.notifications, resourceSubscriptions: [...asked, uri] };
  return new Request(request, { body: JSON.stringify({ ...body, params: { ...body.params, notifications } }) });
}

/** Each input request of an InputRequiredResult sent first as a JSON-RPC request of its own (the 2025-11-25 way). */
function asksAsRequests(): Fault['wrap'] {
  let next = 0;
  return precedeCallReplies((answer) => (isObj(answer.result) && isObj(answer.result.inputRequests) ? Object.values(answer.result.inputRequests).filter(isObj) : [])
    .map((a) => ({ jsonrpc: '2.0', id: `srv-${++next}`, method: a.method, params: a.params })));
}

/** The modern defects, one each. */
export const MODERN_FAULTS: readonly Fault[] = [
  {
    name: 'listen-no-ack', defect: 'subscriptions/listen opens its stream but never sends the acknowledgement', expect: 'modern.listen-ack',
    wrap: mapModern('subscriptions/listen', (m) => (m.method === 'notifications/subscriptions/acknowledged' ? undefined : m)),
  },
  {
    // A server that fans every change out to every listen stream, whatever the filter.
    name: 'listen-unrequested', defect: 'a listen stream that asked for tools only also carries prompts/list_changed', expect: 'modern.listen-filter',
    wrap: mapModern('subscriptions/listen', (m, request) => (m.method !== 'notifications/subscriptions/acknowledged' ? m
      : [m, { jsonrpc: '2.0', method: 'notifications/prompts/list_changed', params: { _meta: { [SUBSCRIPTION_ID]: request.id } } }])),
  },
  (() => {
    // A server that subscribes a listen to every listed resource once it names any, and
    // acknowledges only what was asked: seen only when a resource really changes (--listen-trigger).
    const narrow = mapModern('subscriptions/listen', (m) => {
      if (m.method !== 'notifications/subscriptions/acknowledged' || !isObj(m.params) || !isObj(m.params.notifications)) return m;
      const granted = m.params.notifications.resourceSubscriptions;
      if (!Array.isArray(granted)) return m;
      return { ...m, params: { ...m.params, notifications: { ...m.params.notifications, resourceSubscriptions: granted.filter((u) => u !== OTHER_URI) } } };
    });
    return {
      name: 'listen-widened', defect: 'a listen naming one resource is told of changes to another (its acknowledgement names only the one)', expect: 'modern.listen-filter',
      wrap: (inner) => {
        const served = narrow(inner);
        return async (r) => served(await widenListen(r, OTHER_URI));
      },
    } satisfies Fault;
  })(),
  {
    // A server that runs each call to its end whatever the client does: the handler gets a
    // request of its own and its stream is read to the end after the client has gone.
    name: 'ignores-disconnect', defect: 'a modern tool call runs on after the client closes its stream', expect: 'modern.disconnect-cancels', slowTool: true,
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (legacy(r) || body?.method !== 'tools/call') return inner(r);
      const response = await inner(new Request(r.url, { method: r.method, headers: r.headers, body: JSON.stringify(body) }));
      if (!response.body) return response;
      const reader = response.body.getReader();
      const drain = async (): Promise<void> => { while (!(await reader.read()).done) { /* nobody is listening */ } };
      return new Response(new ReadableStream<Uint8Array>({
        async pull(controller) { const next = await reader.read(); if (next.done) controller.close(); else controller.enqueue(next.value); },
        cancel() { void drain().catch(() => undefined); },
      }), { status: response.status, headers: response.headers });
    },
  },
  (() => {
    // A server that subscribes each listen to every task it made, and acknowledges only what
    // was asked: a listen naming no task hears every task's status changes.
    const made = new Set<string>();
    const record = mapModern('tools/call', (m) => {
      if (isObj(m.result) && m.result.resultType === 'task' && typeof m.result.taskId === 'string') made.add(m.result.taskId);
      return m;
    });
    const narrow = mapModern('subscriptions/listen', (m, request) => {
      if (m.method !== 'notifications/subscriptions/acknowledged' || !isObj(m.params) || !isObj(m.params.notifications)) return m;
      const asked = isObj(request.params) && isObj(request.params.notifications) ? request.params.notifications.taskIds : undefined;
      const { taskIds: _all, ...notifications } = m.params.notifications;
      return { ...m, params: { ...m.params, notifications: asked === undefined ? notifications : { ...notifications, taskIds: asked } } };
    });
    return {
      name: 'task-push-unnamed', defect: 'a listen that names no task carries notifications/tasks of a task the check is polling', expect: 'modern.listen-filter',
      wrap: (inner) => {
        const served = narrow(record(inner));
        return async (r) => {
          const body = await bodyOf(r);
          if (legacy(r) || body?.method !== 'subscriptions/listen' || made.size === 0 || !isObj(body.params) || !isObj(body.params.notifications)) return served(r);
          const notifications = { ...body.params.notifications, taskIds: [...made] };
          return served(new Request(r, { body: JSON.stringify({ ...body, params: { ...body.params, notifications } }) }));
        };
      },
    } satisfies Fault;
  })(),
  {
    name: 'listen-untagged', defect: 'notifications on a listen stream carry no subscriptionId', expect: 'modern.listen-subscription-id',
    wrap: mapModern('subscriptions/listen', (m) => ('method' in m && !('id' in m) ? untagged(m) : m)),
  },
  {
    // A server with a default log level: a request that names none is logged to at info.
    name: 'logs-unasked', defect: 'a modern tool call whose _meta names no logLevel gets notifications/message', expect: 'modern.log-level', noisyTool: true,
    wrap: (inner) => async (r) => inner(await withMeta(r, (meta) => (LOG_LEVEL in meta ? undefined : { ...meta, [LOG_LEVEL]: 'info' }))),
  },
  {
    // A server that defaults what a request leaves out: no clientCapabilities reads as none declared.
    name: 'meta-caps-defaulted', defect: 'a 2026-07-28 request whose _meta lacks clientCapabilities is served as if it declared none', expect: 'modern.meta-required',
    wrap: (inner) => async (r) => inner(await withMeta(r, (meta) => (CLIENT_CAPABILITIES in meta ? undefined : { ...meta, [CLIENT_CAPABILITIES]: {} }))),
  },
  {
    // A server whose envelope check runs before its params check: a malformed _meta is an "invalid request".
    name: 'meta-missing-invalid-request', defect: 'a 2026-07-28 request whose _meta lacks clientCapabilities gets 400 with -32600, not -32602', expect: 'modern.meta-required',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      const meta = isObj(body?.params) ? body.params._meta : undefined;
      if (legacy(r) || !isObj(meta) || CLIENT_CAPABILITIES in meta) return inner(r);
      return Response.json({ jsonrpc: '2.0', id: body!.id, error: { code: -32600, message: 'Invalid Request: _meta is incomplete' } }, { status: 400 });
    },
  },
  {
    // A skills registry whose lookup throws on a miss (`registry.get(uri).entry`): an unknown skill is a crash, not a refusal.
    name: 'skill-unknown-internal-error', defect: 'skills/get of an unknown SKILL.md URI gets -32603, not -32602', expect: 'skills.unknown-uri', skills: true,
    wrap: mapModern('skills/get', (m) => (isObj(m.error) && m.error.code === -32602 ? { ...m, error: { code: -32603, message: "Cannot read properties of undefined (reading 'entry')" } } : m)),
  },
  (() => {
    // A server that hashed its skills once at start and edited a SKILL.md after: the listed digest is the old text's.
    const old = `sha256:${createHash('sha256').update(FAULT_SKILL.files['SKILL.md'].replace('one line per note', 'a line per note')).digest('hex')}`;
    const stale = (r: unknown) => (isObj(r) && r.uri === `skill://${FAULT_SKILL.path}/SKILL.md` ? { ...r, digest: old } : r);
    return {
      name: 'skill-digest-stale', defect: 'skills/list gives a SKILL.md the digest of an earlier text than resources/read serves', expect: 'skills.digest', skills: true,
      wrap: mapSkillFiles(stale),
    } satisfies Fault;
  })(),
  (() => {
    // A server that counts a file's size as its string's length (UTF-16 units), not its bytes: only a non-ASCII file shows it (in the nested skill).
    const lengths = new Map<string, number>([FAULT_SKILL, FAULT_NESTED_SKILL].flatMap((k) => Object.entries(k.files).map(([f, text]) => [`skill://${k.path}/${f}`, text.length] as [string, number])));
    const counted = (r: unknown) => (isObj(r) && typeof r.uri === 'string' && lengths.has(r.uri) ? { ...r, size: lengths.get(r.uri) } : r);
    return {
      name: 'skill-size-in-chars', defect: 'skills/list gives each file its length in characters, not bytes (a nested skill\'s non-ASCII file reads longer)', expect: 'skills.digest', skills: true,
      wrap: mapSkillFiles(counted),
    } satisfies Fault;
  })(),
  {
    // A server that lists only the versions it "prefers", not every one it serves.
    name: 'discover-omits-version', defect: 'server/discover answers a 2026-07-28 request but its supportedVersions leave 2026-07-28 out', expect: 'modern.unsupported-version',
    wrap: mapModern('server/discover', (m) => (isObj(m.result) && Array.isArray(m.result.supportedVersions)
      ? { ...m, result: { ...m.result, supportedVersions: m.result.supportedVersions.filter((v) => v !== '2026-07-28') } } : m)),
  },
  {
    // A server whose discover is written by hand and fell behind what it registers.
    name: 'discover-hides-resources', defect: 'server/discover declares no resources capability, yet resources/list is served', expect: 'modern.discover-capabilities',
    wrap: mapModern('server/discover', (m) => {
      if (!isObj(m.result) || !isObj(m.result.capabilities)) return m;
      const { resources: _hidden, ...capabilities } = m.result.capabilities;
      return { ...m, result: { ...m.result, capabilities } };
    }),
  },
  {
    // `if (!msg.id)` on the stateless path: the integer id 0 reads as no id, so the request is handled as a notification.
    name: 'modern-zero-id-as-notification', defect: 'a 2026-07-28 request with the id 0 is taken for a notification and never answered', expect: 'jsonrpc.zero-id',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (legacy(r) || body?.id !== 0) return inner(r);
      const { id: _zero, ...notification } = body;
      return inner(new Request(r, { body: JSON.stringify(notification) }));
    },
  },
  {
    // A server ported from 2025-11-25 that still sends elicitation/create (and the like) as
    // requests on the call's stream, before the InputRequiredResult that carries them.
    name: 'asks-as-requests', defect: 'a 2026-07-28 tools/call that needs input sends each input request as a JSON-RPC request on its SSE stream', expect: 'modern.server-request',
    wrap: asksAsRequests(),
  },
  {
    // A server with an error code of its own picked from the range the specification reserves.
    name: 'unknown-tool-own-code', defect: 'a 2026-07-28 tools/call of an unknown tool gets -32050, a code of the reserved range the spec does not define', expect: 'modern.error-codes',
    wrap: mapModern('tools/call', (m, request) => (isObj(m.error) && isObj(request.params) && request.params.name === 'mcpwire-check-no-such-tool' ? { ...m, error: { ...m.error, code: -32050 } } : m)),
  },
  {
    // A server that refuses what it does not offer with a "not offered" code of its own, picked
    // from the reserved range; only the probe asks for prompts, which the fault servers lack.
    name: 'undeclared-list-own-code', defect: 'a 2026-07-28 prompts/list (no prompts capability declared) is refused with -32051, a code of the reserved range the spec does not define', expect: 'modern.error-codes',
    wrap: mapModern('prompts/list', (m) => (isObj(m.error) ? { ...m, error: { ...m.error, code: -32051 } } : m)),
  },
  // The Mcp-Param-* header defects (servers-headers.ts).
  ...HEADER_FAULTS,
  // The requestState defects (servers-state.ts).
  ...STATE_FAULTS,
  // The tasks extension's defects (servers-tasks.ts, servers-task-ids.ts).
  ...TASK_FAULTS,
  ...TASK_ID_FAULTS,
  {
    name: 'tools-list-per-connection', defect: 'each 2026-07-28 tools/list describes its first tool with the listing\'s count: the result varies per connection', expect: 'modern.tools-list-stable',
    wrap: (inner) => listings(inner, (tools, n) => tools.map((t, i) => (i === 0 && isObj(t) ? { ...t, description: `${String(t.description)} (listing ${n})` } : t))),
  },
  {
    name: 'tools-list-shuffled', defect: 'every other 2026-07-28 tools/list lists its tools in reverse order (the order of a hash set)', expect: 'modern.tools-list-order',
    wrap: (inner) => listings(inner, (tools, n) => (n % 2 === 0 ? [...tools].reverse() : tools)),
  },
  {
    // A server whose tools register more tools when called, and that announces it on the stream of
    // the call that did (the 2025-11-25 related-request routing), not on a listen asking toolsListChanged.
    name: 'list-changed-on-call', defect: 'each 2026-07-28 tools/call reply carries notifications/tools/list_changed, unasked and unstamped', expect: 'modern.notification-outside-listen',
    wrap: precedeCallReplies(() => [{ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }]),
  },
];

/** 2026-07-28 defects only the driven session meets (faults-driven.test.ts): the probes never send the request that shows them. */
export const DRIVEN_FAULTS: readonly Fault[] = [
  {
    // A server that tells each reader of a resource it was updated, on the read's own stream (the
    // 2025-11-25 per-session subscription kept per reader); the skills extension's files, served
    // apart, are left alone, so only the driven session's reads of plain resources show it.
    name: 'updated-on-read', defect: 'each 2026-07-28 resources/read reply of a plain resource carries notifications/resources/updated for it, unasked', expect: 'modern.notification-outside-listen',
    wrap: precedeCallReplies((_answer, request) => {
      const uri = isObj(request.params) ? request.params.uri : undefined;
      return typeof uri === 'string' && !uri.startsWith('skill://') ? [{ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri } }] : [];
    }, 'resources/read'),
  },
];
