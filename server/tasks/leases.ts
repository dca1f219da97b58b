/**
 * Run leases of the tasks this process runs (several instances on one shared TaskStore):
 * a task's lease is taken before its record is stored and renewed every `leaseMs / 3` while
 * it runs here. When the process dies (kill -9) its leases lapse, and another instance takes
 * the task over: when a request about the task reaches it, or at its periodic sweep
 * (runtime.ts). The store makes taking a lease atomic, so exactly one instance re-runs it.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import type { TaskStore } from '../../transport/task-store/types.ts';

/** What the keeper needs from the runtime. */
export interface LeaseKeeperHost {
  /** The lease of `taskId` went to another holder: stop its run here, recording nothing. */
  lost(taskId: string): void;
  report(error: Error): void;
}

/** The leases this process holds, renewed while it lives. */
export class TaskLeaseKeeper {
  /** This process in the store's leases. */
  readonly holder = crypto.randomUUID();
  readonly #store: TaskStore;
  readonly #leaseMs: number;
  readonly #host: LeaseKeeperHost;
  /** Tasks whose lease this process holds, or is taking. */
  readonly #held = new Set<string>();
  readonly #renewer: ReturnType<typeof setInterval>;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #renewing = false;
  #closed = false;
  /** A renewal failed and no beat has renewed cleanly since: the outage was reported already. */
  #outage = false;

  constructor(store: TaskStore, leaseMs: number, host: LeaseKeeperHost) {
    this.#store = store;
    this.#leaseMs = leaseMs;
    this.#host = host;
    this.#renewer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(leaseMs / 3)));
    this.#renewer.unref();
  }

  /** Whether this process holds (or is taking) the lease of `taskId`. */
  has(taskId: string): boolean {
    return this.#held.has(taskId);
  }

  /** Take the lease of `taskId`; true when this process newly holds it. */
  async claim(taskId: string): Promise<boolean> {
    if (this.#closed || this.#held.has(taskId)) return false;
    this.#held.add(taskId); // at once: a second request about the task must not take it too
    let won = false;
    try {
      won = await this.#store.lease(taskId, this.holder, this.#leaseMs);
    } finally {
      if (!won) this.#held.delete(taskId);
    }
    return won;
  }

  /** Give the lease of `taskId` up (the run ended here); store errors are reported. */
  async release(taskId: string): Promise<void> {
    if (!this.#held.delete(taskId)) return;
    await this.#store.releaseLease(taskId, this.holder).catch((e: Error) => this.#host.report(e));
  }

  /**
   * Call `sweep` every `sweepMs` (one at a time) until {@link close}. A failing sweep (the
   * store unreachable) is reported once per outage, naming what failed, as renewals are: again
   * only after a sweep succeeded.
   */
  startSweep(sweepMs: number, sweep: () => Promise<unknown>): void {
    if (this.#sweeper !== undefined || this.#closed) return;
    let sweeping = false;
    let outage = false;
    const failed = (error: Error) => {
      if (outage) return;
      outage = true;
      const code = error instanceof McpError ? error.code : LocalErrorCode.Store;
      this.#host.report(new McpError(code, `cannot look for tasks to take over (tasks whose instance stopped renewing their lease): ${error.message} (retried every ${sweepMs} ms, reported again only after a sweep succeeded)`, { cause: error }));
    };
    this.#sweeper = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      sweep().then(() => { outage = false; }, failed).finally(() => { sweeping = false; });
    }, sweepMs);
    this.#sweeper.unref();
  }

  /** Stop renewing and sweeping and give every lease up, so another instance takes the tasks at once. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#renewer);
    clearInterval(this.#sweeper);
    await Promise.all([...this.#held].map((id) => this.release(id)));
  }

  /**
   * Renew every held lease; one that another holder took stops its run. A store that cannot
   * be reached is reported once per outage (the first failing beat), not once per beat and
   * task: every third of the lease, for every task running here, during the whole outage.
   */
  async #renew(): Promise<void> {
    if (this.#renewing || this.#closed) return;
    this.#renewing = true;
    const failed: Array<{ id: string; error: Error }> = [];
    try {
      await Promise.all([...this.#held].map(async (id) => {
        let kept: boolean;
        try {
          kept = await this.#store.lease(id, this.holder, this.#leaseMs);
        } catch (error) {
          // The store is unreachable: keep running; the next beat tries again.
          failed.push({ id, error: error as Error });
          return;
        }
        if (kept || !this.#held.delete(id)) return;
        this.#host.lost(id);
      }));
    } finally {
      this.#renewing = false;
    }
    if (failed.length === 0) {
      this.#outage = false;
    } else if (!this.#outage) {
      this.#outage = true;
      const [{ id, error }] = failed as [{ id: string; error: Error }];
      const others = failed.length > 1 ? ` (and ${failed.length - 1} other task${failed.length > 2 ? 's' : ''})` : '';
      this.#host.report(new McpError(LocalErrorCode.Store, `cannot renew the lease of task ${id}${others}: ${error.message} (retried every ${Math.max(1, Math.floor(this.#leaseMs / 3))} ms, reported again only after a beat renewed every lease)`, { cause: error }));
    }
  }
}
