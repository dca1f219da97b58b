/**
 * Analysis off the copy path. The proxies forward each chunk first, at once, and hand the
 * work of reading it (framing, JSON parsing, schema checks, the live view) to this queue,
 * which runs it later in short slices between turns of the event loop, so a busy tracer
 * delays its own analysis, never the traffic. The queue is bounded by bytes: past the bound
 * a chunk is not analysed at all (it was already passed on), and the trace shows
 * "analysis skipped N messages" where the gap is.
 */
import { LocalErrorCode, McpError } from 'mcpwire/protocol';
import type { TraceDirection } from './record.ts';

/** Default bound of {@link DeferredAnalysisOptions.maxQueuedBytes}: 16 MiB. */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;

/** What a job with no bytes of its own (an HTTP event, a report) counts against the bound. */
const JOB_OVERHEAD_BYTES = 64;
/** How long one turn of analysis may hold the event loop before it lets I/O run. */
const SLICE_MS = 2;

export interface DeferredAnalysisOptions {
  /** Bytes waiting for analysis at most; a chunk that would pass the bound is skipped. Default 16 MiB. */
  maxQueuedBytes?: number;
  /** Told, in trace order, how many messages of one direction went unanalysed since the last report. */
  onSkipped: (count: number, direction: TraceDirection) => void;
}

interface Job {
  readonly bytes: number;
  readonly run: () => void;
}

/** A FIFO of analysis jobs, run on `setImmediate` in slices of about {@link SLICE_MS} ms. */
export class DeferredAnalysis {
  readonly #max: number;
  readonly #onSkipped: (count: number, direction: TraceDirection) => void;
  #jobs: Array<Job | undefined> = [];
  #head = 0;
  #queued = 0;
  #scheduled = false;
  #skipped: Record<TraceDirection, number> = { 'client-to-server': 0, 'server-to-client': 0 };
  #idle: Array<() => void> = [];

  constructor(options: DeferredAnalysisOptions) {
    const max = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) throw new McpError(LocalErrorCode.Validation, `maxQueuedBytes must be a positive integer, got ${String(max)}`);
    this.#max = max;
    this.#onSkipped = options.onSkipped;
  }

  /** Bytes waiting for analysis now. */
  get queuedBytes(): number {
    return this.#queued;
  }

  /**
   * Queue `run` (analysis of `bytes` bytes already passed on). Returns false, and runs
   * nothing, when the queue is full: the caller then reports what it drops with {@link skip}.
   */
  enqueue(bytes: number, run: () => void): boolean {
    if (!this.fits(bytes)) return false;
    this.#reportSkipped();
    this.#push({ bytes: Math.max(bytes, JOB_OVERHEAD_BYTES), run });
    return true;
  }

  /** True when a job of `bytes` bytes would be queued now. */
  fits(bytes: number): boolean {
    return this.#queued + Math.max(bytes, JOB_OVERHEAD_BYTES) <= this.#max;
  }

  /** Note `count` messages of `direction` that will not be analysed (reported before the next job). */
  skip(count: number, direction: TraceDirection): void {
    this.#skipped[direction] += count;
    this.#schedule();
  }

  /** Run everything queued now (the trace is ending). */
  drain(): void {
    while (this.#head < this.#jobs.length) this.#runNext();
    this.#reportSkipped();
    while (this.#head < this.#jobs.length) this.#runNext();
    this.#settle();
  }

  /** Resolves once nothing is queued. */
  idle(): Promise<void> {
    if (this.#head >= this.#jobs.length && !this.#hasSkipped()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #push(job: Job): void {
    this.#jobs.push(job);
    this.#queued += job.bytes;
    this.#schedule();
  }

  /** The gap goes into the trace where it happened: before the next job queued. */
  #reportSkipped(): void {
    for (const direction of ['client-to-server', 'server-to-client'] as const) {
      const count = this.#skipped[direction];
      if (count === 0) continue;
      this.#skipped[direction] = 0;
      this.#push({ bytes: JOB_OVERHEAD_BYTES, run: () => this.#onSkipped(count, direction) });
    }
  }

  #hasSkipped(): boolean {
    return this.#skipped['client-to-server'] > 0 || this.#skipped['server-to-client'] > 0;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#turn());
  }

  #turn(): void {
    this.#scheduled = false;
    const until = performance.now() + SLICE_MS;
    while (this.#head < this.#jobs.length && performance.now() < until) this.#runNext();
    if (this.#head >= this.#jobs.length) this.#reportSkipped();
    if (this.#head >= this.#jobs.length) this.#settle();
    else {
      if (this.#head > 1024) {
        this.#jobs = this.#jobs.slice(this.#head);
        this.#head = 0;
      }
      this.#schedule();
    }
  }

  #runNext(): void {
    const job = this.#jobs[this.#head]!;
    this.#jobs[this.#head++] = undefined; // let the chunk go
    this.#queued -= job.bytes;
    job.run();
  }

  #settle(): void {
    this.#jobs = [];
    this.#head = 0;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
