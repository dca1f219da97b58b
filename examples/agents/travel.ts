/**
 * `travel_agent`: searches the bundled timetable, quotes a trip, asks the user to confirm
 * the price (elicitation), and books it. The booking is a durable record, served as the
 * resource `agents://bookings/{id}` and updated at every stage, so a subscriber watches it
 * progress. The record also makes the call idempotent: a re-run after a restart continues
 * from what was written and never books twice.
 */
import type { CallToolResult } from 'mcpwire/protocol';
import type { ToolContext, ToolDefinition } from 'mcpwire/server';
import { bookingReference, IDEMPOTENCY_KEY_PATTERN, keyedRecordId, recordId } from './identity.ts';
import { saveRecord, URI_BASE, type AgentRuntime } from './runtime.ts';
import { cancelledByClient, createSteps, type Steps } from './steps.ts';
import { askConfirmation, fareLabel, plural } from './travel-confirm.ts';
import { summariseTrip, type TripSummary } from './travel-summary.ts';
import {
  FARE_CLASSES, flightsOn, hotelsIn, isoDay, longDay, money, quoteTrip, resolveTrip,
  type FareClass, type TravelTable, type TripArgs, type TripQuote, type TripRequest,
} from './travel-data.ts';

/** Where a booking stands; see UNBOOKED for the statuses that end without one. */
export type BookingStatus =
  | 'searching' | 'awaiting_confirmation' | 'confirmed' | 'booked'
  | 'declined' | 'cancelled' | 'not_confirmed' | 'confirmation_failed' | 'no_options';

/** The durable booking, as stored and as served (JSON). */
export interface BookingRecord {
  id: string;
  uri: string;
  reference: string;
  status: BookingStatus;
  /** The last step whose effects are recorded (see STEP). */
  step: number;
  trip: TripRequest;
  currency: string;
  quote?: TripQuote;
  choice?: { fareClass: FareClass; total: number; notes?: string };
  /** The trip summary written before booking (by the client's model when it can sample). */
  summary?: TripSummary;
  /** The caller's idempotency key, when it sent one: the record id is derived from it. */
  idempotencyKey?: string;
  /** Why it ended without a booking. */
  reason?: string;
  /**
   * Set when this record started over because the earlier one was damaged and set aside
   * (store.ts): what the user answered before was in it and could not be read, so the
   * confirmation is asked again, and says so.
   */
  startedOver?: true;
  history: Array<{ status: BookingStatus; at: string }>;
  createdAt: string;
  updatedAt: string;
}

/** Statuses that end the call without a booking. */
const UNBOOKED: ReadonlySet<BookingStatus> = new Set(['declined', 'cancelled', 'not_confirmed', 'confirmation_failed', 'no_options']);

/** Told to the user (log and confirmation) when a booking started over after its record was set aside. */
const STARTED_OVER = 'The saved record of this booking was damaged and set aside, so it started over: anything you answered before could not be read and is asked again. Nothing was booked before (a booking made would have been kept).';

/** The steps of a booking, as progress `n/TOTAL`. Up to ASK the run is deterministic. */
const STEP = { flights: 1, flightChosen: 2, hotels: 3, hotelChosen: 4, quoted: 5, ask: 6, summary: 7, hold: 8, booked: 9, itinerary: 10 } as const;
const TOTAL = 10;

/** The bookings resource template, and the URI of one booking. */
export const BOOKING_TEMPLATE = `${URI_BASE}bookings/{id}`;
export const bookingUri = (id: string) => `${URI_BASE}bookings/${id}`;

/** The tool's arguments as the schema admits them. */
export type TravelArgs = Omit<TripArgs, 'destination'> & { destination: string; idempotencyKey?: string };

/** The `travel_agent` definition (2025-11-25 server/tools): input and output schemas. */
export const TRAVEL_TOOL: ToolDefinition = {
  name: 'travel_agent',
  // Runs as a task when the client and server support tasks (2025-11-25 core, 2026-07-28 extension):
  // the re-run after a restart keeps its record, named by the task id (identity.ts).
  execution: { taskSupport: 'optional' },
  title: 'Travel agent',
  description: 'Plans and books a trip from an offline timetable of flights and hotels: searches, quotes a price, '
    + 'asks you to confirm it (fare class and notes) and books only on your confirmation. Reports progress per step; '
    + 'the booking is a resource (agents://bookings/{id}) you can read and subscribe to.',
  inputSchema: {
    type: 'object',
    properties: {
      destination: { type: 'string', minLength: 2, maxLength: 60, description: 'City name or code, e.g. "Lisbon" or "LIS".' },
      origin: { type: 'string', minLength: 2, maxLength: 60, default: 'London', description: 'Departure city (London or Paris).' },
      dates: {
        type: 'string', maxLength: 40,
        pattern: '^\\s*\\d{4}-\\d{2}-\\d{2}(\\s*(/|\\.\\.|to)\\s*\\d{4}-\\d{2}-\\d{2})?\\s*$',
        description: 'Departure date, or departure and return: "2026-05-01" (4 nights) or "2026-05-01/2026-05-05". Default: three weeks from today, 4 nights.',
      },
      travellers: { type: 'integer', minimum: 1, maximum: 9, default: 1, description: 'Number of travellers (two per hotel room).' },
      budget: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000, description: 'Most the whole trip may cost, in euros. Only fare classes within it are offered.' },
      idempotencyKey: {
        type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN,
        description: 'Names this booking: a call repeating the key (a retry, a redirect to another server sharing the records) '
          + 'continues or returns the first booking and never books twice.',
      },
    },
    required: ['destination'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['booked', 'declined', 'cancelled', 'not_confirmed', 'no_options'] },
      bookingId: { type: 'string' },
      uri: { type: 'string' },
      reference: { type: 'string' },
      fareClass: { type: 'string', enum: [...FARE_CLASSES] },
      total: { type: 'number' },
      currency: { type: 'string' },
      message: { type: 'string' },
      summary: { type: 'string' },
      summaryMethod: { type: 'string', enum: ['sampling', 'template'] },
    },
    required: ['status', 'bookingId', 'uri', 'message'],
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
};

/** The `travel_agent` handler over `table`. */
export function createTravelAgent(rt: AgentRuntime, table: TravelTable) {
  const stamp = () => rt.now().toISOString();
  const cur = table.currency;

  async function update(rec: BookingRecord, change: Partial<BookingRecord>): Promise<BookingRecord> {
    const at = stamp();
    const next: BookingRecord = { ...rec, ...change, updatedAt: at };
    if (change.status !== undefined && change.status !== rec.status) next.history = [...rec.history, { status: change.status, at }];
    await saveRecord(rt, 'bookings', next);
    return next;
  }

  return async function travelAgent(args: TravelArgs, ctx: ToolContext): Promise<CallToolResult> {
    const key = args.idempotencyKey;
    const id = key === undefined ? recordId('bk', ctx) : keyedRecordId('bk', key);
    let rec = await rt.store.read<BookingRecord>('bookings', id);
    // Booked by another run with the same key (or claimed just before a crash): the first booking stands.
    if (rec?.status !== 'booked') {
      const first = await rt.store.claimed<BookingRecord>('bookings', id);
      if (first) return alreadyBooked(first, ctx);
    }
    // A re-run of a call that already ended without a booking: say so again, ask nothing.
    if (rec && UNBOOKED.has(rec.status)) return unbookedResult(rec, ctx);
    if (!rec) {
      const trip = resolveTrip(table, args, isoDay(rt.now().getTime()));
      if ('error' in trip) return { content: [{ type: 'text', text: trip.error }], isError: true };
      const at = stamp();
      // Only a keyed booking is found again by a later run, so only it can have been set aside.
      const aside = key === undefined ? undefined : await rt.store.setAsideAs('bookings', id);
      rec = {
        id, uri: bookingUri(id), reference: bookingReference(id), status: 'searching', step: 0, trip, currency: cur,
        ...(key !== undefined ? { idempotencyKey: key } : {}), ...(aside !== undefined ? { startedOver: true as const } : {}),
        history: [{ status: 'searching', at }], createdAt: at, updatedAt: at,
      };
      await saveRecord(rt, 'bookings', rec);
    }
    const steps = createSteps(ctx, { total: TOTAL, delayMs: rt.stepDelayMs, journaled: rec.step, replaySafeThrough: STEP.ask, logger: 'travel_agent' });
    try {
      return await book(rec, steps, ctx);
    } catch (error) {
      rec = await rt.store.read<BookingRecord>('bookings', id) ?? rec;
      // Only the client's cancel ends the booking; a shutdown leaves it for the restarted server to resume.
      if (cancelledByClient(ctx.signal) && rec.status !== 'booked' && !UNBOOKED.has(rec.status)) {
        await update(rec, { status: 'cancelled', step: TOTAL, reason: 'The call was cancelled before the booking completed; any holds were released.' });
      }
      throw error;
    }
  };

  async function book(start: BookingRecord, steps: Steps, ctx: ToolContext): Promise<CallToolResult> {
    let rec = start;
    const trip = rec.trip;
    const route = `${trip.origin.name} → ${trip.destination.name}`;
    await steps.log(STEP.flights, 'info', `Trip ${rec.reference} (${route}): follow the booking at ${rec.uri}`);
    if (rec.startedOver && !steps.done(STEP.flights)) await steps.log(STEP.flights, 'warning', STARTED_OVER);
    await steps.step(STEP.flights, `Searching flights ${route} on ${longDay(trip.depart)}`);
    const flights = flightsOn(table, trip, trip.depart);
    const outcome = quoteTrip(table, trip);
    const flight = flights[0];
    await steps.step(STEP.flightChosen, flight
      ? `Found ${plural(flights.length, 'flight')}; cheapest is ${flight.number} (${flight.carrier}) at ${flight.depart}`
      : `No flights ${route} on ${longDay(trip.depart)}`);
    if (!outcome.ok && !flight) return finish(rec, steps, ctx, 'no_options', outcome.reason);
    await steps.step(STEP.hotels, `Searching hotels in ${trip.destination.name} for ${plural(trip.nights, 'night')}`);
    const hotels = hotelsIn(table, trip.destination);
    if (!outcome.ok) return finish(rec, steps, ctx, 'no_options', outcome.reason);
    // The quote the user saw, if an earlier run made one (the table may have been edited since).
    const q = rec.quote ?? outcome.quote;
    await steps.step(STEP.hotelChosen, `Chose ${q.hotel.name} in ${q.hotel.area} (${q.hotel.stars}★, rated ${q.hotel.rating}) from ${plural(hotels.length, 'hotel')}`);
    if (!steps.done(STEP.quoted)) rec = await update(rec, { status: 'awaiting_confirmation', step: STEP.quoted, quote: q });
    await steps.step(STEP.quoted, `Quote for ${plural(trip.travellers, 'traveller')}: ${q.offered.map((c) => `${money(q.totals[c], cur)} ${c}`).join(', ')}`);

    if (rec.status === 'awaiting_confirmation') {
      await steps.step(STEP.ask, 'Waiting for your confirmation', { pause: false });
      const answer = await askConfirmation(ctx, trip, q, cur, rt.confirmTimeoutMs, rec.startedOver ? STARTED_OVER : undefined);
      switch (answer.kind) {
        case 'declined': return finish(rec, steps, ctx, 'declined', 'You declined the quote; nothing was booked.');
        case 'cancelled': return finish(rec, steps, ctx, 'cancelled', 'You cancelled the confirmation; nothing was booked.');
        case 'unconfirmed': return finish(rec, steps, ctx, 'not_confirmed', 'The form came back without "Book this trip" ticked; nothing was booked.');
        case 'failed': return finish(rec, steps, ctx, 'confirmation_failed', `Could not get your confirmation (${answer.reason}); nothing was booked.`);
        case 'accepted': {
          const choice = { fareClass: answer.fareClass, total: q.totals[answer.fareClass], ...(answer.notes !== undefined ? { notes: answer.notes } : {}) };
          rec = await update(rec, { status: 'confirmed', step: STEP.ask, choice });
        }
      }
    }
    const choice = rec.choice!;
    if (!rec.summary) {
      await steps.step(STEP.summary, ctx.clientCapabilities.sampling ? 'Asking your model to summarise the trip' : 'Summarising the trip', { pause: false });
      const summary = await summariseTrip(ctx, { trip, quote: q, choice, currency: cur }, rt.summaryTimeoutMs);
      if (summary.note) await steps.log(STEP.summary, 'warning', `Trip summary written without your model: ${summary.note}.`);
      rec = await update(rec, { step: STEP.summary, summary });
    } else {
      await steps.step(STEP.summary, 'Trip summarised', { pause: false });
    }
    if (!steps.done(STEP.hold)) rec = await update(rec, { step: STEP.hold });
    await steps.step(STEP.hold, `Confirmed ${money(choice.total, cur)}; holding ${plural(trip.travellers, 'seat')} in ${fareLabel(choice.fareClass).toLowerCase()} on ${q.flight.number} and ${plural(q.rooms, 'room')} at ${q.hotel.name}`);
    if (!steps.done(STEP.booked)) {
      const booked = await bookOnce(rec);
      if (!booked.won) return alreadyBooked(booked.record, ctx);
      rec = booked.record;
    }
    await steps.log(STEP.booked, 'notice', `Booked ${route}: reference ${rec.reference}, ${money(choice.total, cur)}`);
    await steps.step(STEP.booked, `Booked: reference ${rec.reference}`);
    if (!steps.done(STEP.itinerary)) rec = await update(rec, { step: STEP.itinerary });
    await steps.step(STEP.itinerary, `Itinerary saved to ${rec.uri}`, { pause: false });
    return bookedResult(rec, ctx);
  }

  /**
   * Book: claim the record id first (atomic across processes sharing the records), then
   * write the booked record. Losing the claim means another run of this booking booked it.
   */
  async function bookOnce(rec: BookingRecord): Promise<{ won: boolean; record: BookingRecord }> {
    const at = stamp();
    const next: BookingRecord = { ...rec, status: 'booked', step: STEP.booked, updatedAt: at, history: [...rec.history, { status: 'booked', at }] };
    const claim = await rt.store.claim('bookings', rec.id, next);
    if (!claim.won) return { won: false, record: claim.value };
    await saveRecord(rt, 'bookings', next);
    return { won: true, record: next };
  }

  /** The booking another run made: make sure the record says so, and return it. */
  async function alreadyBooked(first: BookingRecord, ctx: ToolContext): Promise<CallToolResult> {
    const stored = await rt.store.read<BookingRecord>('bookings', first.id);
    if (stored?.status !== 'booked') {
      const record: BookingRecord = { ...first, step: TOTAL };
      await saveRecord(rt, 'bookings', record);
    }
    await ctx.log('info', `Booking ${first.reference} was already made for this request; returning it (nothing booked twice)`, 'travel_agent');
    return bookedResult({ ...first, step: TOTAL }, ctx);
  }

  async function finish(rec: BookingRecord, steps: Steps, ctx: ToolContext, status: BookingStatus, reason: string): Promise<CallToolResult> {
    // Another run with the same key may have booked meanwhile: a booking is never overwritten.
    const first = await rt.store.claimed<BookingRecord>('bookings', rec.id);
    if (first) return alreadyBooked(first, ctx);
    const done = await update(rec, { status, step: TOTAL, reason });
    await steps.step(TOTAL, `Not booked: ${reason}`, { pause: false });
    return unbookedResult(done, ctx);
  }
}

function link(rec: BookingRecord, ctx: ToolContext) {
  return ctx.resourceLink(rec.uri, `booking-${rec.reference}`, {
    title: `Booking ${rec.reference}: ${rec.trip.origin.name} → ${rec.trip.destination.name}`,
    mimeType: 'application/json',
    description: `Status: ${rec.status}`,
  });
}

function bookedResult(rec: BookingRecord, ctx: ToolContext): CallToolResult {
  const { trip, quote, choice } = rec as Required<Pick<BookingRecord, 'quote' | 'choice'>> & BookingRecord;
  const text = [
    `Booked: ${trip.origin.name} → ${trip.destination.name}, ${longDay(trip.depart)} to ${longDay(trip.return)}, ${plural(trip.travellers, 'traveller')}.`,
    `Flight ${quote.flight.number} (${quote.flight.carrier}) ${quote.flight.depart} → ${quote.flight.arrive}, ${fareLabel(choice.fareClass).toLowerCase()}.`,
    `Hotel ${quote.hotel.name}, ${quote.hotel.area}, ${plural(quote.rooms, 'room')}, ${plural(trip.nights, 'night')}.`,
    `Total ${money(choice.total, rec.currency)}. Reference ${rec.reference}.${choice.notes ? ` Notes: ${choice.notes}` : ''}`,
    ...(rec.summary ? [`Summary (${rec.summary.method === 'sampling' ? `by ${rec.summary.model ?? "your model"}` : 'from the booking data'}): ${rec.summary.text}`] : []),
  ].join('\n');
  return {
    content: [{ type: 'text', text }, link(rec, ctx)],
    structuredContent: {
      status: 'booked', bookingId: rec.id, uri: rec.uri, reference: rec.reference, fareClass: choice.fareClass,
      total: choice.total, currency: rec.currency, message: text,
      ...(rec.summary ? { summary: rec.summary.text, summaryMethod: rec.summary.method } : {}),
    },
  };
}

function unbookedResult(rec: BookingRecord, ctx: ToolContext): CallToolResult {
  const text = rec.reason ?? `Not booked (${rec.status}).`;
  // Failing to get a confirmation is an error the model should see; the user's own "no" is not.
  if (rec.status === 'confirmation_failed') return { content: [{ type: 'text', text }, link(rec, ctx)], isError: true };
  return {
    content: [{ type: 'text', text }, link(rec, ctx)],
    structuredContent: { status: rec.status, bookingId: rec.id, uri: rec.uri, message: text },
  };
}
