/**
 * Cancellation over stdio, both eras (2025-11-25 basic/utilities/cancellation: on
 * `notifications/cancelled` the receiver "SHOULD stop processing the cancelled request ... and
 * not send a response for the cancelled request"; 2026-07-28 basic/transports/stdio: the client
 * cancels with `notifications/cancelled` there too, the schema's CancelledNotification: "the
 * result will be unused, so any associated processing SHOULD cease"). The same probe as
 * cancel.ts over HTTP: a read-only tool call still running {@link CANCEL_GRACE_MS} after its
 * first message is cancelled, and the channel watched for its late response.
 *
 * A ping follows the cancel as a fence: stdio is read in order, so a response written after
 * the ping's was written once the server had read the cancel. One that comes before it may
 * have crossed the cancel on the wire (the spec allows for that), and is not judged: on a
 * loaded machine a stall of a few hundred milliseconds made such a crossing look like a fault.
 */
import type { Tool } from 'mcpwire/protocol';
import type { FindingRecorder } from './findings.ts';
import { CANCEL_GRACE_MS, CANCEL_WINDOW_MS } from './cancel.ts';
import { pick, type LinePeer } from './stdio-peer.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Tools tried when looking for one that is still running after its first message. */
const MAX_CANDIDATES = 5;

/** Options of {@link checkStdioCancellation}. */
export interface StdioCancelOptions {
  readonly rec: FindingRecorder;
  readonly timeoutMs: number;
  readonly era: 'legacy' | 'modern';
  /** The server's tools (from tools/list). */
  readonly tools: readonly unknown[];
  /** A request of the era with id `id` (the modern one carries the `_meta` envelope). */
  request(id: string | number, method: string, params: Obj): Obj;
  /**
   * Call with the id 0 (on a process of its own, given the one tool the first probe judged): a
   * server that tests the cancel's `requestId` for truthiness ignores it (typescript-sdk PR #2654).
   */
  readonly zeroId?: boolean;
}

/** Cancel a running tool call on `peer` and watch for its late response; resolves the tool that passed, if one did. */
export async function checkStdioCancellation(peer: LinePeer, o: StdioCancelOptions): Promise<Tool | undefined> {
  if (!o.rec.wants('cancellation.no-response')) return undefined;
  const tools = o.tools.filter((tool): tool is Tool => {
    if (!isObj(tool)) return false;
    const schema = tool.inputSchema as { required?: unknown[] } | undefined;
    return (tool.annotations as Obj | undefined)?.readOnlyHint === true && (schema?.required ?? []).length === 0;
  });
  let n = 0;
  const zero = o.zeroId === true ? ' with the id 0' : '';
  // The era is in each detail: the recorder keeps one finding per (rule, outcome, detail).
  for (const tool of tools.slice(0, MAX_CANDIDATES)) {
    const name = `check-cancel-${o.era}-${o.zeroId === true ? 'zero' : ++n}`;
    const id: string | number = o.zeroId === true ? 0 : name;
    const token = `${name}-progress`;
    const fence = `${name}-fence`;
    const isAnswer = (m: Obj) => m.id === id && !('method' in m);
    const isFence = (m: Obj) => m.id === fence && !('method' in m);
    const mine = pick(peer, (m) => isAnswer(m) || isFence(m) || (m.method === 'notifications/progress' && isObj(m.params) && m.params.progressToken === token));
    try {
      peer.write(o.request(id, 'tools/call', { name: tool.name, arguments: {}, _meta: { progressToken: token } }));
      const first = await mine.next(o.timeoutMs);
      if (first === 'timeout' || isAnswer(first)) continue; // answered at once (or never): nothing to judge
      if ((await mine.next(CANCEL_GRACE_MS)) !== 'timeout') continue; // too quick, or more messages at once: not judged
      const cancelled = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'mcpwire check: cancellation probe' } };
      peer.write(cancelled);
      peer.write(o.request(fence, 'ping', {}));
      const sentAt = Date.now();
      const window = Math.min(CANCEL_WINDOW_MS, o.timeoutMs);
      let fenced = false;
      let crossed = false;
      for (;;) {
        const m = await mine.next(window - (Date.now() - sentAt));
        if (m === 'timeout') break;
        if (isFence(m)) fenced = true;
        if (!isAnswer(m)) continue;
        // Before the ping's answer: sent, perhaps, before the cancel was read. A server that
        // never answers the ping (ping.answer's fault) is judged by the time alone, as before.
        if (!fenced && await fenceLater(mine, isFence, window - (Date.now() - sentAt))) {
          crossed = true;
          break;
        }
        o.rec.fail('cancellation.no-response', `stdio (${o.era} era): tools/call of ${tool.name}${zero} was answered ${Date.now() - sentAt} ms after notifications/cancelled${zero ? ' naming the id 0 (a truthiness test of requestId ignores it)' : ''}`, `${JSON.stringify(cancelled)} -> then ${JSON.stringify(m)}`, o.era);
        return undefined;
      }
      if (crossed) continue; // not judged: try the next tool
      o.rec.pass('cancellation.no-response', `stdio (${o.era} era): tools/call of ${tool.name}${zero}, cancelled while running, got no response in the ${window} ms watched`, o.era);
      return tool;
    } finally {
      mine.stop();
    }
  }
  if (o.zeroId === true) {
    o.rec.skip('cancellation.no-response', `stdio (${o.era} era): the call with the id 0 was answered at once, or before the ping that followed its cancel (crossed it): not judged`, o.era);
    return undefined;
  }
  o.rec.skip('cancellation.no-response', `stdio (${o.era} era): no read-only tool without required arguments was still running ${CANCEL_GRACE_MS} ms after its first message, or each answered before the ping that followed its cancel (crossed it)`, o.era);
}

/** Whether the fence ping is answered within `ms` (after a response that came before it). */
async function fenceLater(mine: ReturnType<typeof pick>, isFence: (m: Obj) => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + Math.max(ms, 0);
  for (;;) {
    const m = await mine.next(until - Date.now());
    if (m === 'timeout') return false;
    if (isFence(m)) return true;
  }
}
