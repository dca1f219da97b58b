/**
 * The string-id and version probes of http-jsonrpc.ts, over stdio, on a process of their own
 * (a stdio process is initialized once): `initialize` asking for a version no revision has must
 * not be answered with that version (2025-11-25 basic/lifecycle: version negotiation), and in
 * the session it opens a ping with the id `"1001"` must be answered with that string, not the
 * number (basic/index: a response "MUST include the same ID as the request"), and a ping with
 * the id 0 must be answered with 0. The same session then runs the cancellation probe
 * (stdio-cancel.ts).
 */
import { spawn } from 'node:child_process';
import type { FindingRecorder } from './findings.ts';
import { classifyStdout, splitLines } from './stdout-lines.ts';
import { NUMERIC_STRING_ID, UNKNOWN_VERSION, ZERO_ID } from './http-jsonrpc.ts';
import { createWatchers } from './stdio-peer.ts';
import { checkStdioCancellation } from './stdio-cancel.ts';
import { answerClock } from './stdio-start.ts';
import { askZeroFenced } from './stdio-zero.ts';
import { checkStdioCancelZero } from './stdio-cancel-zero.ts';
import type { Tool } from 'mcpwire/protocol';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Options of {@link checkStdioJsonRpc}. */
export interface StdioJsonRpcOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly rec: FindingRecorder;
  readonly timeoutMs: number;
  /** The wait for the fresh process's first answer, ms (stdio-start.ts). */
  readonly startTimeoutMs?: number;
  /** Longest stdout line read (characters). */
  readonly maxLineChars: number;
}

/** Run both probes on a fresh process of the server, then the id-0 cancellation on another (stdio-cancel-zero.ts). */
export async function checkStdioJsonRpc(o: StdioJsonRpcOptions): Promise<void> {
  if (!(['lifecycle.version', 'jsonrpc.response-correlation', 'jsonrpc.zero-id', 'cancellation.no-response'] as const).some((id) => o.rec.wants(id))) return;
  const child = spawn(o.command, [...o.args], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin!.on('error', () => undefined);
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!started) return; // said once, by the legacy session's run.reachable
  child.once('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Answers by the text of their id: the number 1001 and the string "1001" both land on "1001", and are told apart after.
  const waiting = new Map<string, (m: Obj | undefined) => void>();
  const { peer, deliver } = createWatchers((m) => child.stdin!.write(`${JSON.stringify(m)}\n`));
  // A response with id null is taken as the zero-id probe's answer (0 read as no id), when it waits.
  const lines = classifyStdout((m) => { if ('id' in m && !('method' in m)) waiting.get(String(m.id ?? ZERO_ID))?.(m); deliver(m); });
  const split = splitLines(lines, o.maxLineChars);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => split.push(chunk));
  const clock = answerClock(child, o.timeoutMs, o.startTimeoutMs);
  const ask = (m: Obj): Promise<Obj | undefined> => new Promise((resolve) => {
    const id = String(m.id);
    const stop = clock.timer(() => { waiting.delete(id); resolve(undefined); });
    waiting.set(id, (answer) => { stop(); waiting.delete(id); resolve(answer); });
    child.stdin!.write(`${JSON.stringify(m)}\n`);
  });
  let judged: Tool | undefined;
  try {
    const init = { jsonrpc: '2.0', id: 'check-version', method: 'initialize', params: { protocolVersion: UNKNOWN_VERSION, capabilities: {}, clientInfo: { name: 'mcpwire-check', version: '0.1.0' } } };
    const answer = await ask(init);
    const version = (answer?.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (version === UNKNOWN_VERSION) o.rec.fail('lifecycle.version', `stdio: initialize asking for ${UNKNOWN_VERSION} (no such revision) was answered with ${UNKNOWN_VERSION}`, answer, 'legacy');
    else if (answer !== undefined) o.rec.pass('lifecycle.version', `stdio: initialize asking for ${UNKNOWN_VERSION} was answered ${typeof version === 'string' ? `with ${version}` : 'with an error'}`, 'legacy');
    if (typeof version !== 'string') return;
    child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const pong = o.rec.wants('jsonrpc.response-correlation') ? await ask({ jsonrpc: '2.0', id: NUMERIC_STRING_ID, method: 'ping' }) : undefined;
    // No answer is ping.answer's to judge (the driven session asks ping too).
    if (pong?.id === NUMERIC_STRING_ID) o.rec.pass('jsonrpc.response-correlation', `stdio: a request with the string id "${NUMERIC_STRING_ID}" was answered with that string`, 'legacy');
    else if (pong !== undefined) o.rec.fail('jsonrpc.response-correlation', `stdio: a request with the string id "${NUMERIC_STRING_ID}" was answered with id ${JSON.stringify(pong.id)}`, pong, 'legacy');
    if (o.rec.wants('jsonrpc.zero-id')) {
      const { answer: zero, fenced } = await askZeroFenced({ waiting, write: (m) => child.stdin!.write(`${JSON.stringify(m)}\n`), zero: { jsonrpc: '2.0', id: ZERO_ID, method: 'ping' }, fence: { jsonrpc: '2.0', id: 'check-zero-fence', method: 'ping' }, timer: clock.timer });
      if (zero?.id === ZERO_ID) o.rec.pass('jsonrpc.zero-id', 'stdio: a request with the id 0 was answered with the id 0', 'legacy');
      else if (zero !== undefined) o.rec.fail('jsonrpc.zero-id', `stdio: a ping with the id 0 was answered with id ${JSON.stringify(zero.id)}`, zero, 'legacy');
      else o.rec.fail('jsonrpc.zero-id', `stdio: a ping with the id 0 got no response${fenced ? ', though the ping written after it was answered' : ''}: the request was taken for a notification`, undefined, 'legacy');
    }
    if (!o.rec.wants('cancellation.no-response') || !isObj((answer?.result as Obj | undefined)?.capabilities) || !('tools' in ((answer!.result as Obj).capabilities as Obj))) return;
    const list = await ask({ jsonrpc: '2.0', id: 'check-tools', method: 'tools/list' });
    const tools = (list?.result as { tools?: unknown } | undefined)?.tools;
    if (Array.isArray(tools)) judged = await checkStdioCancellation(peer, { rec: o.rec, timeoutMs: o.timeoutMs, era: 'legacy', tools, request: (id, method, params) => ({ jsonrpc: '2.0', id, method, params }) });
  } finally {
    child.stdin!.end();
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(kill);
    split.end();
  }
  if (judged !== undefined) await checkStdioCancelZero({ ...o, era: 'legacy', tool: judged, request: (id, method, params) => ({ jsonrpc: '2.0', id, method, params }) });
}
