/**
 * A call's arguments as the person sees them: a key the host added so that a repeat does not
 * repeat (call-resend.ts, plan.ts) is left out of every line that names the call (its start,
 * history, the calls left in flight, remembered tasks), as it was never typed.
 */
import type { InflightRequest } from 'mcpwire/client';

/** The argument a tool takes to name an operation so that repeating it does not repeat it (see examples/agents). */
export const IDEMPOTENCY_ARG = 'idempotencyKey';

/**
 * Whether the host fills argument `name` in itself (the idempotency key, call-resend.ts): the
 * tool list leaves it out, `<tool> ?` says so, and nobody is asked for it.
 */
export const hostFills = (name: string): boolean => name === IDEMPOTENCY_ARG;

/** What `<tool> ?` says of an argument the host fills in. */
export const HOST_FILLS_NOTE = '[the host adds one to each call; give one only to name the operation yourself]';

/** `args` as shown to the person: without the idempotency key. */
export function shownArgs(args: Record<string, unknown>): Record<string, unknown> {
  const { [IDEMPOTENCY_ARG]: _key, ...shown } = args;
  return shown;
}

/** ` {"destination":"Tokyo"}` as a call's arguments are shown after its tool's name; '' for none. */
export function argsText(args: Record<string, unknown>): string {
  const shown = shownArgs(args);
  return Object.keys(shown).length === 0 ? '' : ` ${JSON.stringify(shown)}`;
}

/** `travel_agent {"destination":"Tokyo"}` from a stored call. */
export function describeEntry(entry: InflightRequest): string {
  const p = entry.params as { name?: unknown; arguments?: unknown } | undefined;
  const name = typeof p?.name === 'string' ? p.name : entry.method;
  const args = typeof p?.arguments === 'object' && p.arguments !== null ? argsText(p.arguments as Record<string, unknown>) : '';
  return `${name}${args}`;
}
