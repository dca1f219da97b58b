/**
 * The agents' resources (2025-11-25 server/resources): bookings and reports through
 * templates (read from the durable store, so they outlive the call and the process), each
 * one also listed in `resources/list` (paginated by the server, subscribable), and one
 * listed resource per corpus document, which reports link to as their sources.
 */
import type { McpServer } from 'mcpwire/server';
import type { RecordKind } from './store.ts';
import type { Corpus } from './corpus.ts';
import { CORPUS_BASE, REPORT_TEMPLATE, renderReport, type ReportRecord } from './report.ts';
import type { RecordStore } from './store.ts';
import { BOOKING_TEMPLATE, type BookingRecord } from './travel.ts';

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

/** A resource entry per record: read from the store, so it is always the latest state. */
export function createRecordListing(server: McpServer, store: RecordStore): RecordListing {
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
      for (const kind of ['bookings', 'reports'] as const) {
        for (const id of await store.list(kind)) {
          const rec = await store.read<{ id: string; uri: string }>(kind, id);
          if (rec) {
            add(kind, rec);
            n++;
          }
        }
      }
      return n;
    },
  };
}
