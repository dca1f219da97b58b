/**
 * The travel agent's price confirmation: an elicitation form (2025-11-25 client/elicitation,
 * form mode) with confirm, fare class and notes. Every way of not getting a clear "yes"
 * (decline, cancel, an unticked box, an error, a timeout, a client without forms) ends
 * without booking: the agent fails closed.
 */
import { versionAtLeast } from 'mcpwire/protocol';
import type { ElicitFormRequest, ToolContext } from 'mcpwire/server';
import { FARE_CLASSES, longDay, money, type FareClass, type TripQuote, type TripRequest } from './travel-data.ts';

/** How the confirmation ended. */
export type Confirmation =
  | { kind: 'accepted'; fareClass: FareClass; notes: string | undefined }
  | { kind: 'declined' }
  | { kind: 'cancelled' }
  | { kind: 'unconfirmed' }
  | { kind: 'failed'; reason: string };

const FARE_LABEL: Record<FareClass, string> = { economy: 'Economy', premium: 'Premium economy', business: 'Business' };

/** The form's message: the whole trip and every offered price, so the user confirms what is charged. */
export function confirmationMessage(trip: TripRequest, quote: TripQuote, currency: string): string {
  const f = quote.flight;
  const h = quote.hotel;
  const lines = [
    `Book this trip? ${trip.origin.name} → ${trip.destination.name}, ${longDay(trip.depart)} to ${longDay(trip.return)} (${plural(trip.nights, 'night')}), ${plural(trip.travellers, 'traveller')}.`,
    `Flight ${f.number} (${f.carrier}), out ${f.depart} → ${f.arrive}, round trip.`,
    `Hotel ${h.name}, ${h.area} (${h.stars}★, guest rating ${h.rating}), ${plural(quote.rooms, 'room')}.`,
    `Total: ${quote.offered.map((c) => `${money(quote.totals[c], currency)} ${FARE_LABEL[c].toLowerCase()}`).join(', ')}.`,
  ];
  const over = FARE_CLASSES.filter((c) => !quote.offered.includes(c));
  if (trip.budget !== undefined && over.length > 0) {
    lines.push(`Your budget is ${money(trip.budget, currency)}; ${over.map((c) => FARE_LABEL[c].toLowerCase()).join(' and ')} would exceed it and ${over.length === 1 ? 'is' : 'are'} not offered.`);
  }
  return lines.join('\n');
}

/**
 * The form. 2025-11-25 titles the fare options with `oneOf` const/title and allows
 * defaults on strings; 2025-06-18 knew only `enum` with `enumNames`, and no string default.
 */
export function confirmationForm(quote: TripQuote, currency: string, protocolVersion: string): ElicitFormRequest['requestedSchema'] {
  const modern = protocolVersion !== '' && versionAtLeast(protocolVersion, '2025-11-25');
  const titles = quote.offered.map((c) => `${FARE_LABEL[c]}: ${money(quote.totals[c], currency)}`);
  const fareClass = modern
    ? { type: 'string', title: 'Fare class', oneOf: quote.offered.map((c, i) => ({ const: c, title: titles[i]! })), default: quote.offered[0]! }
    : { type: 'string', title: 'Fare class', enum: [...quote.offered], enumNames: titles };
  return {
    type: 'object',
    properties: {
      confirm: { type: 'boolean', title: 'Book this trip', description: 'Tick to book at the price shown for the fare class you pick.', default: false },
      fareClass,
      notes: { type: 'string', title: 'Notes', description: 'Anything the airline or hotel should know (optional).', maxLength: 500 },
    },
    required: ['confirm', 'fareClass'],
  } as ElicitFormRequest['requestedSchema'];
}

/** Ask; map every outcome onto a {@link Confirmation}. Rethrows only when the call itself was aborted. */
export async function askConfirmation(
  ctx: ToolContext, trip: TripRequest, quote: TripQuote, currency: string, timeoutMs: number | undefined, preface?: string,
): Promise<Confirmation> {
  // 2025-11-25 client/elicitation: only ask clients that declared the capability.
  if (!ctx.clientCapabilities.elicitation) {
    return { kind: 'failed', reason: 'your client cannot show confirmation forms (it did not declare the elicitation capability)' };
  }
  let answer;
  try {
    answer = await ctx.elicit(
      { message: preface === undefined ? confirmationMessage(trip, quote, currency) : `${preface}\n${confirmationMessage(trip, quote, currency)}`, requestedSchema: confirmationForm(quote, currency, ctx.protocolVersion) },
      timeoutMs === undefined ? {} : { timeoutMs },
    );
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  // Decline and cancel carry no content worth reading (2025-11-25 client/elicitation: content is for accept).
  if (answer.action === 'decline') return { kind: 'declined' };
  if (answer.action === 'cancel') return { kind: 'cancelled' };
  if (answer.action !== 'accept') return { kind: 'failed', reason: `the client answered with an unknown action ${JSON.stringify(answer.action)}` };
  const content = answer.content ?? {};
  if (content.confirm !== true) return { kind: 'unconfirmed' };
  const fareClass = content.fareClass;
  // ctx.elicit checked the answer against the schema; this guards the types for the compiler.
  if (typeof fareClass !== 'string' || !quote.offered.includes(fareClass as FareClass)) {
    return { kind: 'failed', reason: `the answer picked a fare class that was not offered: ${JSON.stringify(fareClass)}` };
  }
  const notes = typeof content.notes === 'string' && content.notes.trim() !== '' ? content.notes.trim() : undefined;
  return { kind: 'accepted', fareClass: fareClass as FareClass, notes };
}

/** "1 night", "4 nights". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "Premium economy" for `premium`. */
export function fareLabel(c: FareClass): string {
  return FARE_LABEL[c];
}
