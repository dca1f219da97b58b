/**
 * Reports about the reads of saved sessions that connections make while asks wait for
 * notifications/initialized (connection.ts, `initializedElsewhere`). One per server: during
 * a store outage every waiting connection fails its read every `initializedRecheckMs`, so a
 * report per failed read would say the same thing once a second per session. Instead the
 * first failure of an outage is reported, and the first read that succeeds after it, with
 * how many failed meanwhile, as the task lease renewal reports its outages (tasks/leases.ts).
 */
import { LocalErrorCode, McpError } from '../protocol/index.ts';

export class SavedReadReports {
  /** Reads that failed since the last one that succeeded; 0 when the store answers. */
  #failed = 0;
  /** When the first of them failed (the server's clock). */
  #since = 0;

  /** A read failed: reported only when it is the first since a read succeeded. */
  failed(error: Error, everyMs: number, now: number, report: (error: Error) => void): void {
    if (this.#failed++ > 0) return;
    this.#since = now;
    report(new McpError(LocalErrorCode.Store, `cannot read the saved session while asks wait for notifications/initialized: ${error.message} (read again every ${everyMs} ms while they wait; reported again only after a read succeeded)`, { cause: error }));
  }

  /** A read succeeded: reported when reads had failed before it. */
  succeeded(now: number, report: (error: Error) => void): void {
    const failed = this.#failed;
    if (failed === 0) return;
    this.#failed = 0;
    report(new Error(`the saved session can be read again, after ${failed} failed read${failed === 1 ? '' : 's'} over ${Math.max(0, now - this.#since)} ms`));
  }
}
