/**
 * `modern.tools-list-stable` and `modern.tools-list-order` (2026-07-28 server/tools: "The
 * tools/list result MUST NOT vary per connection" (it MAY vary with authorization: the check
 * sends the same credentials each time); its order SHOULD be deterministic). After the driven
 * session, two connections of their own (over stdio, a server process each) list the tools one
 * after the other, page by page to the end, with no call between, and the listings are compared.
 * Each connection listens for `notifications/tools/list_changed` (2026-07-28
 * basic/patterns/subscriptions) from before its listing until both are made: listings that
 * differ after the server announced a change are made again (at most {@link LISTING_TRIES} pairs),
 * since a list that changes and says so varies in time, not per connection.
 */
import type { TappedMessage } from '../tap.ts';
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The tools of the first complete tools/list listing in `messages` (its pages in order), or undefined when none ended. */
export function firstListing(messages: readonly TappedMessage[]): Obj[] | undefined {
  const asked = new Set<string>(); // ids of tools/list requests
  const tools: Obj[] = [];
  for (const { direction, message } of messages) {
    if (!isObj(message)) continue;
    if (direction === 'client-to-server' && message.method === 'tools/list') asked.add(JSON.stringify(message.id));
    if (direction !== 'server-to-client' || !asked.has(JSON.stringify(message.id)) || !isObj(message.result) || !Array.isArray(message.result.tools)) continue;
    tools.push(...message.result.tools.filter(isObj));
    if (typeof message.result.nextCursor !== 'string') return tools;
  }
  return undefined;
}

/** Pairs of listings made at most when each differs after an announced change. */
export const LISTING_TRIES = 3;

/** One pair of listings, each on a connection of its own, and whether either connection heard the tools announced changed meanwhile. */
export interface ListingPair {
  readonly first: readonly Obj[] | undefined;
  readonly second: readonly Obj[] | undefined;
  readonly announced: boolean;
}

/** Whether the server sent `notifications/tools/list_changed` in `messages`. */
export function announcedToolsChange(messages: readonly TappedMessage[]): boolean {
  return messages.some(({ direction, message }) => direction === 'server-to-client' && isObj(message) && message.method === 'notifications/tools/list_changed');
}

/** Whether two listings hold the same tools, defined alike, in the same order. */
const sameListing = (a: readonly Obj[], b: readonly Obj[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Make pairs of listings with `list` until one is alike or differs with no change announced (at
 * most {@link LISTING_TRIES}), and judge the last; when every pair differed after an announced
 * change, both rules are skipped saying so.
 */
export async function judgeToolsListings(rec: FindingRecorder, list: () => Promise<ListingPair>): Promise<void> {
  if (!rec.wants('modern.tools-list-stable') && !rec.wants('modern.tools-list-order')) return;
  let announcedBefore = 0;
  for (let tries = 1; ; tries++) {
    const pair = await list();
    const settled = pair.first === undefined || pair.second === undefined || sameListing(pair.first, pair.second) || !pair.announced;
    if (settled) return judgeToolsList(rec, pair.first, pair.second, announcedBefore);
    announcedBefore++;
    if (tries === LISTING_TRIES) {
      const why = `not judged: the two listings differed in each of ${tries} tries, and each time the server announced the change (notifications/tools/list_changed) while they were made: the list changes in time, which the rule allows`;
      for (const id of ['modern.tools-list-stable', 'modern.tools-list-order'] as const) rec.skip(id, why, 'modern');
      return;
    }
  }
}

/**
 * Judge the two listings, each made on a connection of its own; `announcedBefore`: pairs made
 * before them that differed after an announced change (said in a pass).
 */
export function judgeToolsList(rec: FindingRecorder, first: readonly Obj[] | undefined, second: readonly Obj[] | undefined, announcedBefore = 0): void {
  const wants = rec.wants('modern.tools-list-stable') || rec.wants('modern.tools-list-order');
  if (!wants) return;
  if (first === undefined || second === undefined) {
    const why = `not judged: the ${first === undefined ? 'first' : 'second'} connection got no complete tools/list listing`;
    for (const id of ['modern.tools-list-stable', 'modern.tools-list-order'] as const) rec.skip(id, why, 'modern');
    return;
  }
  const byName = (list: readonly Obj[]) => new Map(list.map((t) => [String(t.name), JSON.stringify(t)]));
  const a = byName(first);
  const b = byName(second);
  const missing = [...a.keys()].filter((n) => !b.has(n));
  const added = [...b.keys()].filter((n) => !a.has(n));
  const changed = [...a.keys()].filter((n) => b.has(n) && a.get(n) !== b.get(n));
  const names = (list: readonly Obj[]) => list.map((t) => String(t.name));
  const after = announcedBefore === 0 ? '' : ` (made again: ${announcedBefore === 1 ? 'the pair before differed' : `the ${announcedBefore} pairs before differed`} after a change the server announced)`;
  const shown = { first: names(first), second: names(second), ...(changed.length > 0 ? { changed: { name: changed[0], first: JSON.parse(a.get(changed[0]!)!) as unknown, second: JSON.parse(b.get(changed[0]!)!) as unknown } } : {}) };
  if (missing.length + added.length + changed.length > 0 || first.length !== second.length) {
    const what = [
      missing.length > 0 ? `without ${missing.join(', ')}` : '',
      added.length > 0 ? `with ${added.join(', ')} added` : '',
      changed.length > 0 ? `with ${changed.join(', ')} defined otherwise` : '',
      first.length !== second.length ? `${second.length} entries where the first had ${first.length}` : '',
    ].filter((w) => w !== '').join('; ');
    rec.fail('modern.tools-list-stable', `tools/list on a second connection (the same credentials) listed the tools ${what}: the result must not vary per connection`, shown, 'modern');
  } else rec.pass('modern.tools-list-stable', `tools/list listed the same ${first.length} tool(s), defined alike, on a second connection${after}`, 'modern');
  if (missing.length + added.length > 0 || first.length !== second.length) return rec.skip('modern.tools-list-order', 'not judged: the two listings hold other tools (modern.tools-list-stable)', 'modern');
  const order = (list: readonly Obj[]) => names(list).join('\n');
  if (order(first) !== order(second)) rec.fail('modern.tools-list-order', `tools/list on a second connection listed the same tools in another order (${names(second).join(', ')}; first: ${names(first).join(', ')}): the order should be deterministic`, shown, 'modern');
  else rec.pass('modern.tools-list-order', `tools/list listed its ${first.length} tool(s) in the same order on a second connection${after}`, 'modern');
}

/**
 * What of a tool's definition is compared across eras: what a client shows and sends by (the
 * fields both eras' `Tool` define, less `_meta`; `execution` is 2025-11-25's alone).
 */
const ERA_FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations', 'icons'] as const;

/** `value` as JSON text with sorted keys, and `x-mcp-header` left out (2026-07-28's own mark on an input property). */
function eraText(value: unknown): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!isObj(v)) return v;
    return Object.fromEntries(Object.keys(v).filter((k) => k !== 'x-mcp-header').sort().map((k) => [k, strip(v[k])]));
  };
  return JSON.stringify(strip(value)) ?? 'undefined';
}

/** The {@link ERA_FIELDS} where `a` and `b` differ. */
function eraDifferences(a: Obj, b: Obj): string[] {
  return ERA_FIELDS.filter((f) => eraText(a[f]) !== eraText(b[f]));
}

/**
 * `tools.eras-alike` (info): a server that serves both eras lists the same tools to each driven
 * session, defined alike ({@link ERA_FIELDS}). No rule binds the eras together (2026-07-28
 * server/tools: "MUST NOT vary per connection" speaks of that era's connections), but a client's
 * tools differing by the era it speaks is seldom meant. `legacy` / `modern`: each era's first
 * complete listing.
 */
export function judgeEraListings(rec: FindingRecorder, legacy: readonly Obj[] | undefined, modern: readonly Obj[] | undefined): void {
  if (!rec.wants('tools.eras-alike')) return;
  if (legacy === undefined || modern === undefined) {
    rec.skip('tools.eras-alike', `not judged: ${legacy === undefined && modern === undefined ? 'no era' : legacy === undefined ? 'only the 2026-07-28 era' : 'only the legacy era'} had a complete tools/list listing`, 'any');
    return;
  }
  const names = (list: readonly Obj[]) => list.map((t) => String(t.name));
  const inModern = new Map(modern.map((t) => [String(t.name), t]));
  const inLegacy = new Set(names(legacy));
  const legacyOnly = names(legacy).filter((n) => !inModern.has(n));
  const modernOnly = names(modern).filter((n) => !inLegacy.has(n));
  const changed = legacy.flatMap((t) => {
    const other = inModern.get(String(t.name));
    const fields = other === undefined ? [] : eraDifferences(t, other);
    return fields.length === 0 ? [] : [{ name: String(t.name), fields, legacy: t, modern: other! }];
  });
  if (legacyOnly.length + modernOnly.length + changed.length === 0) {
    rec.pass('tools.eras-alike', `both eras list the same ${inLegacy.size} tool(s), defined alike (${ERA_FIELDS.join(', ')})`, 'any');
    return;
  }
  const what = [
    legacyOnly.length > 0 ? `${legacyOnly.join(', ')} only in the legacy era` : '',
    modernOnly.length > 0 ? `${modernOnly.join(', ')} only in 2026-07-28` : '',
    ...changed.map((c) => `${c.name} with another ${c.fields.join(' and ')}`),
  ].filter((w) => w !== '').join('; ');
  const first = changed[0];
  const pick = (t: Obj, fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, t[f] ?? null]));
  const shown = { legacy: names(legacy), modern: names(modern), ...(first === undefined ? {} : { changed: { name: first.name, legacy: pick(first.legacy, first.fields), modern: pick(first.modern, first.fields) } }) };
  rec.fail('tools.eras-alike', `the eras list other tools (${what}): a client's tools differ by the protocol version it speaks`, shown, 'any');
}
