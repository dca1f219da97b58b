/**
 * The host's record of calls in flight on one server, kept in a ResumeStore so a host that is
 * interrupted (or killed) resumes them on its next start (2025-11-25 basic/transports:
 * resumability). The stored event id of a call is the last one whose event the person has
 * *seen*: while a form waits for an answer, or while the call is detached and its events
 * are only buffered, the stored id stays put, so a resume replays exactly what was not seen.
 * Writes are atomic (the file store renames) and coalesced: one write in flight, one queued.
 */
import type { InflightRequest, ResumeRecord, ResumeStore } from 'mcpwire/client';
import type { RequestId } from 'mcpwire/protocol';
import type { ProgressState } from './progress-view.ts';

/**
 * A call on record, with the last progress the person saw of it: a next run's live line shows
 * where the call was until its first replayed progress. (The host's own field: a ResumeStore
 * keeps a record's JSON as given.)
 */
export interface JournalEntry extends InflightRequest {
  progress?: ProgressState;
}

/** Longest progress message kept on record (the rest is cut): the record is rewritten on every event. */
const MAX_KEPT_MESSAGE = 200;

/** The `progress` of a stored entry, when it has the right shape (an older or damaged file may not). */
function keptProgress(value: unknown): ProgressState | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { progress, total, message } = value as Record<string, unknown>;
  if (typeof progress !== 'number' || !Number.isFinite(progress)) return undefined;
  if (total !== undefined && (typeof total !== 'number' || !Number.isFinite(total))) return undefined;
  if (message !== undefined && typeof message !== 'string') return undefined;
  return { progress, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message: message.slice(0, MAX_KEPT_MESSAGE) } : {}) };
}

interface Entry {
  method: string;
  params: unknown;
  startedAt: number;
  /** The last event id delivered on the call's stream, and the one before it. */
  latest: string | undefined;
  previous: string | undefined;
  /** The id written to the store: `latest` when nothing holds it back. */
  confirmed: string | undefined;
  holds: number;
  /** Holds to let go with the next event: an answer was sent, and that event shows the server has it. */
  releaseOnNext: number;
  /** Events delivered so far: tells whether a question's own event came before its hold or after. */
  advances: number;
  /** Ids taken ahead of their events (`ahead`) that the transport has not reported yet. */
  ahead: Set<string>;
  /** The last id the transport reported: where it resumes the stream from (Last-Event-ID). */
  delivered: string | undefined;
  /** Where the last release found the stored id, until the next hold: a `hold(id, true)` goes back there. */
  releasedFrom: { id: string | undefined } | undefined;
  /** The last progress the person saw (noteProgress), kept with the record. */
  progress: ProgressState | undefined;
}

export interface CallJournal {
  /** Load what an earlier process left (the calls it did not finish). */
  load(): Promise<ResumeRecord | undefined>;
  /** A call was sent (or re-sent with a new id after the session was re-initialized). */
  begin(requestId: RequestId, params: unknown, session: { sessionId: string | undefined; protocolVersion: string | undefined }): void;
  /** An event of the call's stream was delivered; an id already taken ahead of its event (`ahead`) changes nothing. */
  advance(requestId: RequestId, eventId: string): void;
  /**
   * Events the host shows on delivery are about to be handed up, in this order: their ids are
   * taken now, so the last is on disk before they are shown (host-fetch.ts), and the
   * transport's own report of each after delivery is a repeat.
   */
  ahead(requestId: RequestId, eventIds: readonly string[]): void;
  /** The call whose latest (or last delivered) event id this is: a GET resuming its stream names it so. */
  callAt(eventId: string): RequestId | undefined;
  /**
   * Keep the stored id where it is (the call's events are only buffered: detached), or where
   * it was before ids taken ahead of events not delivered yet. `undoRelease`: the release
   * before it moved the id over buffered events that are still not shown (an attach gave up
   * before showing them), so the id goes back to where that release found it.
   */
  hold(requestId: RequestId, undoRelease?: boolean): void;
  /**
   * Hold for a question of the call, so a run that quits (or dies) before the server has the
   * answer replays the question, and only it. Its handler may run while its event is being
   * delivered, before the event's id comes (the HTTP client: the id is recorded after its
   * message was handed up), or after the id came; the stored id ends up just before the
   * question's event in both cases.
   */
  holdQuestion(requestId: RequestId): void;
  release(requestId: RequestId): void;
  /**
   * Release once the call's next event arrives: a question was answered, and only what the
   * server sends after the answer shows it got it. An answer lost with a dying server keeps
   * the question before the stored id, so the next run is asked it again (and sends the
   * answer on record).
   */
  releaseOnNext(requestId: RequestId): void;
  /** The person saw this progress of the call (it was shown, not buffered): kept with its record. */
  noteProgress(requestId: RequestId, progress: ProgressState): void;
  /** The call is over: forget it. */
  end(requestId: RequestId): void;
  /** Whether the call is on record with a position to resume from. */
  resumable(requestId: RequestId): boolean;
  /** The calls on record, oldest first. */
  entries(): JournalEntry[];
  /** Forget everything, on disk too. */
  clear(): Promise<void>;
  /** Resolve once every change so far is on disk. */
  flush(): Promise<void>;
}

export function createCallJournal(store: ResumeStore, key: string, onError: (error: Error) => void): CallJournal {
  const calls = new Map<RequestId, Entry>();
  let sessionId: string | undefined;
  let protocolVersion: string | undefined;
  let writing: Promise<void> | undefined;
  let dirty = false;
  let scheduled = false;

  function snapshot(): (ResumeRecord & { inflight: JournalEntry[] }) | undefined {
    if (calls.size === 0) return undefined;
    const inflight: JournalEntry[] = [...calls].map(([requestId, e]) => ({
      requestId, method: e.method, params: e.params, startedAt: e.startedAt, ...(e.confirmed !== undefined ? { lastEventId: e.confirmed } : {}),
      ...(e.progress ? { progress: e.progress } : {}),
    }));
    return { ...(sessionId !== undefined ? { sessionId } : {}), ...(protocolVersion !== undefined ? { protocolVersion } : {}), inflight };
  }

  async function writeLoop(): Promise<void> {
    while (dirty) {
      dirty = false;
      const record = snapshot();
      try {
        if (record) await store.set(key, record);
        else await store.delete(key);
      } catch (error) {
        onError(error as Error);
      }
    }
  }

  function schedule(): void {
    dirty = true;
    if (scheduled || writing) return;
    scheduled = true;
    // Coalesce the events of one read into one write; the form handler runs before this.
    setImmediate(() => {
      scheduled = false;
      writing = writeLoop().finally(() => { writing = undefined; if (dirty) schedule(); });
    });
  }

  /** The call's stream moved to `eventId`: it is the stored position unless something holds it. */
  function step(e: Entry, eventId: string): void {
    e.previous = e.latest;
    e.latest = eventId;
    e.advances++;
    e.holds = Math.max(0, e.holds - e.releaseOnNext);
    e.releaseOnNext = 0;
    if (e.holds === 0) {
      e.confirmed = eventId;
      schedule();
    }
  }

  const journal: CallJournal = {
    async load() {
      const record = await store.get(key);
      sessionId = record?.sessionId;
      protocolVersion = record?.protocolVersion;
      for (const r of record?.inflight ?? []) {
        if (!calls.has(r.requestId)) {
          calls.set(r.requestId, { method: r.method, params: r.params, startedAt: r.startedAt, latest: r.lastEventId, confirmed: r.lastEventId, holds: 0, releaseOnNext: 0, previous: undefined, advances: 0, ahead: new Set(), delivered: r.lastEventId, releasedFrom: undefined, progress: keptProgress((r as JournalEntry).progress) });
        }
      }
      return record;
    },
    begin(requestId, params, session) {
      sessionId = session.sessionId;
      protocolVersion = session.protocolVersion;
      calls.set(requestId, { method: 'tools/call', params, startedAt: Date.now(), latest: undefined, confirmed: undefined, holds: 0, releaseOnNext: 0, previous: undefined, advances: 0, ahead: new Set(), delivered: undefined, releasedFrom: undefined, progress: undefined });
      schedule();
    },
    advance(requestId, eventId) {
      const e = calls.get(requestId);
      if (!e) return;
      e.delivered = eventId;
      if (e.ahead.delete(eventId)) return; // taken when it came (ahead): this is its delivery
      e.ahead.clear(); // ids taken ahead and never delivered (a stream cut): not owed any more
      step(e, eventId);
    },
    ahead(requestId, eventIds) {
      const e = calls.get(requestId);
      if (!e) return;
      for (const eventId of eventIds) {
        e.ahead.add(eventId);
        step(e, eventId);
      }
    },
    callAt(eventId) {
      // A stream cut between a save ahead and its delivery resumes from the last id delivered.
      for (const [requestId, e] of calls) if (e.latest === eventId || e.delivered === eventId) return requestId;
      return undefined;
    },
    hold(requestId, undoRelease = false) {
      const e = calls.get(requestId);
      if (!e) return;
      const from = e.releasedFrom;
      e.releasedFrom = undefined;
      if (undoRelease && from && e.holds === 0) {
        // Every event since that release went to the buffer too (the call was not watched yet).
        if (e.confirmed !== from.id) {
          e.confirmed = from.id;
          schedule();
        }
        e.holds++;
        return;
      }
      // Ids taken ahead whose events are not delivered yet: held now (a detach), those events
      // go to the call's buffer unseen, so the position goes back to the last one delivered
      // (seen: nothing held it). It was left on the unseen one, and the next run skipped it.
      if (e.holds === 0 && e.ahead.size > 0 && e.delivered !== undefined && e.confirmed !== e.delivered) {
        e.confirmed = e.delivered;
        schedule();
      }
      e.holds++;
    },
    holdQuestion(requestId) {
      const e = calls.get(requestId);
      if (!e) return;
      const free = e.holds === 0;
      const { latest, previous, advances } = e;
      e.holds++;
      // An id delivered in the same turn, after the hold, is the question's own: the stored id
      // (the one before it) is already right. None: the question's event came first, and the
      // stored id moves back before it. Decided before any write (those wait for setImmediate).
      queueMicrotask(() => {
        if (!free || e.advances !== advances || latest === undefined || previous === undefined || e.confirmed !== latest) return;
        e.confirmed = previous;
        schedule();
      });
    },
    release(requestId) {
      const e = calls.get(requestId);
      if (!e || e.holds <= e.releaseOnNext) return;
      e.holds--;
      if (e.holds === 0) e.releasedFrom = { id: e.confirmed };
      if (e.holds === 0 && e.confirmed !== e.latest) {
        e.confirmed = e.latest;
        schedule();
      }
    },
    releaseOnNext(requestId) {
      const e = calls.get(requestId);
      if (e && e.holds > e.releaseOnNext) e.releaseOnNext++;
    },
    noteProgress(requestId, progress) {
      const e = calls.get(requestId);
      if (!e) return;
      const kept = keptProgress(progress);
      if (!kept || (e.progress?.progress === kept.progress && e.progress.total === kept.total && e.progress.message === kept.message)) return;
      e.progress = kept;
      // Coalesced with the write of the event that carried it (scheduled just before).
      if (e.confirmed !== undefined) schedule();
    },
    end(requestId) {
      if (calls.delete(requestId)) schedule();
    },
    resumable(requestId) {
      return calls.get(requestId)?.confirmed !== undefined;
    },
    entries() {
      return snapshot()?.inflight ?? [];
    },
    async clear() {
      calls.clear();
      dirty = false;
      await writing;
      await store.delete(key);
    },
    async flush() {
      while (scheduled || writing) {
        if (writing) await writing;
        else await new Promise<void>((r) => setImmediate(r));
      }
    },
  };
  return journal;
}
