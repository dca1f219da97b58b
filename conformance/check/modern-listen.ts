/**
 * `subscriptions/listen` over HTTP (2026-07-28 basic/patterns/subscriptions; schema
 * `SubscriptionsAcknowledgedNotification`, `SubscriptionFilter`, `NotificationMetaObject`): one
 * listen asking for `toolsListChanged`, and for the URI of a listed resource when
 * `server/discover` declares `resources.subscribe` (a listen refused with that URI is asked again
 * without it, so a server that cannot honour it is still judged). It is held open a short window
 * after its acknowledgement; with `--listen-trigger` the named tool is called first, so the
 * server has something real to send. The acknowledgement must come first, every notification
 * must carry the listen request's id as `_meta` `subscriptionId`, and nothing the client did not
 * ask for may arrive (the acknowledgement grants a subset of the filter; later notifications
 * stay inside what it granted, a URI included). A server that refuses the listen is not judged.
 */
import { createSseDecoder } from 'mcpwire/transport';
import type { HttpTarget } from './http-legacy.ts';
import { describeExchange, readReplyText } from './raw-http.ts';
import type { FindingRecorder } from './findings.ts';
import { judgeRawCode } from './driver-modern.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** How long a listen stream is held open after its acknowledgement, ms (`--listen-window`). */
export const DEFAULT_LISTEN_WINDOW_MS = 500;

/** The acknowledgement's method, and the `_meta` key naming a notification's subscription. */
export const ACK = 'notifications/subscriptions/acknowledged';
export const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';
/** What the probe always asks for: one list kind, so the other kinds are visibly unasked. */
const FILTER = { toolsListChanged: true } as const;
/** Each list notification and the filter key that opts in to it. */
const LIST_KEYS: Record<string, string> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
};

/** What a listen request got: the status, content type, and the messages in the order they came. */
export interface ListenReply {
  readonly status: number;
  readonly contentType: string;
  readonly messages: readonly Obj[];
  /** The reply's text (JSON replies only). */
  readonly text: string;
}

/**
 * POST the listen and read its stream until `ackBoundMs` pass with no acknowledgement, or
 * `windowMs` pass after it (after `afterAck` settles, when given; it is bounded by
 * `ackBoundMs` too), or the server ends the stream; the request is then aborted (the client
 * closing the stream ends the listen: 2026-07-28 basic/patterns/subscriptions).
 */
export async function readListen(url: string, headers: Record<string, string | undefined>, body: Obj, ackBoundMs: number, windowMs: number, maxBytes: number, afterAck?: () => Promise<unknown>): Promise<ListenReply> {
  const abort = new AbortController();
  let timer = setTimeout(() => abort.abort(), ackBoundMs);
  const startWindow = () => { clearTimeout(timer); if (!abort.signal.aborted) timer = setTimeout(() => abort.abort(), windowMs); };
  const sent = new Headers();
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) sent.set(k, v);
  try {
    const response = await fetch(url, { method: 'POST', headers: sent, body: JSON.stringify(body), signal: abort.signal });
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'text/event-stream' || !response.body) {
      const text = await readReplyText(response.body, maxBytes).catch(() => '');
      let messages: Obj[] = [];
      try { const v = JSON.parse(text) as unknown; messages = (Array.isArray(v) ? v : [v]).filter(isObj); } catch { /* not JSON: no messages */ }
      return { status: response.status, contentType, messages, text };
    }
    const messages: Obj[] = [];
    let acked = false;
    let size = 0;
    const decoder = createSseDecoder({
      onEvent(e) {
        try { const m = JSON.parse(e.data) as unknown; if (isObj(m)) messages.push(m); } catch { /* a priming or broken event: not a message */ }
        if (!acked && messages.some((m) => m.method === ACK)) {
          acked = true;
          clearTimeout(timer);
          if (afterAck === undefined) startWindow();
          else {
            timer = setTimeout(() => abort.abort(), ackBoundMs);
            afterAck().catch(() => undefined).finally(startWindow);
          }
        }
      },
      onError: () => undefined,
    });
    const reader = response.body.getReader();
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        size += next.value.byteLength;
        if (size > maxBytes) break;
        decoder.push(next.value);
      }
      decoder.end();
    } catch {
      // aborted: the window (or the bound on the acknowledgement) is over
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return { status: response.status, contentType, messages, text: '' };
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** What the listen probe needs from the modern checks: the request builder and the schema check of a reply. */
export interface ListenProbe {
  request(method: string, params: Obj): { body: Obj; headers: Record<string, string | undefined> };
  validate(body: Obj, messages: readonly Obj[]): void;
  windowMs: number;
  /** A URI the server lists, asked for in `resourceSubscriptions` (only when discover declares `resources.subscribe`). */
  readonly resourceUri?: string;
  /** Run once the listen is acknowledged (the `--listen-trigger` tool call); resolves with what it did, for the findings. */
  readonly trigger?: () => Promise<string>;
}

/** True when the `granted` filter covers `message` (its kind, and its URI or task id where it names one). */
export function covered(message: Obj, granted: Obj): boolean {
  const method = String(message.method);
  const key = LIST_KEYS[method];
  if (key !== undefined) return granted[key] === true;
  const params = isObj(message.params) ? message.params : {};
  if (method === 'notifications/resources/updated') return Array.isArray(granted.resourceSubscriptions) && granted.resourceSubscriptions.includes(params.uri);
  if (method === 'notifications/tasks') return Array.isArray(granted.taskIds) && granted.taskIds.includes(params.taskId);
  return false; // progress, log messages and the rest never belong on a listen stream
}

/**
 * The notifications 2026-07-28 delivers only on a listen that asked for them (basic/patterns/
 * subscriptions; schema SubscriptionFilter; ext-tasks `notifications/tasks`), stamped with its
 * subscription id. On another request's stream (HTTP) or unstamped (stdio) they were sent
 * outside any listen: `modern.notification-outside-listen`.
 */
export function isListenKind(message: Obj): boolean {
  const method = String(message.method);
  return 'method' in message && !('id' in message) && (method in LIST_KEYS || method === 'notifications/resources/updated' || method === 'notifications/tasks' || method === ACK);
}

/** The keys of `granted` the filter `asked` did not ask for (a key granted wider than asked counts). */
export function beyond(granted: Obj, asked: Obj): string[] {
  return Object.entries(granted).filter(([k, v]) => {
    if (v === false || v === undefined) return false;
    const a = asked[k];
    if (Array.isArray(v)) return !Array.isArray(a) || v.some((x) => !a.includes(x));
    return a !== true;
  }).map(([k]) => k);
}

/** Check one listen stream of `t`'s server. */
export async function checkListen(t: HttpTarget, p: ListenProbe): Promise<void> {
  const ids = ['modern.listen-ack', 'modern.listen-subscription-id', 'modern.listen-filter'] as const;
  if (!ids.some((id) => t.rec.wants(id))) return;
  let triggered = '';
  const open = async (filter: Obj) => {
    const { body, headers } = p.request('subscriptions/listen', { notifications: filter });
    const trigger = p.trigger;
    const reply = await readListen(t.url, headers, body, t.timeoutMs, p.windowMs, t.maxReplyBytes, trigger && (async () => { triggered = await trigger(); }));
    const exchange = describeExchange('POST', headers, body, { status: reply.status, contentType: reply.contentType, text: reply.text || reply.messages.map((m) => JSON.stringify(m)).join(' | '), events: [], messages: reply.messages, headers: new Headers(), cut: false });
    p.validate(body, reply.messages);
    const refusal = reply.messages.find((m) => m.id === body.id && isObj(m.error));
    const refused = refusal !== undefined || (reply.status !== 200 && reply.messages.length === 0);
    if (refusal) judgeRawCode(t.rec, `subscriptions/listen of ${JSON.stringify(filter)}`, (refusal.error as Obj).code, exchange);
    return { filter, body, reply, exchange, refused, why: refusal ? `error ${String((refusal.error as Obj).code)}` : `HTTP ${reply.status}` };
  };
  let listen = await open(p.resourceUri === undefined ? FILTER : { ...FILTER, resourceSubscriptions: [p.resourceUri] });
  // A server may refuse a filter it cannot honour whole; the kinds alone are still judged.
  if (listen.refused && p.resourceUri !== undefined) listen = await open(FILTER);
  const { filter, body, reply, exchange } = listen;
  if (listen.refused) {
    for (const id of ids) t.rec.skip(id, `the server refused subscriptions/listen (${listen.why})`, 'modern');
    return;
  }
  // SubscriptionsAcknowledgedNotification: "MUST be the first message the server sends carrying the subscription's ID".
  const first = reply.messages[0];
  if (first?.method === ACK) t.rec.pass('modern.listen-ack', 'the listen stream began with notifications/subscriptions/acknowledged', 'modern');
  else t.rec.fail('modern.listen-ack', first === undefined ? `no acknowledgement within ${t.timeoutMs} ms of the listen` : `the listen stream began with ${String(first.method ?? 'a response')}, not ${ACK}`, exchange, 'modern');
  // NotificationMetaObject: the server MUST include subscriptionId (the listen request's id) on every notification of the stream.
  const stamped = (m: Obj): unknown => (isObj(m.params) && isObj(m.params._meta) ? m.params._meta[SUBSCRIPTION_ID] : undefined);
  const notes = reply.messages.filter((m) => typeof m.method === 'string' && !('id' in m));
  const unstamped = notes.filter((m) => stamped(m) !== body.id);
  if (unstamped.length > 0) t.rec.fail('modern.listen-subscription-id', `${unstamped.length} notification(s) on the listen stream lack _meta "${SUBSCRIPTION_ID}": ${JSON.stringify(body.id)} (first: ${String(unstamped[0]!.method)} with ${JSON.stringify(stamped(unstamped[0]!) ?? null)})`, exchange, 'modern');
  else if (notes.length > 0) t.rec.pass('modern.listen-subscription-id', `${notes.length} notification(s) carried the subscription id`, 'modern');
  // SubscriptionFilter: "the server MUST NOT send notification types the client has not explicitly requested".
  const ack = notes.find((m) => m.method === ACK);
  const granted = ack && isObj(ack.params) && isObj(ack.params.notifications) ? ack.params.notifications : { ...filter };
  const extra = beyond(granted, filter);
  const unasked = notes.filter((m) => m.method !== ACK && !covered(m, granted));
  const asked = JSON.stringify(filter);
  if (extra.length > 0) t.rec.fail('modern.listen-filter', `the acknowledgement grants ${extra.join(', ')}, which the listen did not ask for (it asked ${asked})`, exchange, 'modern');
  if (unasked.length > 0) t.rec.fail('modern.listen-filter', `the listen stream carried ${[...new Set(unasked.map((m) => `${String(m.method)}${isObj(m.params) && typeof m.params.uri === 'string' ? ` of ${m.params.uri}` : ''}`))].join(', ')}, which the listen did not ask for (it asked ${asked})`, exchange, 'modern');
  const after = triggered === '' ? '' : `; ${triggered}; ${notes.length - (ack ? 1 : 0)} notification(s) came`;
  if (extra.length === 0 && unasked.length === 0) t.rec.pass('modern.listen-filter', `the listen stream (asking ${asked}) carried only what it asked for (${ack ? `${p.windowMs} ms after its acknowledgement${after}` : 'no acknowledgement came'})`, 'modern');
}

/**
 * A listen with `filter` sent by `request` and kept open while `whileOpen` runs (from its
 * acknowledgement, bounded by `t.timeoutMs`), then `windowMs` more: the stream's messages, or
 * undefined when the server refused it. For probes that make something happen under a listen.
 */
export async function listenDuring(t: HttpTarget, request: ListenProbe['request'], filter: Obj, windowMs: number, whileOpen: () => Promise<void>): Promise<{ messages: readonly Obj[]; exchange: string } | undefined> {
  const { body, headers } = request('subscriptions/listen', { notifications: filter });
  const reply = await readListen(t.url, headers, body, t.timeoutMs, windowMs, t.maxReplyBytes, whileOpen);
  if (reply.messages.some((m) => m.id === body.id && isObj(m.error)) || (reply.status !== 200 && reply.messages.length === 0)) return undefined;
  const exchange = describeExchange('POST', headers, body, { status: reply.status, contentType: reply.contentType, text: reply.text || reply.messages.map((m) => JSON.stringify(m)).join(' | '), events: [], messages: reply.messages, headers: new Headers(), cut: false });
  return { messages: reply.messages, exchange };
}

/** Judges the messages seen outside any listen for `modern.notification-outside-listen`: one failure, or one pass at the end. */
export interface OutsideListenWatch {
  /** The messages of one exchange (`method` the request's, for the finding). */
  judge(method: string, messages: readonly Obj[], exchange: unknown): void;
  finish(): void;
}

/** A watch failing the first message `misplaced` picks, as `where` the request (`"on the reply stream of"`); `unit` names what `judge` is given. */
export function outsideListenWatch(rec: FindingRecorder, misplaced: (m: Obj) => boolean, where: string, unit: string): OutsideListenWatch {
  let judged = 0;
  let failed = false;
  return {
    judge(method, messages, exchange) {
      if (failed || !rec.wants('modern.notification-outside-listen')) return;
      judged++;
      const stray = messages.filter(misplaced);
      if (stray.length === 0) return;
      failed = true;
      rec.fail('modern.notification-outside-listen', `${stray.map((m) => String(m.method)).join(', ')} came ${where} ${method}, not on a listen that asked for it`, exchange, 'modern');
    },
    finish() {
      if (!failed && judged > 0 && rec.wants('modern.notification-outside-listen')) rec.pass('modern.notification-outside-listen', `${judged} ${unit}(s) outside listens: no list change, resource update or task push among them`, 'modern');
    },
  };
}

