/**
 * The check of the 2026-07-28 era's options (`createMcpHttpHandler`'s and `serveEras`' `modern`,
 * `createModernDispatcher`'s), run where they are given. The dispatcher's code loads on the
 * first 2026-07-28 message (modern-lazy.ts), so without this a wrong value surfaced there, or
 * never: `caching.ttlMs: -1` went on the wire as `"ttlMs": -1`, `listen.maxStreams: 0` refused
 * every listen, `inputRounds.ttlMs: "600000"` expired every state at once, a string `key` was
 * taken for a key. Only types are imported, so this file adds no dispatcher code to the start set.
 */
import { positiveIntegerOption } from '../protocol/limits.ts';
import type { ModernDispatcherOptions } from './modern/dispatcher.ts';

/** The smallest requestState key the dispatcher accepts (HMAC-SHA256: a key as long as its output). */
const MIN_STATE_KEY_BYTES = 32;

/** Counts and durations of the modern options, each a positive integer when given. */
const COUNTS = {
  inputRounds: ['ttlMs', 'maxContinuations', 'maxContinuationBytes', 'maxReplayMemory'],
  listen: ['maxStreams', 'maxStreamsPerPrincipal', 'maxResourceSubscriptions', 'maxTaskIds'],
} as const;

/**
 * Throw a RangeError (a value out of range) or a TypeError (a value of the wrong kind) naming the
 * option and the value, e.g. `modern.listen.maxStreams must be a positive integer, got 0`; an
 * option given as undefined keeps its default. `prefix` is how the caller named the object.
 */
export function checkModernOptions(options: ModernDispatcherOptions, prefix = 'modern.'): void {
  for (const group of ['inputRounds', 'listen'] as const) {
    const given = options[group] as Record<string, unknown> | undefined;
    for (const name of COUNTS[group]) positiveIntegerOption(`${prefix}${group}.${name}`, given?.[name], 1);
  }
  positiveIntegerOption(`${prefix}maxProgressTokenLength`, options.maxProgressTokenLength, 1);
  // 2026-07-28 server/utilities/caching: ttlMs is a non-negative integer; 0 means "do not reuse".
  positiveIntegerOption(`${prefix}caching.ttlMs`, options.caching?.ttlMs, 0, 0);
  const scope = options.caching?.scope;
  if (scope !== undefined && scope !== 'public' && scope !== 'private') {
    throw new RangeError(`${prefix}caching.scope must be 'public' or 'private', got ${JSON.stringify(scope)}`);
  }
  // Spread into `server/discover`'s supportedVersions: a string gave one "version" per character.
  const legacy: unknown = options.legacyVersions;
  if (legacy !== undefined && !(Array.isArray(legacy) && legacy.every((v) => typeof v === 'string'))) {
    throw new TypeError(`${prefix}legacyVersions must be an array of version strings, got ${JSON.stringify(legacy)}`);
  }
  const key: unknown = options.inputRounds?.key;
  if (key !== undefined && !(key instanceof Uint8Array)) {
    throw new TypeError(`${prefix}inputRounds.key must be a Uint8Array of at least ${MIN_STATE_KEY_BYTES} bytes, got ${typeof key}`);
  }
  if (key !== undefined && key.byteLength < MIN_STATE_KEY_BYTES) {
    throw new RangeError(`requestState key must be at least ${MIN_STATE_KEY_BYTES} bytes (${prefix}inputRounds.key has ${key.byteLength})`);
  }
}
