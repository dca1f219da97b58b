// The travel table: resolving requests, dates, quotes and budgets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bundledDataDir } from './index.ts';
import { flightsOn, loadTravelTable, longDay, quoteTrip, resolveDates, resolveTrip, type TripRequest } from './travel-data.ts';

const table = await loadTravelTable(bundledDataDir());
const TODAY = '2026-04-01';
const trip = (args: Parameters<typeof resolveTrip>[1]) => resolveTrip(table, args, TODAY) as TripRequest;

const dates = suite('travel data: dates');

dates('absent dates: three weeks out, four nights', () => {
  assert.equal(resolveDates(undefined, TODAY), { depart: '2026-04-22', return: '2026-04-26', nights: 4 });
});

dates('one date, an interval with /, .. or "to"', () => {
  assert.equal(resolveDates('2026-05-01', TODAY), { depart: '2026-05-01', return: '2026-05-05', nights: 4 });
  for (const text of ['2026-05-01/2026-05-03', '2026-05-01..2026-05-03', '2026-05-01 to 2026-05-03']) {
    assert.equal(resolveDates(text, TODAY), { depart: '2026-05-01', return: '2026-05-03', nights: 2 });
  }
});

dates('impossible, past, reversed and over-long dates are explained', () => {
  assert.match((resolveDates('2026-02-30', TODAY) as { error: string }).error, /not YYYY-MM-DD/);
  assert.match((resolveDates('2026-03-01', TODAY) as { error: string }).error, /in the past/);
  assert.match((resolveDates('2026-05-03/2026-05-01', TODAY) as { error: string }).error, /after the departure/);
  assert.match((resolveDates('2026-05-01/2026-07-01', TODAY) as { error: string }).error, /at most 30 nights/);
  assert.is(longDay('2026-05-01'), 'Fri 1 May 2026');
});

dates.run();

const quotes = suite('travel data: places and quotes');

quotes('cities match by name, code or alias; unknown ones list what is possible', () => {
  assert.is(trip({ destination: 'LIS' }).destination.name, 'Lisbon');
  assert.is(trip({ destination: 'marrakech' }).destination.name, 'Marrakesh');
  assert.match((resolveTrip(table, { destination: 'Oslo' }, TODAY) as { error: string }).error, /From London you can fly to Paris, Lisbon/);
  assert.match((resolveTrip(table, { destination: 'Reykjavik', origin: 'Paris' }, TODAY) as { error: string }).error, /no flights from Paris to Reykjavik/);
});

quotes('flights that do not fly that weekday are left out; the cheapest is chosen', () => {
  const t = trip({ destination: 'Lisbon', dates: '2026-05-03' }); // a Sunday: AU 1502 does not fly
  assert.equal(flightsOn(table, t, t.depart).map((f) => f.number), ['NW 214', 'NW 216']);
  const q = quoteTrip(table, trip({ destination: 'Lisbon', dates: '2026-05-05' }));
  assert.ok(q.ok);
  if (q.ok) assert.is(q.quote.flight.number, 'AU 1502');
});

quotes('totals: fares times travellers plus rooms (two per room) per night; classes priced in order', () => {
  const q = quoteTrip(table, trip({ destination: 'Rome', dates: '2026-05-05', travellers: 3 }));
  assert.ok(q.ok);
  if (!q.ok) return;
  assert.is(q.quote.rooms, 2);
  assert.is(q.quote.totals.economy, q.quote.fares.economy * 3 + q.quote.hotelTotal);
  assert.ok(q.quote.totals.economy < q.quote.totals.premium && q.quote.totals.premium < q.quote.totals.business);
  assert.equal(q.quote.offered, ['economy', 'premium', 'business']);
});

quotes('a budget picks the best hotel that fits and offers only the classes within it', () => {
  const q = quoteTrip(table, trip({ destination: 'Rome', dates: '2026-05-05', budget: 800 }));
  assert.ok(q.ok);
  if (q.ok) {
    assert.equal(q.quote.offered, ['economy', 'premium']);
    assert.ok(q.quote.totals.premium <= 800);
  }
  const none = quoteTrip(table, trip({ destination: 'Tokyo', budget: 300 }));
  assert.not.ok(none.ok);
  if (!none.ok) assert.match(none.reason, /cheapest trip costs €1,275/);
});

quotes.run();
