/**
 * stdio framing beyond "stdout only" (2025-11-25 basic/transports: stdio; notes 6), on a fresh
 * process: a message written in two parts and several messages in one write must both be read
 * as messages (newlines delimit them, not reads); each stdout line is one whole message (no
 * embedded newlines, no stray lines); stderr is the server's to log on (never held against it);
 * and the server exits once its stdin closes.
 */
import { spawn } from 'node:child_process';
import type { FindingRecorder } from './findings.ts';
import { DEFAULT_MAX_REPLY_BYTES } from './raw-http.ts';
import { classifyStdout, splitLines } from './stdout-lines.ts';
import { answerClock } from './stdio-start.ts';
import type { Obj } from '../validate-schema-checks.ts';

/** Default bound on the server's exit after its stdin closes, ms. */
export const DEFAULT_STDIO_EXIT_MS = 5_000;
/** The pause between the two parts of a split message, so they arrive as separate reads, ms. */
export const SPLIT_PAUSE_MS = 30;
/**
 * Longer pauses for the split message's next tries, ms: on a loaded machine a server may not
 * read between two writes 30 ms apart, and then sees one whole line (a server that drops a
 * read's unfinished tail went unfound in a CI run).
 */
const SPLIT_RETRY_PAUSES_MS = [150, 500];

/** Options of {@link checkStdioFraming}. */
export interface StdioFramingOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly rec: FindingRecorder;
  readonly timeoutMs: number;
  /** The wait for the fresh process's first answer, ms (stdio-start.ts). */
  readonly startTimeoutMs?: number;
  /** The legacy version asked for in initialize. */
  readonly version: string;
  /** Bound on the exit after stdin closes, ms. Default {@link DEFAULT_STDIO_EXIT_MS}. */
  readonly exitTimeoutMs?: number;
  /** Longest stdout line read (characters); a longer one is not a message. Default the check's `maxReplyBytes` default. */
  readonly maxLineChars?: number;
}

/** Run the framing probes on a fresh process of the server. */
export async function checkStdioFraming(o: StdioFramingOptions): Promise<void> {
  const child = spawn(o.command, [...o.args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.on('error', () => undefined); // a server that exits early: its answers' absence is the finding
  // A command that cannot start (not found, not executable) shows nothing about framing or
  // exiting: those rules are skipped, not failed ("still running") or passed ("one line each").
  const notStarted = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (notStarted !== undefined) {
    const why = `the server command did not start (${notStarted.message})`;
    for (const id of ['stdio.framing-input', 'stdio.exit-on-eof', 'stdio.embedded-newline', 'stdio.stderr'] as const) o.rec.skip(id, why, 'legacy');
    return;
  }
  child.once('error', () => undefined); // a later failure (a signal it could not be sent) is seen through exit
  const waiting = new Map<string, (m: Obj) => void>();
  const lines = classifyStdout((m) => { if ('id' in m && !('method' in m)) waiting.get(String(m.id))?.(m); });
  const split = splitLines(lines, o.maxLineChars ?? DEFAULT_MAX_REPLY_BYTES);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => split.push(chunk));
  let stderrLines = 0;
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderrLines += chunk.split('\n').length - 1; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const clock = answerClock(child, o.timeoutMs, o.startTimeoutMs);
  const answer = (id: string): Promise<Obj | undefined> => new Promise((resolve) => {
    const stop = clock.timer(() => { waiting.delete(id); resolve(undefined); });
    waiting.set(id, (m) => { stop(); waiting.delete(id); resolve(m); });
  });
  const line = (m: Obj) => `${JSON.stringify(m)}\n`;
  try {
    const init = line({ jsonrpc: '2.0', id: 'frame-init', method: 'initialize', params: { protocolVersion: o.version, capabilities: {}, clientInfo: { name: 'mcpwire-check', version: '0.1.0' } } });
    const askedAt = Date.now();
    const initAnswer = answer('frame-init');
    child.stdin!.write(init);
    if ((await initAnswer) === undefined) {
      const gone = child.exitCode ?? child.signalCode;
      o.rec.skip('stdio.framing-input', gone !== null ? `the process exited (${gone}) without answering initialize` : `initialize got no answer in ${Date.now() - askedAt} ms`, 'legacy');
    } else {
      // Several messages in one write: each line is a message.
      const pings = [answer('frame-ping-1'), answer('frame-ping-2')];
      const batch = line({ jsonrpc: '2.0', method: 'notifications/initialized' }) + line({ jsonrpc: '2.0', id: 'frame-ping-1', method: 'ping' }) + line({ jsonrpc: '2.0', id: 'frame-ping-2', method: 'ping' });
      child.stdin!.write(batch);
      const missing = (await Promise.all(pings)).filter((m) => m === undefined).length;
      // One message in two writes, now that the server is reading: it must wait for the newline.
      // Tried again with longer pauses while answered, so that at least one try is two reads.
      let splitAnswered = true;
      let split = '';
      let pause = SPLIT_PAUSE_MS;
      for (const [i, ms] of [SPLIT_PAUSE_MS, ...SPLIT_RETRY_PAUSES_MS].entries()) {
        const id = i === 0 ? 'frame-ping-split' : `frame-ping-split-${i + 1}`;
        split = line({ jsonrpc: '2.0', id, method: 'ping' });
        pause = ms;
        const splitAnswer = answer(id);
        const cut = Math.floor(split.length / 2);
        child.stdin!.write(split.slice(0, cut));
        await new Promise((resolve) => setTimeout(resolve, ms));
        child.stdin!.write(split.slice(cut));
        splitAnswered = (await splitAnswer) !== undefined;
        if (!splitAnswered || missing > 0) break;
      }
      if (missing > 0) o.rec.fail('stdio.framing-input', `of two pings written in one write (after notifications/initialized), ${missing} got no answer`, batch, 'legacy');
      if (!splitAnswered) o.rec.fail('stdio.framing-input', `a ping written in two parts ${pause} ms apart got no answer within ${o.timeoutMs} ms`, split.trim(), 'legacy');
      if (missing === 0 && splitAnswered) o.rec.pass('stdio.framing-input', 'three messages in one write and a message split across writes were all read', 'legacy');
    }
    await checkExit(o, child, exited);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  split.end();
  if (lines.embeddedCount > 0) o.rec.fail('stdio.embedded-newline', `${lines.embeddedCount} message(s) on stdout spread over several lines`, lines.embedded[0], 'legacy');
  else o.rec.pass('stdio.embedded-newline', 'every message on stdout was one line', 'legacy');
  if (lines.strayCount > 0) o.rec.fail('stdio.stdout-messages', `${lines.strayCount} line(s) on stdout are not JSON-RPC messages`, lines.stray[0], 'legacy');
  // 2025-11-25 basic/transports (stdio): the server MAY log on stderr; a client SHOULD NOT treat it as an error.
  o.rec.pass('stdio.stderr', stderrLines > 0 ? `${stderrLines} line(s) on stderr, taken as logs` : 'nothing on stderr', 'legacy');
}

/** 2025-11-25 basic/transports (stdio) shutdown: the client closes stdin; the server SHOULD exit. */
async function checkExit(o: StdioFramingOptions, child: ReturnType<typeof spawn>, exited: Promise<void>): Promise<void> {
  const bound = o.exitTimeoutMs ?? DEFAULT_STDIO_EXIT_MS;
  child.stdin!.end();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), bound); });
  const outcome = await Promise.race([exited.then(() => 'exited' as const), late]);
  clearTimeout(timer);
  if (outcome === 'exited') o.rec.pass('stdio.exit-on-eof', `exited after stdin closed (code ${child.exitCode ?? child.signalCode})`, 'legacy');
  else o.rec.fail('stdio.exit-on-eof', `still running ${bound} ms after its stdin closed (then killed)`, undefined, 'legacy');
}
