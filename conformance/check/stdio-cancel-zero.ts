/**
 * Cancellation of a request with the id 0, over stdio, on a process of its own (2025-11-25
 * basic/utilities/cancellation: on `notifications/cancelled` the receiver "SHOULD stop
 * processing the cancelled request ... and not send a response for the cancelled request";
 * 2026-07-28 basic/transports/stdio cancels the same way). A server that tests the
 * cancel's `requestId` for truthiness (`if (!requestId) return`, typescript-sdk PR #2654) ignores
 * a cancel naming 0 and answers. The id 0 cannot be used on the probes' processes: the id-0
 * request already took it there, and a request id "MUST NOT have been previously used by the
 * requestor within the same session" (basic/index). So a fresh process is started, opened in
 * the era (legacy: initialize, modern: nothing), and the tool the first cancellation probe
 * passed on is called with the id 0 and cancelled, as stdio-cancel.ts does.
 */
import { spawn } from 'node:child_process';
import type { Tool } from 'mcpwire/protocol';
import type { FindingRecorder } from './findings.ts';
import { classifyStdout, splitLines } from './stdout-lines.ts';
import { createWatchers, pick } from './stdio-peer.ts';
import { checkStdioCancellation } from './stdio-cancel.ts';
import { answerClock } from './stdio-start.ts';
import type { Obj } from '../validate-schema-checks.ts';

/** Options of {@link checkStdioCancelZero}. */
export interface StdioCancelZeroOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly rec: FindingRecorder;
  readonly timeoutMs: number;
  readonly startTimeoutMs?: number;
  readonly maxLineChars: number;
  readonly era: 'legacy' | 'modern';
  /** The tool the era's first cancellation probe passed on. */
  readonly tool: Tool;
  /** A request of the era (the modern one carries the `_meta` envelope). */
  request(id: string | number, method: string, params: Obj): Obj;
  /** The legacy version asked for in initialize. */
  readonly version?: string;
}

/** Whether `jsonrpc.zero-id` failed in `era`: then the id 0 is not a request to that server at all, and this probe says nothing more. */
export function zeroIdFailed(rec: FindingRecorder, era: 'legacy' | 'modern'): boolean {
  return rec.findings.some((f) => f.id === 'jsonrpc.zero-id' && f.outcome === 'fail' && f.era === era);
}

/** Start a fresh process, open it in `o.era`, and cancel the call of `o.tool` made with the id 0. */
export async function checkStdioCancelZero(o: StdioCancelZeroOptions): Promise<void> {
  if (!o.rec.wants('cancellation.no-response')) return;
  if (zeroIdFailed(o.rec, o.era)) {
    o.rec.skip('cancellation.no-response', `stdio (${o.era} era): a cancel naming the id 0 was not probed, as the id 0 is not answered at all (jsonrpc.zero-id)`, o.era);
    return;
  }
  const child = spawn(o.command, [...o.args], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin!.on('error', () => undefined);
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!started) return;
  child.once('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const write = (m: Obj) => child.stdin!.write(`${JSON.stringify(m)}\n`);
  const { peer, deliver } = createWatchers(write);
  const split = splitLines(classifyStdout(deliver), o.maxLineChars);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => split.push(chunk));
  const wait = answerClock(child, o.timeoutMs, o.startTimeoutMs).wait;
  try {
    if (o.era === 'legacy') {
      const init = pick(peer, (m) => m.id === 'check-zero-cancel-init' && !('method' in m));
      write({ jsonrpc: '2.0', id: 'check-zero-cancel-init', method: 'initialize', params: { protocolVersion: o.version ?? '2025-11-25', capabilities: {}, clientInfo: { name: 'mcpwire-check', version: '0.1.0' } } });
      const answer = await init.next(wait());
      init.stop();
      if (answer === 'timeout' || !('result' in answer)) return; // the other probes report a server that does not open
      write({ jsonrpc: '2.0', method: 'notifications/initialized' });
    }
    await checkStdioCancellation(peer, { rec: o.rec, timeoutMs: Math.max(o.timeoutMs, wait()), era: o.era, tools: [o.tool], request: o.request, zeroId: true });
  } finally {
    child.stdin!.end();
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(kill);
    split.end();
  }
}
