/** The error of a resume that cannot be served (2025-11-25 basic/transports: resumability). */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

/** Why an event id cannot be resumed from. */
export const ResumeFailure = {
  /** The id does not have the store's format. */
  Malformed: 'malformed',
  /** The store never issued the id (or forgot its stream entirely, e.g. a deleted session). */
  Unknown: 'unknown',
  /** Some of the history after the id was dropped (limits, TTL, retention, damage on disk); a replay would be partial. */
  Evicted: 'evicted',
  /** The id belongs to a session other than the one resuming. */
  WrongSession: 'wrong-session',
} as const;
export type ResumeFailure = (typeof ResumeFailure)[keyof typeof ResumeFailure];

const DESCRIPTIONS: Record<ResumeFailure, string> = {
  malformed: 'it is not an event id of this store',
  unknown: 'this store did not issue it, or no longer knows its stream',
  evicted: 'the history after it was evicted, so a replay would be partial',
  'wrong-session': 'it belongs to another session',
};

/** A replay refused before anything was delivered. `code` is MCP_ERR_RESUME. */
export class ResumeError extends McpError {
  override name = 'ResumeError';
  /** Why the replay was refused. */
  readonly reason: ResumeFailure;
  /**
   * 'evicted' because the stream's stored end was lost (the id is at or past what is kept),
   * not because a gap lies before later events that are kept.
   */
  readonly tailLost: boolean;

  /**
   * @param detail replaces the reason's standard description (e.g. history damaged on disk).
   * @param tailLost see {@link ResumeError.tailLost}.
   */
  constructor(reason: ResumeFailure, eventId: string, detail?: string, tailLost = false) {
    // The id is client input: keep the message short and printable.
    const shown = JSON.stringify(eventId.length > 64 ? `${eventId.slice(0, 64)}...` : eventId);
    super(LocalErrorCode.Resume, `Cannot resume after event id ${shown}: ${detail ?? DESCRIPTIONS[reason]}`);
    this.reason = reason;
    this.tailLost = tailLost;
  }
}
