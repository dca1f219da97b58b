/**
 * The travel agent's offline world: a bundled table of invented flights and hotels
 * (data/travel.json), trip requests checked against it, and priced quotes. Pure functions
 * of the table and the request, so a re-run after a restart quotes the same trip.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Fare classes, cheapest first. */
export const FARE_CLASSES = ['economy', 'premium', 'business'] as const;
export type FareClass = (typeof FARE_CLASSES)[number];

/** A city of the table, matched by name, code or alias. */
export interface City {
  name: string;
  code: string;
  country: string;
  aliases: string[];
}

/** A scheduled flight (invented). */
export interface Flight {
  number: string;
  carrier: string;
  from: string;
  to: string;
  depart: string;
  arrive: string;
  /** Round-trip fare per person, by class. */
  fares: Record<FareClass, number>;
  /** Days of the week it flies (0 Sunday); every day when absent. */
  days?: number[];
}

/** A hotel (invented); two travellers per room. */
export interface Hotel {
  id: string;
  city: string;
  name: string;
  area: string;
  stars: number;
  rating: number;
  /** Per room per night. */
  nightly: number;
}

/** data/travel.json. */
export interface TravelTable {
  currency: string;
  cities: City[];
  flights: Flight[];
  hotels: Hotel[];
}

/** A request checked against the table, with its dates resolved. */
export interface TripRequest {
  origin: City;
  destination: City;
  /** YYYY-MM-DD. */
  depart: string;
  /** YYYY-MM-DD, after `depart`. */
  return: string;
  nights: number;
  travellers: number;
  budget: number | undefined;
}

/** The priced trip the user is asked to confirm. */
export interface TripQuote {
  flight: Flight;
  /** Flights on the departure day, cheapest first. */
  flightsFound: number;
  hotel: Hotel;
  hotelsFound: number;
  rooms: number;
  /** Per person, round trip, by class, after the day-of-week adjustment. */
  fares: Record<FareClass, number>;
  hotelTotal: number;
  /** Whole trip by class. */
  totals: Record<FareClass, number>;
  /** The classes whose total fits the budget (all without one), cheapest first. */
  offered: FareClass[];
}

/** A quote, or why there is none (and the cheapest total when the budget was the reason). */
export type QuoteOutcome =
  | { ok: true; quote: TripQuote }
  | { ok: false; reason: string; cheapest?: number };

/** Default stay when only a departure date is given, and default lead time without dates. */
export const DEFAULT_NIGHTS = 4;
export const DEFAULT_LEAD_DAYS = 21;
const MAX_NIGHTS = 30;
const MAX_AHEAD_DAYS = 730;
const DAY_MS = 86_400_000;

/** Load the table from `dataDir/travel.json`. */
export async function loadTravelTable(dataDir: string): Promise<TravelTable> {
  const raw = JSON.parse(await readFile(join(dataDir, 'travel.json'), 'utf8')) as TravelTable;
  if (!Array.isArray(raw.cities) || !Array.isArray(raw.flights) || !Array.isArray(raw.hotels)) throw new Error('travel.json lacks cities, flights or hotels');
  return raw;
}

/** The city a name, code or alias names (case-insensitive), if any. */
export function findCity(table: TravelTable, text: string): City | undefined {
  const key = text.trim().toLowerCase();
  return table.cities.find((c) => c.name.toLowerCase() === key || c.code.toLowerCase() === key || c.aliases.includes(key));
}

/** Cities reachable from `origin` in the table. */
export function destinationsFrom(table: TravelTable, origin: City): City[] {
  const codes = new Set(table.flights.filter((f) => f.from === origin.code).map((f) => f.to));
  return table.cities.filter((c) => codes.has(c.code));
}

/** The trip as asked for, before checking. */
export interface TripArgs {
  destination: string;
  origin?: string;
  dates?: string;
  travellers?: number;
  budget?: number;
}

/** Check the arguments against the table and resolve the dates; `today` is YYYY-MM-DD. */
export function resolveTrip(table: TravelTable, args: TripArgs, today: string): TripRequest | { error: string } {
  const origin = findCity(table, args.origin ?? 'London');
  if (!origin) return { error: `Unknown origin "${args.origin}". Flights leave from ${originNames(table)}.` };
  const reachable = destinationsFrom(table, origin);
  const destination = findCity(table, args.destination);
  if (!destination || !reachable.includes(destination)) {
    const what = destination ? `There are no flights from ${origin.name} to ${destination.name}` : `Unknown destination "${args.destination}"`;
    return { error: `${what}. From ${origin.name} you can fly to ${reachable.map((c) => c.name).join(', ')}.` };
  }
  const dates = resolveDates(args.dates, today);
  if ('error' in dates) return dates;
  return { origin, destination, ...dates, travellers: args.travellers ?? 1, budget: args.budget };
}

function originNames(table: TravelTable): string {
  const codes = new Set(table.flights.map((f) => f.from));
  return table.cities.filter((c) => codes.has(c.code)).map((c) => c.name).join(', ');
}

/** Dates as `YYYY-MM-DD`, `YYYY-MM-DD/YYYY-MM-DD`, `.. ` or ` to ` between; absent: three weeks out, four nights. */
export function resolveDates(text: string | undefined, today: string): { depart: string; return: string; nights: number } | { error: string } {
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  if (text === undefined || text.trim() === '') {
    const depart = isoDay(todayMs + DEFAULT_LEAD_DAYS * DAY_MS);
    return { depart, return: isoDay(todayMs + (DEFAULT_LEAD_DAYS + DEFAULT_NIGHTS) * DAY_MS), nights: DEFAULT_NIGHTS };
  }
  const parts = text.trim().split(/\s*(?:\/|\.\.|\bto\b)\s*/i);
  const days = parts.map(parseDay);
  if (parts.length > 2 || days.some((d) => d === undefined)) return { error: `Dates "${text}" are not YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD.` };
  const departMs = days[0]!;
  const returnMs = days[1] ?? departMs + DEFAULT_NIGHTS * DAY_MS;
  const nights = Math.round((returnMs - departMs) / DAY_MS);
  if (departMs < todayMs) return { error: `The departure date ${isoDay(departMs)} is in the past (today is ${today}).` };
  if (departMs > todayMs + MAX_AHEAD_DAYS * DAY_MS) return { error: `The timetable only covers the next ${MAX_AHEAD_DAYS} days.` };
  if (nights < 1) return { error: 'The return date must be after the departure date.' };
  if (nights > MAX_NIGHTS) return { error: `Trips can last at most ${MAX_NIGHTS} nights.` };
  return { depart: isoDay(departMs), return: isoDay(returnMs), nights };
}

function parseDay(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real date prints back unchanged.
  return Number.isNaN(ms) || isoDay(ms) !== text ? undefined : ms;
}

/** YYYY-MM-DD of a UTC time. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "Fri 1 May 2026". */
export function longDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${weekday} ${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}

/** Fares rise on the busiest days (Friday and Sunday) and fall midweek. */
function fareFactor(weekday: number): number {
  if (weekday === 5 || weekday === 0) return 1.15;
  if (weekday === 2 || weekday === 3) return 0.9;
  return 1;
}

/** Flights of the route on `day`, cheapest economy first (then earliest). */
export function flightsOn(table: TravelTable, trip: Pick<TripRequest, 'origin' | 'destination'>, day: string): Flight[] {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return table.flights
    .filter((f) => f.from === trip.origin.code && f.to === trip.destination.code && (f.days === undefined || f.days.includes(weekday)))
    .sort((a, b) => a.fares.economy - b.fares.economy || a.depart.localeCompare(b.depart));
}

/** Hotels of the destination, best rated first. */
export function hotelsIn(table: TravelTable, city: City): Hotel[] {
  return table.hotels.filter((h) => h.city === city.code).sort((a, b) => b.rating - a.rating || a.nightly - b.nightly);
}

/** Room cost for the stay: Friday and Saturday nights cost a fifth more. */
function hotelCost(hotel: Hotel, trip: TripRequest, rooms: number): number {
  const start = Date.parse(`${trip.depart}T00:00:00Z`);
  let sum = 0;
  for (let i = 0; i < trip.nights; i++) {
    const weekday = new Date(start + i * DAY_MS).getUTCDay();
    sum += Math.round(hotel.nightly * (weekday === 5 || weekday === 6 ? 1.2 : 1));
  }
  return sum * rooms;
}

/**
 * Price the trip: the cheapest flight that day, and the hotel with the best balance of
 * guest rating and price, or with a budget, the best-rated hotel whose economy total fits.
 */
export function quoteTrip(table: TravelTable, trip: TripRequest): QuoteOutcome {
  const flights = flightsOn(table, trip, trip.depart);
  const hotels = hotelsIn(table, trip.destination);
  const flight = flights[0];
  if (!flight) return { ok: false, reason: `No flight from ${trip.origin.name} to ${trip.destination.name} on ${longDay(trip.depart)}.` };
  if (hotels.length === 0) return { ok: false, reason: `No hotel in ${trip.destination.name} is in the table.` };
  const rooms = Math.ceil(trip.travellers / 2);
  const factor = fareFactor(new Date(`${trip.depart}T00:00:00Z`).getUTCDay());
  const fares = Object.fromEntries(FARE_CLASSES.map((c) => [c, Math.round(flight.fares[c] * factor)])) as Record<FareClass, number>;
  const totalFor = (hotel: Hotel, fareClass: FareClass) => fares[fareClass] * trip.travellers + hotelCost(hotel, trip, rooms);

  let hotel: Hotel | undefined;
  if (trip.budget === undefined) {
    hotel = [...hotels].sort((a, b) => value(b) - value(a))[0];
  } else {
    hotel = hotels.find((h) => totalFor(h, 'economy') <= trip.budget!);
    if (!hotel) {
      const cheapest = Math.min(...hotels.map((h) => totalFor(h, 'economy')));
      return { ok: false, reason: `Nothing fits a budget of ${money(trip.budget, table.currency)}: the cheapest trip costs ${money(cheapest, table.currency)}.`, cheapest };
    }
  }
  const chosen = hotel!;
  const hotelTotal = hotelCost(chosen, trip, rooms);
  const totals = Object.fromEntries(FARE_CLASSES.map((c) => [c, totalFor(chosen, c)])) as Record<FareClass, number>;
  const offered = FARE_CLASSES.filter((c) => trip.budget === undefined || totals[c] <= trip.budget);
  return { ok: true, quote: { flight, flightsFound: flights.length, hotel: chosen, hotelsFound: hotels.length, rooms, fares, hotelTotal, totals, offered } };
}

/** "Good value": twice the guest rating, less the nightly rate in hundreds. */
function value(h: Hotel): number {
  return h.rating * 2 - h.nightly / 100;
}

/** "€1,234" (whole units). */
export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(amount);
}
