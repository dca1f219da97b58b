/**
 * Run leases of one process's task store (memory and file stores): who runs each task, and
 * until when. One process owns such a store, so the leases live in memory: after a restart
 * every lease is free and the new process takes the unfinished tasks over. Lapsed leases
 * of tasks nobody released are dropped as new ones come.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

/** Leases kept before lapsed ones are swept out. */
const SWEEP_ABOVE = 1024;

/** Run leases by task id, on the store's clock. */
export class TaskLeases {
  readonly #leases = new Map<string, { holder: string; until: number }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** TaskStore.lease. */
  take(taskId: string, holder: string, ms: number): boolean {
    checkLease(holder, ms);
    const now = this.#now();
    const current = this.#leases.get(taskId);
    if (current && current.holder !== holder && current.until > now) return false;
    if (!current && this.#leases.size >= SWEEP_ABOVE) {
      for (const [id, lease] of this.#leases) if (lease.until <= now) this.#leases.delete(id);
    }
    this.#leases.set(taskId, { holder, until: now + ms });
    return true;
  }

  /** TaskStore.releaseLease. */
  release(taskId: string, holder: string): void {
    if (this.#leases.get(taskId)?.holder === holder) this.#leases.delete(taskId);
  }
}

/** A holder is a non-empty string; a lease lasts a positive whole number of ms. */
export function checkLease(holder: string, ms: number): void {
  if (typeof holder !== 'string' || holder === '') throw new McpError(LocalErrorCode.Validation, 'a task lease needs a holder');
  if (!Number.isSafeInteger(ms) || ms < 1) throw new McpError(LocalErrorCode.Validation, `a task lease lasts a positive whole number of ms, got ${ms}`);
}
