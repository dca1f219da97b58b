/**
 * Capability gating and lifecycle order, read from the messages a session carried: the
 * server only sends what it declared (2025-11-25 basic/lifecycle: operation, "only use
 * capabilities that were successfully negotiated") and sends no requests but ping before
 * the client's `notifications/initialized` (basic/lifecycle: initialization).
 */
import type { ServerCapabilities } from 'mcpwire/protocol';
import type { TappedMessage } from '../tap.ts';
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The server capability a server notification needs, as [path, label]. */
function needs(method: string): readonly [readonly string[], string] | undefined {
  switch (method) {
    case 'notifications/message': return [['logging'], 'logging'];
    case 'notifications/tools/list_changed': return [['tools', 'listChanged'], 'tools.listChanged'];
    case 'notifications/prompts/list_changed': return [['prompts', 'listChanged'], 'prompts.listChanged'];
    case 'notifications/resources/list_changed': return [['resources', 'listChanged'], 'resources.listChanged'];
    case 'notifications/resources/updated': return [['resources', 'subscribe'], 'resources.subscribe'];
    default: return undefined;
  }
}

function declared(caps: Obj, path: readonly string[]): boolean {
  let at: unknown = caps;
  for (const key of path) {
    if (!isObj(at) || !(key in at)) return false;
    at = at[key];
  }
  return at !== false && at !== undefined && at !== null;
}

/** Record `capability.gating` and `lifecycle.order` from the tapped messages of one legacy session. */
export function checkCapabilityGating(rec: FindingRecorder, messages: readonly TappedMessage[], caps: ServerCapabilities): void {
  let failed = false;
  let initialized = false;
  let earlyRequest: unknown;
  for (const { direction, message } of messages) {
    if (!isObj(message) || typeof message.method !== 'string') continue;
    if (direction === 'client-to-server') {
      if (message.method === 'notifications/initialized') initialized = true;
      continue;
    }
    if ('id' in message && !initialized && message.method !== 'ping') earlyRequest ??= message;
    const need = needs(message.method);
    if (need && !declared(caps as Obj, need[0])) {
      failed = true;
      rec.fail('capability.gating', `the server sent ${message.method} without declaring ${need[1]}`, message, 'legacy');
    }
  }
  if (!failed) rec.pass('capability.gating', 'every server notification was covered by a declared capability', 'legacy');
  if (earlyRequest !== undefined) rec.fail('lifecycle.order', 'the server sent a request before notifications/initialized', earlyRequest, 'legacy');
  else rec.pass('lifecycle.order', 'no server request before notifications/initialized', 'legacy');
}
