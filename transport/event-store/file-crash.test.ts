import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage, McpError } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';
import { EPOCH_STRIDE } from './log-epochs.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/append-child.ts', import.meta.url));

interface ChildReport {
  opens: Map<number, string>;
  events: Map<number, string[]>;
  stderr: string;
}

/**
 * Run the fixture until it has reported `minEvents` appends, then SIGKILL it. Bounded: the
 * child is killed after `timeoutMs` whatever happened.
 */
function runAndKill(dir: string, minEvents: number, timeoutMs = 30_000): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=mcpwire-source', '--import', 'tsx', fixture, dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const report: ChildReport = { opens: new Map(), events: new Map(), stderr: '' };
    let count = 0;
    let buffered = '';
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(kill, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (report.stderr += d));
    child.stdout.on('data', (d: string) => {
      buffered += d;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const [kind, stream, id] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        const s = Number(stream);
        if (kind === 'open') report.opens.set(s, id!);
        else if (kind === 'event') {
          report.events.set(s, [...(report.events.get(s) ?? []), id!]);
          if (++count >= minEvents) kill();
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A partial last stdout line (cut by the kill) is not a report: ignore it.
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (code ${code}): ${report.stderr}`));
      else if (count < minEvents) reject(new Error(`child reported only ${count} events: ${report.stderr}`));
      else resolve(report);
    });
  });
}

const crash = suite('the file store survives kill -9 during appends');

crash('every acknowledged event replays after a SIGKILL, in order, without duplicates', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-crash-'));
  try {
    for (const [round, minEvents] of [[0, 600], [1, 900]] as const) {
      const report = await runAndKill(dir, minEvents);
      assert.is(report.stderr, '', `round ${round}: child stderr`);
      const errors: McpError[] = [];
      const store = await createFileEventStore({ dir, fsync: 'always', onError: (e) => errors.push(e) });
      for (const [stream, start] of report.opens) {
        const acknowledged = report.events.get(stream) ?? [];
        const replayed: Array<[string, JsonRpcMessage]> = [];
        await store.replayAfter(start, (id, m) => void replayed.push([id, m]));
        const ids = replayed.map((r) => r[0]);
        assert.equal(new Set(ids).size, ids.length, 'no duplicates');
        // Every acknowledged event is there, in order; events the child wrote but could not
        // report before the kill may follow.
        assert.equal(ids.slice(0, acknowledged.length), acknowledged, `round ${round}, stream ${stream}`);
        assert.ok(ids.length - acknowledged.length <= 3, 'at most the in-flight appends are extra');
        const token = start.split('.')[0]!;
        const startSeq = Number(start.split('.')[1]);
        // Consecutive, but for the round's first event: a stream read back from its log starts
        // a new epoch of seqs with its first write (log-epochs.ts), past the previous round's.
        const seqs = ids.map((id) => { assert.ok(id.startsWith(`${token}.`), id); return Number(id.slice(token.length + 1)); });
        seqs.forEach((seq, k) => assert.is(seq, k === 0 ? (round === 0 ? startSeq + 1 : seq) : seqs[k - 1]! + 1, `seq ${k}`));
        if (round > 0 && seqs.length > 0) assert.ok(seqs[0]! > startSeq + EPOCH_STRIDE, `round ${round}: the first event starts a new epoch (${seqs[0]} after ${startSeq})`);
        for (const [, m] of replayed) assert.is((m as unknown as { params: { stream: number } }).params.stream, stream);
      }
      assert.equal(errors.map((e) => e.message), [], 'a kill leaves at most a torn tail, which is not damage');
      // The recovered store accepts appends that continue each stream.
      const more = await store.append({ sessionId: 'session-0', streamId: 'stream-0' }, { jsonrpc: '2.0', method: 'after' });
      assert.ok(more.startsWith(report.opens.get(0)!.split('.')[0]!));
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

crash.run();
