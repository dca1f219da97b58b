/**
 * The agents' resources (2025-11-25 server/resources): bookings and reports through
 * templates (read from the durable store, so they outlive the call and the process), and
 * one listed resource per corpus document, which reports link to as their sources.
 */
import type { McpServer } from 'mcpwire/server';
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
