/**
 * One 2026-07-28 `subscriptions/listen` of `client.listen` (modern-listen.ts): the request whose
 * stream stays open, its acknowledgement, and listening again after a drop with a backoff,
 * reporting what the gap missed (basic/patterns/subscriptions). Loaded with `import()` on the
 * first listen: a client that never listens does not carry it (issue #20 item 3, the stdio
 * client's footprint).
 */
import { LocalErrorCode, McpError, type RequestId } from '../protocol/index.ts';
import { withEnvelope, type EnvelopeParts } from './modern-envelope.ts';
import { TASKS_EXTENSION } from './tasks-wire.ts';
import type { ListKind } from './types.ts';
import type { ListenFilter, ListenHandlers, ListenOptions, ListenRegistryState, Listening } from './modern-listen.ts';

const KINDS: ReadonlyArray<[keyof ListenFilter, ListKind]> = [['toolsListChanged', 'tools'], ['promptsListChanged', 'prompts'], ['resourcesListChanged', 'resources']];

/** Start one listen of `registry` (modern-listen.ts keeps what routes its notifications). */
export function startListen(registry: ListenRegistryState, filter: ListenFilter, handlers: ListenHandlers, options: ListenOptions): Listening {
  const { active, raw, deps } = registry;
  const stop = new AbortController();
  const initial = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 10;
  let current: RequestId | undefined;
  let firstAck!: (agreed: ListenFilter) => void;
  let firstFail!: (error: Error) => void;
  const acknowledged = new Promise<ListenFilter>((resolve, reject) => { firstAck = resolve; firstFail = reject; });
  acknowledged.catch(() => {}); // also reported through onError when nobody awaits it

  async function run(): Promise<void> {
    /** Listens in a row that ended without an acknowledgement. */
    let failures = 0;
    let rounds = 0;
    while (!stop.signal.aborted) {
      let agreedNow = false;
      const round = rounds++;
      try {
        await raw('subscriptions/listen', withEnvelope({ notifications: filter }, envelopeFor(filter, deps.envelope())), {
          signal: stop.signal,
          timeoutMs: 2_147_483_647, maxTotalTimeoutMs: 2_147_483_647, // the stream is meant to stay open
          onRequestId(id) {
            if (current !== undefined) active.delete(current);
            current = id;
            active.set(id, {
              handlers,
              ack(agreed) {
                agreedNow = true;
                firstAck(agreed);
                handlers.onAcknowledged?.(agreed);
                // 2026-07-28: what changed while no stream was open was missed; say so.
                if (round > 0) refetch(agreed, handlers);
              },
            });
          },
        });
        if (stop.signal.aborted) return;
        throw new McpError(LocalErrorCode.Closed, 'the server ended the subscriptions/listen stream');
      } catch (error) {
        // Closed by us, or the client itself closed: nothing to listen on any more.
        if (stop.signal.aborted || deps.peer.closed) {
          firstFail(new McpError(LocalErrorCode.Closed, 'the client closed before the listen was acknowledged', { cause: error }));
          return;
        }
        failures = agreedNow ? 0 : failures + 1;
        if (failures >= maxAttempts) {
          const final = new McpError(LocalErrorCode.Closed, `subscriptions/listen failed ${failures} times in a row; stopped listening`, { cause: error });
          firstFail(final);
          (handlers.onGiveUp ?? deps.report)(final);
          return;
        }
        const delayMs = Math.min(maxDelay, initial * 2 ** failures);
        handlers.onDrop?.(error as Error, failures + 1, delayMs);
        await new Promise<void>((resolve) => {
          // The listener goes with the pause: one left per re-listen would pile up on `stop`.
          const done = () => { clearTimeout(timer); stop.signal.removeEventListener('abort', done); resolve(); };
          const timer = setTimeout(done, delayMs);
          stop.signal.addEventListener('abort', done, { once: true });
        });
      }
    }
  }

  function refetch(agreed: ListenFilter, h: ListenHandlers): void {
    // 2026-07-28 server/utilities/caching: a change notification makes a cached list stale at once;
    // one lost in the gap is told here, so the list cached within its ttlMs is fetched again too.
    for (const [key, kind] of KINDS) if (agreed[key]) { deps.forget(kind); (h.onListChanged ?? deps.onListChanged)(kind); }
    for (const uri of agreed.resourceSubscriptions ?? []) (h.onResourceUpdated ?? deps.onResourceUpdated)(uri);
    for (const taskId of agreed.taskIds ?? []) h.onTaskChanged?.(taskId, undefined);
  }

  const running = run().finally(() => { if (current !== undefined) active.delete(current); });
  return {
    acknowledged,
    get subscriptionId() { return current; },
    async close() {
      stop.abort(new McpError(LocalErrorCode.Aborted, 'listen closed'));
      firstFail(new McpError(LocalErrorCode.Aborted, 'listen closed before it was acknowledged'));
      await running;
    },
  };
}

/** A listen naming tasks declares the tasks extension, which the server requires of it (SEP-2663: negotiated per request). */
function envelopeFor(filter: ListenFilter, parts: EnvelopeParts): EnvelopeParts {
  if (!filter.taskIds?.length) return parts;
  const extensions = { ...(parts.capabilities.extensions as Record<string, unknown> | undefined), [TASKS_EXTENSION]: {} };
  return { ...parts, capabilities: { ...parts.capabilities, extensions } };
}
