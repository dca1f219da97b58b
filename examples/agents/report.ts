/** The research report: its durable record and its markdown rendering (`agents://reports/{id}`). */
import { URI_BASE } from './runtime.ts';

/** How thoroughly research_agent reads (see research.ts for what each means). */
export const DEPTHS = ['quick', 'standard', 'deep'] as const;
export type Depth = (typeof DEPTHS)[number];

/** Where a report stands; `no_sources` and `cancelled` end it without a summary. */
export type ReportStatus = 'researching' | 'summarizing' | 'complete' | 'no_sources' | 'cancelled';

/** A cited source. */
export interface ReportSource {
  /** Citation number, from 1, in rank order. */
  n: number;
  id: string;
  title: string;
  path: string;
  uri: string;
  score: number;
}

/** A finding, tied to its source's citation number. */
export interface ReportFinding {
  /** The citation number of its source. */
  source: number;
  index: number;
  text: string;
  score: number;
}

/** The report's summary and who wrote it. */
export interface ReportSummary {
  text: string;
  method: 'sampling' | 'extractive';
  /** The model that wrote it (sampling). */
  model?: string;
  /** Why the summary is extractive although sampling was tried. */
  note?: string;
}

/** The durable report. */
export interface ReportRecord {
  id: string;
  uri: string;
  status: ReportStatus;
  /** The last step whose effects are recorded. */
  step: number;
  topic: string;
  depth: Depth;
  corpus: { name: string; documents: number };
  sources: ReportSource[];
  findings: ReportFinding[];
  summary?: ReportSummary;
  reason?: string;
  history: Array<{ status: ReportStatus; at: string }>;
  createdAt: string;
  updatedAt: string;
}

/** The reports resource template, and the URI of one report. */
export const REPORT_TEMPLATE = `${URI_BASE}reports/{id}`;
export const reportUri = (id: string) => `${URI_BASE}reports/${id}`;
/** Prefix of the corpus documents' URIs. */
export const CORPUS_BASE = `${URI_BASE}corpus/`;

/** The report as markdown: summary, findings by source, and the cited sources with links. */
export function renderReport(r: ReportRecord): string {
  const out = [
    `# Research report: ${r.topic}`,
    '',
    `Status: ${r.status} · Depth: ${r.depth} · Corpus: ${r.corpus.name} (${r.corpus.documents} documents) · Updated: ${r.updatedAt}`,
    '',
    '## Summary',
    '',
  ];
  if (r.summary) {
    out.push(r.summary.text, '');
    out.push(r.summary.method === 'sampling'
      ? `_Written by the client's model${r.summary.model ? ` (${r.summary.model})` : ''} from the findings below._`
      : `_Extractive: the sentences that best match the topic, quoted from the sources.${r.summary.note ? ` ${r.summary.note}` : ''}_`);
  } else {
    out.push(r.status === 'no_sources' || r.status === 'cancelled' ? `_None: ${r.reason ?? r.status}._` : '_Pending: findings are still coming in._');
  }
  out.push('', '## Findings', '');
  if (r.findings.length === 0) out.push('_None yet._');
  for (const s of r.sources) {
    const mine = r.findings.filter((f) => f.source === s.n);
    if (mine.length === 0) continue;
    out.push(`### [${s.n}] ${s.title}`, '', ...mine.map((f) => `- ${f.text}`), '');
  }
  out.push('', '## Sources', '');
  if (r.sources.length === 0) out.push('_None._');
  for (const s of r.sources) out.push(`- [${s.n}] [${s.title}](${s.uri}) (${s.path}, relevance ${s.score})`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
