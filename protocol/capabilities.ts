/**
 * Capability gating (2025-11-25 basic/lifecycle: operation, "both parties MUST only use
 * capabilities that were successfully negotiated"). One table per direction names the
 * capability a method needs; the peer engine refuses to send what the peer did not declare
 * and answers inbound requests for undeclared features with the error the spec names.
 */
import type { ClientCapabilities, ServerCapabilities } from './types/lifecycle.ts';
import { versionAtLeast } from './versions.ts';

/** A path into a capabilities object, e.g. ['resources', 'subscribe']. */
export type CapabilityPath = readonly string[];

/**
 * A table keyed by names off the wire, made with no prototype (`{ __proto__: null, ... }` in
 * the literal): a method named `__proto__` or `toString` finds nothing, since only the table's
 * own entries are there, and a lookup is one keyed load (an `Object.hasOwn` before each cost
 * ~140 instructions a lookup, two lookups a call on each side, bench h). A hostile request named
 * `__proto__` once crashed the server in hasCapability.
 */
type WireTable<T> = Readonly<Record<string, T | undefined>>;

/** Capability the *server* must have declared for a client->server method. */
const SERVER_CAPABILITY_FOR = {
  __proto__: null,
  'tools/list': ['tools'],
  'tools/call': ['tools'],
  'resources/list': ['resources'],
  'resources/templates/list': ['resources'],
  'resources/read': ['resources'],
  'resources/subscribe': ['resources', 'subscribe'],
  'resources/unsubscribe': ['resources', 'subscribe'],
  'prompts/list': ['prompts'],
  'prompts/get': ['prompts'],
  'logging/setLevel': ['logging'],
  'completion/complete': ['completions'],
  'tasks/list': ['tasks', 'list'],
  'tasks/cancel': ['tasks', 'cancel'],
  'notifications/message': ['logging'],
  'notifications/tools/list_changed': ['tools', 'listChanged'],
  'notifications/prompts/list_changed': ['prompts', 'listChanged'],
  'notifications/resources/list_changed': ['resources', 'listChanged'],
  'notifications/resources/updated': ['resources', 'subscribe'],
} as unknown as WireTable<CapabilityPath>;

/** Capability the *client* must have declared for a server->client method. */
const CLIENT_CAPABILITY_FOR = {
  __proto__: null,
  'sampling/createMessage': ['sampling'],
  'elicitation/create': ['elicitation'],
  'roots/list': ['roots'],
  'tasks/list': ['tasks', 'list'],
  'tasks/cancel': ['tasks', 'cancel'],
  'notifications/roots/list_changed': ['roots', 'listChanged'],
} as unknown as WireTable<CapabilityPath>;

/** True when `caps` has the object or `true` flag at `path`. */
export function hasCapability(caps: object | undefined, path: CapabilityPath): boolean {
  let node: unknown = caps;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined && node !== null && node !== false;
}

/** What the server needs to have declared before a client may send `method`. */
export function serverCapabilityFor(method: string): CapabilityPath | undefined {
  return SERVER_CAPABILITY_FOR[method];
}

/** What the client needs to have declared before a server may send `method`. */
export function clientCapabilityFor(method: string): CapabilityPath | undefined {
  return CLIENT_CAPABILITY_FOR[method];
}

/**
 * The capability an elicitation request needs: an absent mode means form; an empty
 * `elicitation: {}` declares form only (2025-11-25 client/elicitation: capabilities).
 */
export function clientSupportsElicitationMode(caps: ClientCapabilities | undefined, mode: 'form' | 'url'): boolean {
  const e = caps?.elicitation;
  if (!e) return false;
  const declaresAny = e.form !== undefined || e.url !== undefined;
  if (!declaresAny) return mode === 'form';
  return mode === 'form' ? e.form !== undefined : e.url !== undefined;
}

/**
 * The sub-capability a server-to-client request needs beyond its method's, with why, or
 * undefined: an elicitation's mode (client/elicitation: servers MUST NOT send a mode the client
 * does not support), `sampling.tools` for tools in sampling (client/sampling: MUST NOT send
 * without it), `sampling.context` for `includeContext` other than "none" (SHOULD NOT without
 * it). The same in 2025-11-25 (server/connection.ts) and 2026-07-28 (server/modern/continuation.ts).
 */
export function askNeeds(method: string, params: unknown, caps: ClientCapabilities | undefined): { path: CapabilityPath; why: string } | undefined {
  const p = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
  if (method === 'elicitation/create') {
    const mode = p.mode === 'url' ? 'url' : 'form';
    return clientSupportsElicitationMode(caps, mode) ? undefined : { path: ['elicitation', mode], why: `the client did not declare elicitation mode "${mode}"` };
  }
  if (method !== 'sampling/createMessage') return undefined;
  if ((p.tools !== undefined || p.toolChoice !== undefined) && !hasCapability(caps, ['sampling', 'tools'])) {
    return { path: ['sampling', 'tools'], why: 'the client did not declare sampling.tools, needed for tools in sampling' };
  }
  if ((p.includeContext === 'thisServer' || p.includeContext === 'allServers') && !hasCapability(caps, ['sampling', 'context'])) {
    return { path: ['sampling', 'context'], why: 'the client did not declare sampling.context, needed for includeContext' };
  }
  return undefined;
}

/** Dotted form of a path, for error messages. */
export function capabilityName(path: CapabilityPath): string {
  return path.join('.');
}

export type { ClientCapabilities, ServerCapabilities };

/**
 * The first protocol version that has `method` (2025-11-25 changelog; spec-notes section 1b):
 * elicitation arrived in 2025-06-18, tasks and URL-elicitation completion in 2025-11-25.
 */
const METHOD_SINCE = {
  __proto__: null,
  'elicitation/create': '2025-06-18',
  'notifications/elicitation/complete': '2025-11-25',
  'tasks/get': '2025-11-25',
  'tasks/result': '2025-11-25',
  'tasks/list': '2025-11-25',
  'tasks/cancel': '2025-11-25',
  'notifications/tasks/status': '2025-11-25',
} as unknown as WireTable<string>;

export function methodSince(method: string): string | undefined {
  return METHOD_SINCE[method];
}

/**
 * The first version whose ServerCapabilities has each member a server may declare (the
 * schemas: `tasks` arrived in 2025-11-25 with the methods it announces).
 */
const SERVER_CAPABILITY_SINCE: Readonly<Record<string, string>> = { tasks: '2025-11-25' };

/**
 * `caps` as a server tells a client that negotiated `version`: members of a later revision
 * are left out, since the methods they announce are refused at `version` (2025-11-25
 * basic/lifecycle: capability negotiation; a 2025-06-18 client told `tasks.list` got
 * -32601 for `tasks/list`). The same object when nothing is left out.
 */
export function serverCapabilitiesAt(caps: ServerCapabilities, version: string): ServerCapabilities {
  let fitted: Record<string, unknown> | undefined;
  for (const [member, since] of Object.entries(SERVER_CAPABILITY_SINCE)) {
    if (!Object.hasOwn(caps, member) || versionAtLeast(version, since)) continue;
    fitted ??= { ...caps };
    delete fitted[member];
  }
  return (fitted ?? caps) as ServerCapabilities;
}
