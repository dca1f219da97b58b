/** What a client's options declare before it connects: the era it asks for and its capabilities (client.ts). */
import type { ClientCapabilities } from '../protocol/index.ts';
import type { EraChoice } from './era.ts';
import { MODERN_VERSIONS } from './modern-envelope.ts';
import type { ClientOptions } from './types.ts';

/** The era asked for: explicit, implied by a pinned version, else the default. */
export function eraChoice(options: ClientOptions): EraChoice {
  if (options.era !== undefined) return options.era;
  // Only a modern version we speak pins the modern era; any other goes to initialize, which negotiates it.
  if (options.protocolVersion !== undefined) return MODERN_VERSIONS.includes(options.protocolVersion) ? 'modern' : 'legacy';
  return DEFAULT_ERA;
}

/** The values of the `era` option. */
export const ERA_CHOICES: readonly EraChoice[] = ['auto', 'legacy-first', 'legacy', 'modern'];

/** The era of a client that names none. */
const DEFAULT_ERA = 'legacy' as const;

/** The declared capabilities (2025-11-25 shape): explicit ones, plus those the options imply. */
export function declaredCapabilities(options: ClientOptions): ClientCapabilities {
  const caps: ClientCapabilities = { ...options.capabilities };
  if (options.onElicit && !caps.elicitation) {
    const modes = options.elicitation?.modes ?? ['form'];
    // client/elicitation: a client declaring elicitation MUST support a mode (`{}` would declare form).
    if (!modes.some((m) => m === 'form' || m === 'url')) throw new RangeError(`elicitation.modes names neither 'form' nor 'url' (${JSON.stringify(modes)}): a client that declares elicitation MUST support a mode; leave onElicit out to declare none`);
    const elicitation: NonNullable<ClientCapabilities['elicitation']> = {};
    if (modes.includes('form')) elicitation.form = options.elicitation?.applyDefaults ? { applyDefaults: true } : {};
    if (modes.includes('url')) elicitation.url = {};
    caps.elicitation = elicitation;
  }
  if (options.onSample && !caps.sampling) {
    caps.sampling = {};
    if (options.sampling?.tools) caps.sampling.tools = {};
    if (options.sampling?.context) caps.sampling.context = {};
  }
  if ((options.onRoots || options.roots) && !caps.roots) caps.roots = { listChanged: true };
  return caps;
}
