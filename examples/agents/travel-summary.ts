/**
 * The travel agent's trip summary, written before booking: the client's model is asked to
 * summarise the confirmed trip (2025-11-25 client/sampling), as the reference article's
 * travel example does. A client without sampling, or a request that fails, gets a plain
 * summary built from the same data, so the booking never depends on a model.
 */
import type { ContentBlock, CreateMessageResult } from 'mcpwire/protocol';
import type { ToolContext } from 'mcpwire/server';
import { fareLabel, plural } from './travel-confirm.ts';
import { longDay, money, type FareClass, type TripQuote, type TripRequest } from './travel-data.ts';

/** The summary a booking keeps, and who wrote it. */
export interface TripSummary {
  text: string;
  /** `sampling`: the client's model; `template`: built here from the data. */
  method: 'sampling' | 'template';
  model?: string;
  /** Why the summary is the template although sampling was tried. */
  note?: string;
}

/** What the summary is about: the trip, the quote, and what the user chose. */
export interface TripFacts {
  trip: TripRequest;
  quote: TripQuote;
  choice: { fareClass: FareClass; total: number; notes?: string };
  currency: string;
}

/** The travel data as the model reads it: one fact per line. */
export function tripFactsText(f: TripFacts): string {
  const { trip, quote, choice } = f;
  return [
    `Route: ${trip.origin.name} to ${trip.destination.name}, round trip.`,
    `Dates: ${longDay(trip.depart)} to ${longDay(trip.return)} (${plural(trip.nights, 'night')}).`,
    `Travellers: ${trip.travellers}.`,
    `Flight: ${quote.flight.number} (${quote.flight.carrier}), departs ${quote.flight.depart}, arrives ${quote.flight.arrive}; ${fareLabel(choice.fareClass).toLowerCase()}.`,
    `Hotel: ${quote.hotel.name} in ${quote.hotel.area}, ${quote.hotel.stars} stars, guest rating ${quote.hotel.rating}, ${plural(quote.rooms, 'room')}.`,
    `Total price: ${money(choice.total, f.currency)}.`,
    ...(choice.notes ? [`Traveller's notes: ${choice.notes}.`] : []),
  ].join('\n');
}

/** The summary built from the data alone. */
export function templateSummary(f: TripFacts, note?: string): TripSummary {
  const { trip, quote, choice } = f;
  const text = `${plural(trip.travellers, 'traveller')} from ${trip.origin.name} to ${trip.destination.name}, `
    + `${longDay(trip.depart)} to ${longDay(trip.return)}: flight ${quote.flight.number} in ${fareLabel(choice.fareClass).toLowerCase()}, `
    + `${plural(trip.nights, 'night')} at ${quote.hotel.name} (${quote.hotel.area}), ${money(choice.total, f.currency)} in total.`;
  return note === undefined ? { text, method: 'template' } : { text, method: 'template', note };
}

/**
 * Ask the client's model for the summary; fall back to {@link templateSummary} when the
 * client declared no sampling or the request fails. Rethrows only when the call was aborted.
 */
export async function summariseTrip(ctx: ToolContext, f: TripFacts, timeoutMs: number | undefined): Promise<TripSummary> {
  // 2025-11-25 client/sampling: only clients that declared the capability are asked.
  if (!ctx.clientCapabilities.sampling) return templateSummary(f);
  let reply: CreateMessageResult;
  try {
    reply = await ctx.sample({
      systemPrompt: 'You summarise a confirmed trip for the traveller before it is booked. Use only the facts given. Two or three sentences, no invented details.',
      messages: [{ role: 'user', content: { type: 'text', text: `Trip to ${f.trip.destination.name}\n\nFacts:\n${tripFactsText(f)}\n\nSummarise this trip in at most 3 sentences.` } }],
      maxTokens: 200,
      temperature: 0.2,
      includeContext: 'none',
      modelPreferences: { speedPriority: 0.7, costPriority: 0.5, intelligencePriority: 0.3 },
    }, timeoutMs === undefined ? {} : { timeoutMs });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return templateSummary(f, `the client's model did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
  const blocks: ContentBlock[] = Array.isArray(reply.content) ? reply.content as ContentBlock[] : [reply.content as ContentBlock];
  const text = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n').trim();
  if (text === '') return templateSummary(f, "the client's model answered without text");
  return { text, method: 'sampling', model: reply.model };
}
