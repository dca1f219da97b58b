/**
 * Whether Redis may evict mcpwire's keys. With `maxmemory` set and a `maxmemory-policy` other
 * than `noeviction`, Redis drops keys under memory pressure without telling anyone: a saved
 * session vanishes (its client gets 404), task records are forgotten, and the shared
 * requestState key is made anew by the next instance to start (instances then refuse each
 * other's states); only stream history says so ("evicted"). The `volatile-*` policies count:
 * mcpwire's keys expire when idle, so they are candidates. With `noeviction` a write past
 * `maxmemory` fails (OOM), and the caller hears of it.
 */
import type { RedisLink } from './connection.ts';

/** What `INFO memory` says of eviction. */
export interface EvictionSettings {
  readonly maxmemory: number;
  readonly policy: string;
}

/** Redis's eviction settings from `INFO memory` (available where `CONFIG` is often disabled). */
export async function evictionSettings(link: RedisLink): Promise<EvictionSettings> {
  const info = String(await link.send(['INFO', 'memory']));
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  return { maxmemory: Number(field('maxmemory') ?? 0), policy: field('maxmemory_policy') ?? 'noeviction' };
}

/** Why `settings` may lose mcpwire's keys silently, or undefined when they cannot. */
export function evictionRisk(settings: EvictionSettings): string | undefined {
  if (!(settings.maxmemory > 0) || settings.policy === 'noeviction') return undefined;
  return `Redis has maxmemory ${settings.maxmemory} with maxmemory-policy ${settings.policy}: under memory pressure it drops keys silently (saved sessions, task records, the shared requestState key)`;
}
