/**
 * The agents' resources (2025-11-25 server/resources): bookings and reports through
 * templates (read from the durable store, so they outlive the call and the process), each
 * one also listed in `resources/list` (paginated by the server, subscribable), and one
 * listed resource per corpus document, which reports link to as their sources.
 */
import { join } from 'node:path';
import type { McpServer } from 'mcpwire/server';
import type { Corpus } from './corpus.ts';
import { CORPUS_BASE, REPORT_TEMPLATE, renderReport, reportUri, type ReportRecord } from './report.ts';
import { RECORD_KINDS, type RecordKind, type RecordStore } from './store.ts';
import { BOOKING_TEMPLATE, bookingUri, type BookingRecord } from './travel.ts';

/** Register the booking and report templates and one resource per corpus document. */
export function registerAgentResources(server: McpServer, store: RecordStore, corpus: Corpus): void {
  server.resourceTemplate({
    uriTemplate: BOOKING_TEMPLATE,
    name: 'booking',
    title: 'Trip booking',
    description: 'A booking made by travel_agent, as JSON: status (searching, awaiting_confirmation, confirmed, booked, '
      + 'or why it was not booked), the trip, the quote and the choice. Subscribe to follow it.',
    mimeType: 'application/json',
  }, async (_uri, variables) => {
    const rec = await store.read<BookingRecord>('bookings', String(variables.id));
    return rec === undefined ? undefined : JSON.stringify(rec, null, 2);
  });

  server.resourceTemplate({
    uriTemplate: REPORT_TEMPLATE,
    name: 'report',
    title: 'Research report',
    description: 'A report written by research_agent, in markdown: summary, findings per source, and the cited sources. '
      + 'It grows while the agent reads; subscribe to follow it.',
    mimeType: 'text/markdown',
  }, async (_uri, variables) => {
    const rec = await store.read<ReportRecord>('reports', String(variables.id));
    return rec === undefined ? undefined : renderReport(rec);
  });

  for (const doc of corpus.documents) {
    const text = doc.text;
    server.resource({
      uri: `${CORPUS_BASE}${doc.id}`,
      name: doc.id,
      title: doc.title,
      description: `Research source (${corpus.name} corpus): ${doc.path}`,
      mimeType: doc.mimeType,
      size: Buffer.byteLength(text),
    }, () => text);
  }
}

/** Lists bookings and reports in `resources/list`, each once, as they are first saved. */
export interface RecordListing {
  add(kind: RecordKind, record: { id: string; uri: string }): void;
  /** List every record already in the store (those of earlier runs, or of servers sharing it). */
  loadExisting(): Promise<number>;
}

/**
 * Why the stored value `rec` of `kind` record `id` cannot be listed (the fields a listing entry
 * shows), or undefined. A record is written whole (store.ts), so this is damage from outside
 * (a hand edit, a disk fault, another program).
 */
export function recordProblem(kind: RecordKind, id: string, rec: unknown): string | undefined {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return 'not a JSON object';
  const r = rec as Record<string, any>;
  if (r.id !== id) return `its id is not ${id}`;
  if (r.uri !== (kind === 'bookings' ? bookingUri(id) : reportUri(id))) return 'its uri is not the one of its id';
  const strings = kind === 'bookings'
    ? [r.reference, r.trip?.origin?.name, r.trip?.destination?.name, r.trip?.depart]
    : [r.topic, r.depth];
  return strings.every((v) => typeof v === 'string') ? undefined : `it lacks fields a ${kind === 'bookings' ? 'booking' : 'report'} has`;
}

/**
 * A resource entry per record: read from the store, so it is always the latest state.
 * A damaged record is set aside by the store (store.ts, which tells of it) and not listed;
 * `notice` hears of each stored record that cannot be read at all (skipped, left as it is)
 * or that the store was not told to check (not listed, left as it is).
 */
export function createRecordListing(server: McpServer, store: RecordStore, notice: (message: string) => void = () => {}): RecordListing {
  const listed = new Set<string>();
  function add(kind: RecordKind, record: { id: string; uri: string }): void {
    if (listed.has(record.uri)) return;
    listed.add(record.uri);
    if (kind === 'bookings') {
      const b = record as BookingRecord;
      server.resource({
        uri: b.uri, name: `booking-${b.reference}`, mimeType: 'application/json',
        title: `Booking ${b.reference}: ${b.trip.origin.name} → ${b.trip.destination.name} (${b.trip.depart})`,
        description: 'A trip booked (or tried) by travel_agent; read it for its current status. Subscribe to follow it.',
      }, async () => {
        const rec = await store.read<BookingRecord>('bookings', b.id);
        return rec === undefined ? undefined : JSON.stringify(rec, null, 2);
      });
    } else {
      const r = record as ReportRecord;
      server.resource({
        uri: r.uri, name: `report-${r.id.slice(3, 11)}`, mimeType: 'text/markdown',
        title: `Research report: ${r.topic}`,
        description: `A report by research_agent (${r.depth}); read it for its current state. Subscribe to follow it.`,
      }, async () => {
        const rec = await store.read<ReportRecord>('reports', r.id);
        return rec === undefined ? undefined : renderReport(rec);
      });
    }
  }
  return {
    add,
    async loadExisting() {
      let n = 0;
      for (const kind of RECORD_KINDS) {
        for (const id of await store.list(kind)) {
          // One damaged file must not keep the server from starting: the store sets it aside
          // (told by the store); one it cannot read is named here and skipped.
          const file = join(store.dir, kind, `${id}.json`);
          let rec: unknown;
          try {
            rec = await store.read(kind, id);
          } catch (error) {
            notice(`the ${kind} record ${file} cannot be read (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}); it is not listed and is left as it is`);
            continue;
          }
          if (rec === undefined) continue; // set aside as damaged, or removed since it was listed
          const problem = recordProblem(kind, id, rec);
          if (problem !== undefined) {
            notice(`the ${kind} record ${file} is not a ${kind === 'bookings' ? 'booking' : 'report'} (${problem}); it is not listed and is left as it is`);
            continue;
          }
          add(kind, rec as { id: string; uri: string });
          n++;
        }
      }
      return n;
    },
  };
}
