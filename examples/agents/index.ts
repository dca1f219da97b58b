/**
 * The agents server of the demo: `travel_agent` and `research_agent` as long-running MCP
 * tools, their bookings and reports as resources, the research corpus as resources.
 * `mcpwire serve --agents` serves them (README, "Commands").
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServer } from 'mcpwire/server';
import { indexCorpus, loadCorpus, type Corpus, type CorpusLimits } from './corpus.ts';
import { createResearchAgent, RESEARCH_TOOL, type ResearchArgs } from './research.ts';
import { createRecordListing, recordProblem, registerAgentResources } from './resources.ts';
import type { AgentRuntime } from './runtime.ts';
import { createRecordStore } from './store.ts';
import { createTravelAgent, TRAVEL_TOOL, type TravelArgs } from './travel.ts';
import { loadTravelTable } from './travel-data.ts';

/** Default pause between steps: slow enough to watch, quick enough not to bore. */
export const DEFAULT_STEP_DELAY_MS = 400;

/** Options of {@link registerAgents}. */
export interface AgentsOptions {
  /**
   * Keep bookings and reports under `<stateDir>/agents/`. Without it they go to a fresh
   * temporary directory per process (reported through `onNotice`, removed by `close()`).
   */
  stateDir?: string;
  /**
   * Keep bookings and reports here instead of `<stateDir>/agents/`. Several servers may share
   * one records directory: an idempotency key then books once across all of them.
   */
  recordsDir?: string;
  /** Research this folder's .md/.markdown/.txt files instead of the bundled documents. */
  corpusDir?: string;
  corpusLimits?: CorpusLimits;
  /** Pause between steps, ms. Default {@link DEFAULT_STEP_DELAY_MS}; tests use 0. */
  stepDelayMs?: number;
  /** Wait this long for the user's confirmation; default: the server's elicitation timeout. */
  confirmTimeoutMs?: number;
  /** Wait this long for the client's model; default: the server's sampling timeout. */
  summaryTimeoutMs?: number;
  /** The clock (default travel dates, record timestamps). */
  now?: () => Date;
  /** Lines for the operator (stderr in the CLI). */
  onNotice?: (message: string) => void;
}

/** What registering the agents set up. */
export interface Agents {
  /** The directory holding `bookings/` and `reports/`. */
  readonly recordsDir: string;
  readonly corpus: Corpus;
  /** Remove the temporary records directory, if one was made. */
  close(): Promise<void>;
}

/** Where the bundled data lives: beside this file, or beside its source when run from dist/. */
export function bundledDataDir(): string {
  const candidates = [new URL('./data/', import.meta.url), new URL('../../../examples/agents/data/', import.meta.url)];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(join(dir, 'travel.json'))) return dir;
  }
  throw new Error('cannot find the agents data folder (examples/agents/data)');
}

/** Register the agents' tools and resources on `server`. */
export async function registerAgents(server: McpServer, options: AgentsOptions = {}): Promise<Agents> {
  const notice = options.onNotice ?? (() => {});
  const dataDir = bundledDataDir();
  // The inputs first: a bad --corpus fails before any folder is made.
  const table = await loadTravelTable(dataDir);
  const corpus = options.corpusDir === undefined
    ? await loadCorpus(join(dataDir, 'corpus'), 'bundled', options.corpusLimits)
    : await loadCorpus(resolve(options.corpusDir), basename(resolve(options.corpusDir)), options.corpusLimits);
  let recordsDir: string;
  let temporary = false;
  if (options.recordsDir !== undefined) {
    recordsDir = resolve(options.recordsDir);
  } else if (options.stateDir !== undefined) {
    recordsDir = join(resolve(options.stateDir), 'agents');
  } else {
    recordsDir = await mkdtemp(join(tmpdir(), 'mcpwire-agents-'));
    temporary = true;
    notice(`no --state: bookings and reports are kept in ${recordsDir} for this process only`);
  }
  // A damaged record is set aside and told; its booking or report starts over (store.ts).
  const store = await createRecordStore(recordsDir, { check: recordProblem, onNotice: notice });

  if (corpus.documents.length === 0) notice(`the corpus ${corpus.name} has no .md, .markdown or .txt files; research will find nothing`);

  registerAgentResources(server, store, corpus);
  const listing = createRecordListing(server, store, notice);
  await listing.loadExisting();
  const rt: AgentRuntime = {
    store,
    listed: (kind, record) => listing.add(kind, record),
    resourceUpdated: (uri) => server.resourceUpdated(uri),
    stepDelayMs: options.stepDelayMs ?? DEFAULT_STEP_DELAY_MS,
    now: options.now ?? (() => new Date()),
    confirmTimeoutMs: options.confirmTimeoutMs,
    summaryTimeoutMs: options.summaryTimeoutMs,
  };
  server.tool<TravelArgs>(TRAVEL_TOOL, createTravelAgent(rt, table));
  server.tool<ResearchArgs>(RESEARCH_TOOL, createResearchAgent(rt, indexCorpus(corpus)));
  return {
    recordsDir,
    corpus,
    async close() {
      if (temporary) await rm(recordsDir, { recursive: true, force: true });
    },
  };
}

export { createRecordStore } from './store.ts';
export type { RecordStore, RecordKind } from './store.ts';
export type { BookingRecord, BookingStatus } from './travel.ts';
export type { ReportRecord, ReportStatus, Depth } from './report.ts';
