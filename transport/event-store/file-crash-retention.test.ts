// kill -9 while retention drops finished streams and compaction rewrites the log (issue #10
// item 6): after the restart every stream is complete or refused as evicted, never partial,
// and recovery finds no damage.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { McpError } from '../../protocol/index.ts';
import { createFileEventStore } from './file.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/calls-child.ts', import.meta.url));

interface Report { opens: Map<number, string>; events: Map<number, string[]>; stderr: string }

/** Run the fixture until it reported `minEvents` appends, then SIGKILL it (30 s at most). */
function runAndKill(dir: string, minEvents: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=mcpwire-source', '--import', 'tsx', fixture, dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const report: Report = { opens: new Map(), events: new Map(), stderr: '' };
    let count = 0;
    let buffered = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8').on('data', (d: string) => (report.stderr += d));
    child.stdout.on('data', (d: string) => {
      buffered += d;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const [kind, n, id] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        if (kind === 'open') report.opens.set(Number(n), id!);
        else if (kind === 'event') {
          report.events.set(Number(n), [...(report.events.get(Number(n)) ?? []), id!]);
          if (++count >= minEvents) child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || count < minEvents) reject(new Error(`child stopped early (${count} events): ${report.stderr}`));
      else resolve(report);
    });
  });
}

/**
 * How many streams of n's session may have ended after n: every later one the child opened
 * before the last, and the last itself once all 3 of its events were acknowledged (the kill
 * can land after its `endStream`, which prints nothing).
 */
function newerFinished(report: Report, n: number, last: number): number {
  let count = 0;
  for (let m = n + 2; m <= last; m += 2) if (m < last || (report.events.get(m)?.length ?? 0) === 3) count += 1;
  return count;
}

const crash = suite('kill -9 during retention and compaction');

crash('each stream replays whole or is refused as evicted; the newest finished ones are kept', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-crash-retention-'));
  try {
    for (const minEvents of [700, 1_100]) {
      const report = await runAndKill(dir, minEvents);
      assert.is(report.stderr, '');
      const errors: McpError[] = [];
      const store = await createFileEventStore({ dir, retainFinishedStreams: 4, onError: (e) => errors.push(e) });
      let kept = 0;
      const last = Math.max(...report.opens.keys());
      for (const [n, start] of report.opens) {
        const acknowledged = report.events.get(n) ?? [];
        const seen: string[] = [];
        try {
          await store.replayAfter(start, (id) => void seen.push(id), `session-${n % 2}`);
        } catch (error) {
          assert.is((error as { reason?: string }).reason, 'evicted', `stream ${n}: ${(error as Error).message}`);
          assert.ok(newerFinished(report, n, last) >= 4, `stream ${n} of ${last} was dropped although among the newest finished of its session`);
          continue;
        }
        kept += 1;
        assert.equal(seen.slice(0, acknowledged.length), acknowledged, `stream ${n} replays every acknowledged event`);
        assert.ok(seen.length <= 3, `stream ${n} has no extra events`);
      }
      assert.ok(kept >= 4, `${kept} streams kept`);
      assert.equal(errors.map((e) => e.message), [], 'a kill leaves no damage');
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

crash.run();
