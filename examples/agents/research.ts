/**
 * `research_agent`: ranks the corpus for a topic, reads the best sources one by one
 * (progress per source, each finding as a log message and as an update of the report
 * resource), then asks the client's model for a summary (sampling), or writes its own
 * extractive summary when the client has no sampling or the request fails. The report at
 * `agents://reports/{id}` cites every source.
 */
import type { CallToolResult, ContentBlock, CreateMessageResult } from 'mcpwire/protocol';
import type { ToolContext, ToolDefinition } from 'mcpwire/server';
import { extractiveSummary, findings, terms, unmatchedWords, type CorpusIndex } from './corpus.ts';
import { recordId } from './identity.ts';
import {
  CORPUS_BASE, DEPTHS, reportUri, type Depth, type ReportFinding, type ReportRecord, type ReportSummary,
} from './report.ts';
import { saveRecord, type AgentRuntime } from './runtime.ts';
import { cancelledByClient, createSteps, type Steps } from './steps.ts';

/** How far each depth reads: sources, findings per source, sentences in the extractive summary. */
const DEPTH: Record<Depth, { sources: number; perSource: number; sentences: number }> = {
  quick: { sources: 3, perSource: 1, sentences: 3 },
  standard: { sources: 5, perSource: 2, sentences: 4 },
  deep: { sources: 8, perSource: 3, sentences: 6 },
};

/** The tool's arguments as the schema admits them. */
export interface ResearchArgs {
  topic: string;
  depth?: Depth;
}

/** The `research_agent` definition (2025-11-25 server/tools): input and output schemas. */
export const RESEARCH_TOOL: ToolDefinition = {
  name: 'research_agent',
  // Runs as a task when the client and server support tasks (2025-11-25 core, 2026-07-28 extension):
  // the re-run after a restart keeps its record, named by the task id (identity.ts).
  execution: { taskSupport: 'optional' },
  title: 'Research agent',
  description: 'Researches a topic in a local library of documents: ranks the sources, reads them one by one '
    + '(progress and findings as it goes), asks your model for a summary (or writes an extractive one), and '
    + 'returns a report that cites its sources (agents://reports/{id}, readable and subscribable while it is written).',
  inputSchema: {
    type: 'object',
    properties: {
      topic: { type: 'string', minLength: 2, maxLength: 200, description: 'What to research, e.g. "grid batteries" or "AI trends".' },
      depth: { type: 'string', enum: [...DEPTHS], default: 'standard', description: 'quick: 3 sources; standard: 5; deep: 8.' },
    },
    required: ['topic'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['complete', 'no_sources', 'cancelled'] },
      reportId: { type: 'string' },
      uri: { type: 'string' },
      topic: { type: 'string' },
      summary: { type: 'string' },
      summaryMethod: { type: 'string', enum: ['sampling', 'extractive'] },
      sources: {
        type: 'array',
        items: {
          type: 'object',
          properties: { n: { type: 'integer' }, title: { type: 'string' }, uri: { type: 'string' }, score: { type: 'number' } },
          required: ['n', 'title', 'uri'],
        },
      },
    },
    required: ['status', 'reportId', 'uri', 'topic', 'sources'],
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
};

/** The `research_agent` handler over an indexed corpus. */
export function createResearchAgent(rt: AgentRuntime, index: CorpusIndex) {
  const corpus = index.corpus;
  const stamp = () => rt.now().toISOString();

  async function update(rec: ReportRecord, change: Partial<ReportRecord>): Promise<ReportRecord> {
    const at = stamp();
    const next: ReportRecord = { ...rec, ...change, updatedAt: at };
    if (change.status !== undefined && change.status !== rec.status) next.history = [...rec.history, { status: change.status, at }];
    await saveRecord(rt, 'reports', next);
    return next;
  }

  return async function researchAgent(args: ResearchArgs, ctx: ToolContext): Promise<CallToolResult> {
    const depth = args.depth ?? 'standard';
    const topic = args.topic.trim();
    if (terms(topic).length === 0) return { content: [{ type: 'text', text: `The topic "${topic}" has no words to search for.` }], isError: true };
    const id = recordId('rp', ctx);
    let rec = await rt.store.read<ReportRecord>('reports', id);
    if (rec && (rec.status === 'no_sources' || rec.status === 'cancelled')) return result(rec, ctx);
    if (!rec) {
      const at = stamp();
      rec = {
        id, uri: reportUri(id), status: 'researching', step: 0, topic, depth,
        corpus: { name: corpus.name, documents: corpus.documents.length }, sources: [], findings: [],
        history: [{ status: 'researching', at }], createdAt: at, updatedAt: at,
      };
      await saveRecord(rt, 'reports', rec);
    }
    try {
      return await research(rec, ctx);
    } catch (error) {
      rec = await rt.store.read<ReportRecord>('reports', id) ?? rec;
      // Only the client's cancel ends the report; a shutdown leaves it for the restarted server to resume.
      if (cancelledByClient(ctx.signal) && rec.status !== 'complete') {
        await update(rec, { status: 'cancelled', reason: 'the call was cancelled' });
      }
      throw error;
    }
  };

  async function research(start: ReportRecord, ctx: ToolContext): Promise<CallToolResult> {
    let rec = start;
    const plan = DEPTH[rec.depth];
    const ranked = index.rank(rec.topic);
    const chosen = rec.step >= 2 ? rec.sources : ranked.slice(0, plan.sources).map((r, i) => ({
      n: i + 1, id: r.document.id, title: r.document.title, path: r.document.path, uri: `${CORPUS_BASE}${r.document.id}`, score: r.score,
    }));
    const k = chosen.length;
    const ask = k + 3;
    const total = k + 4;
    const steps = createSteps(ctx, { total, delayMs: rt.stepDelayMs, journaled: rec.step, replaySafeThrough: ask, logger: 'research_agent' });

    await steps.log(1, 'info', `Report on "${rec.topic}": follow it at ${rec.uri}`);
    await steps.step(1, `Ranking ${corpus.documents.length} documents (${corpus.name} corpus) for "${rec.topic}"`);
    if (k === 0) {
      rec = await update(rec, { status: 'no_sources', step: total, reason: `no document in the ${corpus.name} corpus mentions "${rec.topic}"` });
      await steps.step(total, `No sources: nothing in the corpus mentions "${rec.topic}"`, { pause: false });
      return result(rec, ctx);
    }
    if (!steps.done(2)) rec = await update(rec, { step: 2, sources: chosen });
    const unmatched = unmatchedWords(index, rec.topic);
    const partly = unmatched.length === 0 ? '' : ` (no document mentions ${unmatched.map((w) => `"${w}"`).join(' or ')}: they match only the rest of the topic)`;
    await steps.step(2, `Selected ${k} of ${ranked.length} matching documents${partly}: ${chosen.map((s) => `[${s.n}] ${s.title}`).join('; ')}`);

    for (const source of chosen) {
      const n = 2 + source.n;
      const document = corpus.documents.find((d) => d.id === source.id);
      const found: ReportFinding[] = document
        ? findings(index, document, rec.topic, plan.perSource).map((f) => ({ source: source.n, ...f }))
        : rec.findings.filter((f) => f.source === source.n);
      if (!steps.done(n)) rec = await update(rec, { step: n, findings: [...rec.findings.filter((f) => f.source !== source.n), ...found] });
      for (const f of found) await steps.log(n, 'info', `[${source.n}] ${source.title}: ${f.text}`);
      await steps.step(n, `Read source ${source.n}/${k}: ${source.title} (relevance ${source.score}, ${found.length} finding${found.length === 1 ? '' : 's'})`);
    }

    // 2025-11-25 client/sampling: only clients that declared the capability are asked.
    const canSample = Boolean(ctx.clientCapabilities.sampling);
    await steps.step(ask, canSample
      ? `Asking your model to summarise ${rec.findings.length} findings`
      : `Writing an extractive summary of ${rec.findings.length} findings (this client offers no sampling)`, { pause: !canSample });
    if (!rec.summary) {
      const summary = canSample ? await sampled(rec, ctx, steps, ask) : extractive(rec);
      rec = await update(rec, { status: 'summarizing', step: ask, summary });
    }
    if (!steps.done(total)) rec = await update(rec, { status: 'complete', step: total });
    await steps.step(total, `Report complete: ${rec.uri}`, { pause: false });
    return result(rec, ctx);
  }

  function extractive(rec: ReportRecord, note?: string): ReportSummary {
    const text = extractiveSummary(rec.findings, DEPTH[rec.depth].sentences);
    return note === undefined ? { text, method: 'extractive' } : { text, method: 'extractive', note };
  }

  /** Ask the client's model; on any failure but our own cancellation, fall back to the extractive summary. */
  async function sampled(rec: ReportRecord, ctx: ToolContext, steps: Steps, n: number): Promise<ReportSummary> {
    const numbered = rec.sources.map((s) => {
      const lines = rec.findings.filter((f) => f.source === s.n).map((f) => `  - ${f.text}`);
      return `[${s.n}] ${s.title}\n${lines.join('\n')}`;
    }).join('\n');
    const sentences = DEPTH[rec.depth].sentences;
    let reply: CreateMessageResult;
    try {
      reply = await ctx.sample({
        systemPrompt: 'You write short research summaries. Use only the numbered findings given. Cite every claim with its source number in square brackets, like [2].',
        messages: [{ role: 'user', content: { type: 'text', text: `Topic: ${rec.topic}\n\nFindings:\n${numbered}\n\nSummarise the findings in at most ${sentences} sentences, citing sources as [n].` } }],
        maxTokens: 400,
        temperature: 0.2,
        includeContext: 'none',
        modelPreferences: { intelligencePriority: 0.7, speedPriority: 0.4, costPriority: 0.3 },
      }, rt.summaryTimeoutMs === undefined ? {} : { timeoutMs: rt.summaryTimeoutMs });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const why = error instanceof Error ? error.message : String(error);
      // Logged only by the run that asked: a re-run that finds the summary on disk says nothing new.
      await steps.log(n, 'warning', `The client's model did not answer (${why}); using an extractive summary instead.`);
      return extractive(rec, `The client's model was asked first and did not answer (${why}).`);
    }
    const blocks: ContentBlock[] = Array.isArray(reply.content) ? reply.content as ContentBlock[] : [reply.content as ContentBlock];
    const text = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n').trim();
    if (text === '') return extractive(rec, "The client's model answered without text.");
    return { text, method: 'sampling', model: reply.model };
  }
}

function result(rec: ReportRecord, ctx: ToolContext): CallToolResult {
  const status = rec.status === 'no_sources' || rec.status === 'cancelled' ? rec.status : 'complete';
  const sources = rec.sources.map((s) => ({ n: s.n, title: s.title, uri: s.uri, score: s.score }));
  const lines: string[] = [];
  if (status === 'complete' && rec.summary) {
    lines.push(`Research on "${rec.topic}" (${rec.summary.method === 'sampling' ? `summary by ${rec.summary.model ?? "the client's model"}` : 'extractive summary'}):`, '', rec.summary.text, '', 'Sources:');
    for (const s of rec.sources) lines.push(`[${s.n}] ${s.title} (${s.uri})`);
  } else {
    lines.push(`No report on "${rec.topic}": ${rec.reason ?? rec.status}.`);
  }
  const text = lines.join('\n');
  const content: ContentBlock[] = [
    { type: 'text', text },
    ctx.resourceLink(rec.uri, `report-${rec.id.slice(3, 11)}`, { title: `Research report: ${rec.topic}`, mimeType: 'text/markdown', description: `Status: ${rec.status}` }),
    ...rec.sources.map((s) => ctx.resourceLink(s.uri, s.id, { title: `[${s.n}] ${s.title}` })),
  ];
  const structured: Record<string, unknown> = { status, reportId: rec.id, uri: rec.uri, topic: rec.topic, sources };
  if (rec.summary) Object.assign(structured, { summary: rec.summary.text, summaryMethod: rec.summary.method });
  return { content, structuredContent: structured };
}
