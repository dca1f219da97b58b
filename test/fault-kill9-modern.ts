// Fault injection, 2026-07-28 era (`npm run fault:kill9 -- --mode modern`): SIGKILL `mcpwire
// serve --http --fixtures --state DIR` while mcpwire's own client runs a task (`callTool(...,
// { task: true })`, the fixture `slow_compute`) and listens for its changes
// (`subscriptions/listen` naming its taskId), restart on the same state and port, and count:
// results received, tasks whose start the fixture's effects file holds twice, listens
// acknowledged again with the task reported changed (what changed in the gap was missed).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { killed, startServe, type ServeProcess } from './serve-process.ts';

export interface ModernKill9Options {
  kills: number;
  port: number;
  /** How long each task works, s. */
  seconds?: number;
  callTimeoutMs?: number;
  next: () => number;
  log?: (line: string) => void;
}

export interface ModernKill9Report {
  kills: number;
  results: number;
  /**
   * Tasks whose start (the fixture's side effect, keyed by the task id as a tool should key
   * its effects: README "Durability") the effects file holds more than once.
   */
  startedTwice: number;
  /** Tasks the restarted servers said they resumed: their tool is run again from the start. */
  resumed: number;
  /** Listens acknowledged again after a kill, the task then reported changed. */
  relistened: number;
  failures: string[];
}

export async function runModernKill9(options: ModernKill9Options): Promise<ModernKill9Report> {
  const log = options.log ?? (() => {});
  const seconds = options.seconds ?? 1;
  const report: ModernKill9Report = { kills: options.kills, results: 0, startedTwice: 0, resumed: 0, relistened: 0, failures: [] };
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-kill9-modern-'));
  const args = ['--port', String(options.port), '--fixtures', '--state', dir];
  let server: ServeProcess = await startServe(args);
  const client = createClient({ name: 'fault-kill9-modern', version: '1.0.0' }, { era: 'modern' });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${options.port}/mcp` }));
    for (let call = 0; call < options.kills; call++) {
      const killAfterMs = Math.floor(options.next() * seconds * 800);
      let acks = 0;
      let refetched = 0;
      let taskId: string | undefined;
      let listening: ReturnType<typeof client.listen> | undefined;
      let restarting: Promise<void> | undefined;
      try {
        const result = await client.callTool('slow_compute', { seconds }, {
          task: true, timeoutMs: options.callTimeoutMs ?? 30_000, pollIntervalMs: 200,
          onTask: (task) => {
            taskId = task.taskId;
            listening = client.listen({ taskIds: [task.taskId] }, { onAcknowledged: () => { acks += 1; }, onTaskChanged: (_id, task) => { if (task === undefined) refetched += 1; }, onGiveUp: (e) => report.failures.push(`listen gave up: ${e.message}`) }, { initialDelayMs: 200, maxDelayMs: 1000 });
            restarting = (async () => {
              await new Promise((r) => setTimeout(r, killAfterMs));
              await killed(server.child);
              server = await startServe(args);
              report.resumed += Number(/resumed (\d+) tasks/.exec(server.log())?.[1] ?? 0);
            })();
          },
        });
        const text = (result.content[0] as { text?: string } | undefined)?.text;
        if (text === `Computed for ${seconds} s.`) report.results += 1;
        else report.failures.push(`call ${call}: unexpected result ${JSON.stringify(result)}`);
      } catch (error) {
        report.failures.push(`call ${call} (kill after ${killAfterMs} ms): ${(error as Error).message}`);
      }
      if (restarting) await restarting;
      if (acks > 1 && refetched > 0) report.relistened += 1;
      await listening?.close();
      log(`modern call ${call + 1}/${options.kills}: task ${taskId}, killed after ${killAfterMs} ms, listen acknowledged ${acks} times`);
    }
    const effects = (await readFile(join(dir, 'fixture-effects.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const starts = new Map<string, number>();
    for (const line of effects) if (line.includes(' computing ')) starts.set(line.split(' ')[0]!, (starts.get(line.split(' ')[0]!) ?? 0) + 1);
    for (const n of starts.values()) if (n > 1) report.startedTwice += 1;
  } finally {
    await client.close().catch(() => {});
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}
