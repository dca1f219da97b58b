/**
 * `subscriptions/listen` over stdio (2026-07-28 basic/patterns/subscriptions; schema
 * `SubscriptionsAcknowledgedNotification`, `SubscriptionFilter`, `CancelledNotification`). Two
 * listens share the one channel: the first asks for `toolsListChanged` and, when the server
 * lists a resource, that resource's URI; the second for `promptsListChanged`. The
 * acknowledgement must be the first message carrying each subscription's id ("on stdio ... this
 * ordering is defined per subscription ID and not per channel": the first listen's messages may
 * come between the second's request and its acknowledgement), every notification must carry the id of a listen, and nothing ungranted
 * may come (a URI the listen did not name included). Then the client ends both listens with
 * `notifications/cancelled`: the result "will be unused", so no response to them
 * (`cancellation.no-response`, SHOULD).
 */
import type { FindingRecorder } from './findings.ts';
import type { RuleId } from './catalog.ts';
import { ACK, beyond, covered, SUBSCRIPTION_ID } from './modern-listen.ts';
import type { LinePeer } from './stdio-peer.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Options of {@link checkStdioListen}. */
export interface StdioListenOptions {
  readonly rec: FindingRecorder;
  readonly timeoutMs: number;
  /** How long the listens are held after both are acknowledged, ms. */
  readonly windowMs: number;
  /** A URI the server lists (asked for in `resourceSubscriptions`), if any. */
  readonly resourceUri?: string;
  /** Run once both listens are acknowledged (the `--listen-trigger` tool call); resolves with what it did. */
  readonly trigger?: () => Promise<string>;
  /** A 2026-07-28 request with id `id`. */
  request(id: string, method: string, params: Obj): Obj;
}

const RULES = ['modern.listen-ack', 'modern.listen-subscription-id', 'modern.listen-filter'] as const;
const stamp = (m: Obj): unknown => (isObj(m.params) && isObj(m.params._meta) ? m.params._meta[SUBSCRIPTION_ID] : undefined);
const isNote = (m: Obj) => typeof m.method === 'string' && !('id' in m);

/** Resolves once `done()` holds (checked on each message) or `ms` pass. */
function until(peer: LinePeer, done: () => boolean, ms: number): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    const stop = peer.watch(() => { if (done()) finish(); });
    function finish() { clearTimeout(timer); stop(); resolve(); }
  });
}

/** Open two listens on `peer`, judge them, end them, and watch that nothing answers the ended ones. */
export async function checkStdioListen(peer: LinePeer, o: StdioListenOptions): Promise<void> {
  if (!RULES.some((id) => o.rec.wants(id)) && !o.rec.wants('cancellation.no-response')) return;
  const asks: Array<{ id: string; filter: Obj }> = [
    { id: 'check-listen-1', filter: { toolsListChanged: true, ...(o.resourceUri === undefined ? {} : { resourceSubscriptions: [o.resourceUri] }) } },
    { id: 'check-listen-2', filter: { promptsListChanged: true } },
  ];
  const seen: Obj[] = [];
  const stop = peer.watch((m) => seen.push(m));
  const ids = new Set(asks.map((a) => a.id));
  const refused = (id: string) => seen.some((m) => m.id === id && !('method' in m));
  const acked = (id: string) => seen.some((m) => m.method === ACK && stamp(m) === id);
  try {
    // One line at a time, each after the last listen was acknowledged (or refused): a server that
    // loses the second line of a read is stdio.framing-input's to report, not a missing acknowledgement.
    const deadline = Date.now() + o.timeoutMs;
    for (const a of asks) {
      peer.write(o.request(a.id, 'subscriptions/listen', { notifications: a.filter }));
      await until(peer, () => acked(a.id) || refused(a.id), Math.max(0, deadline - Date.now()));
    }
    const triggered = o.trigger === undefined ? undefined : await o.trigger();
    await new Promise((resolve) => setTimeout(resolve, o.windowMs));
    const open = asks.filter((a) => !seen.some((m) => m.id === a.id && isObj(m.error)));
    if (open.length === 0) {
      for (const id of [...RULES, 'cancellation.no-response'] as const) o.rec.skip(id, 'stdio: the server refused subscriptions/listen', 'modern');
      return;
    }
    judge(o.rec, open, seen, ids, triggered);
    if (!o.rec.wants('cancellation.no-response')) return;
    // CancelledNotification: on stdio the client ends a listen with notifications/cancelled.
    const before = seen.length;
    for (const a of open) peer.write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: a.id, reason: 'mcpwire check: listen over' } });
    await new Promise((resolve) => setTimeout(resolve, o.windowMs));
    const late = seen.slice(before).filter((m) => open.some((a) => m.id === a.id && !('method' in m)));
    if (late.length > 0) o.rec.fail('cancellation.no-response', `stdio: subscriptions/listen ${String(late[0]!.id)} was answered after the client cancelled it with notifications/cancelled`, late[0], 'modern');
    else o.rec.pass('cancellation.no-response', `stdio: ${open.length} listen(s) ended by notifications/cancelled got no response in the ${o.windowMs} ms watched`, 'modern');
  } finally {
    stop();
  }
}

/** The three listen rules over what the channel carried while the listens were open. */
function judge(rec: FindingRecorder, open: ReadonlyArray<{ id: string; filter: Obj }>, seen: readonly Obj[], ids: ReadonlySet<string>, triggered: string | undefined): void {
  const fail = new Map<RuleId, string[]>();
  const add = (id: RuleId, text: string) => fail.set(id, [...(fail.get(id) ?? []), text]);
  for (const a of open) {
    const carried = seen.filter((m) => stamp(m) === a.id);
    // SubscriptionsAcknowledgedNotification: the first message carrying the subscription's id.
    const first = carried[0];
    if (first === undefined) add('modern.listen-ack', `no acknowledgement carried ${a.id}`);
    else if (first.method !== ACK) add('modern.listen-ack', `the first message carrying ${a.id} was ${String(first.method ?? 'a response')}, not ${ACK}`);
    const ack = carried.find((m) => m.method === ACK);
    const granted = ack && isObj(ack.params) && isObj(ack.params.notifications) ? ack.params.notifications : a.filter;
    const extra = beyond(granted, a.filter);
    if (extra.length > 0) add('modern.listen-filter', `the acknowledgement of ${a.id} grants ${extra.join(', ')}, beyond ${JSON.stringify(a.filter)}`);
    const unasked = carried.filter((m) => isNote(m) && m.method !== ACK && !covered(m, granted));
    if (unasked.length > 0) add('modern.listen-filter', `${a.id} (asked ${JSON.stringify(a.filter)}) carried ${unasked.map((m) => `${String(m.method)}${isObj(m.params) && typeof m.params.uri === 'string' ? ` of ${m.params.uri}` : ''}`).join(', ')}`);
  }
  // NotificationMetaObject: every notification of a listen carries its subscription id; nothing else was in flight.
  // Progress and log messages are request-scoped (a trigger call may send them): not a listen's unless they name one.
  const stray = seen.filter((m) => isNote(m) && !['notifications/cancelled', 'notifications/progress', 'notifications/message'].includes(String(m.method)) && !ids.has(String(stamp(m))));
  if (stray.length > 0) add('modern.listen-subscription-id', `${stray.length} notification(s) while the listens were open carried no listen's subscription id (first: ${String(stray[0]!.method)} with ${JSON.stringify(stamp(stray[0]!) ?? null)})`);
  const shown = seen.slice(0, 8).map((m) => JSON.stringify(m)).join(' | ');
  for (const id of RULES) {
    const texts = fail.get(id);
    if (texts) rec.fail(id, `stdio: ${texts.join('; ')}`, shown, 'modern');
    else rec.pass(id, `stdio: ${open.length} listen(s) on one channel kept the rule${triggered === undefined ? '' : ` (${triggered}; ${seen.filter((m) => isNote(m) && m.method !== ACK).length} notification(s) came)`}`, 'modern');
  }
}

/** Options of {@link stdioListenDuring}. */
export interface StdioListenDuring {
  readonly timeoutMs: number;
  /** How long the listen stays open after `whileOpen` ends, ms. */
  readonly windowMs: number;
  /** A 2026-07-28 request with id `id` (the listen's capabilities included). */
  request(id: string, method: string, params: Obj): Obj;
}

/**
 * Open one listen `id` asking `filter` on `peer`, run `whileOpen` once it is acknowledged, hold
 * it `windowMs` more, then end it with `notifications/cancelled`. Resolves with the messages
 * carrying its subscription id (and its answer, if any), or undefined when it was refused or
 * never acknowledged within `timeoutMs` (`whileOpen` is then not run).
 */
export async function stdioListenDuring(peer: LinePeer, o: StdioListenDuring, id: string, filter: Obj, whileOpen: () => Promise<void>): Promise<{ messages: readonly Obj[]; exchange: string } | undefined> {
  const seen: Obj[] = [];
  const stop = peer.watch((m) => { if (m.id === id || stamp(m) === id) seen.push(m); });
  const body = o.request(id, 'subscriptions/listen', { notifications: filter });
  try {
    peer.write(body);
    const acked = () => seen.some((m) => m.method === ACK);
    await until(peer, () => acked() || seen.some((m) => !('method' in m)), o.timeoutMs);
    if (!acked()) return undefined;
    await whileOpen();
    await new Promise((resolve) => setTimeout(resolve, o.windowMs));
    // CancelledNotification: on stdio the client ends a listen with notifications/cancelled.
    peer.write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'mcpwire check: listen over' } });
    return { messages: [...seen], exchange: `stdio ${JSON.stringify(body)} -> ${seen.map((m) => JSON.stringify(m)).join(' | ')}` };
  } finally {
    stop();
  }
}
